// A topology with its layers, neurons (and so its connections), blocks and metrics. Its runs are
// deleted first by run-delete-by-topology.cypher in the same transaction.
MATCH (t:Topology {id: $topologyId})
OPTIONAL MATCH (t)-[:HAS_LAYER]->(:Layer)-[:HAS_NEURON|HAS_BLOCK]->(part)
WITH t, collect(part) AS parts
FOREACH (part IN parts | DETACH DELETE part)
WITH t
OPTIONAL MATCH (t)-[:HAS_LAYER|HAS_METRIC]->(owned)
WITH t, collect(owned) AS owned
FOREACH (node IN owned | DETACH DELETE node)
DETACH DELETE t
