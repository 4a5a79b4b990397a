// What one topology occupies in the graph: layers, neurons, blocks, connection relationships.
MATCH (t:Topology {id: $topologyId})
RETURN COUNT { MATCH (t)-[:HAS_LAYER]->(:Layer) } AS layers,
       COUNT { MATCH (t)-[:HAS_LAYER]->(:Layer)-[:HAS_NEURON]->(:Neuron) } AS neurons,
       COUNT { MATCH (t)-[:HAS_LAYER]->(:Layer)-[:HAS_BLOCK]->(:Block) } AS blocks,
       COUNT { MATCH (t)-[:HAS_LAYER]->(:Layer)-[:HAS_NEURON]->(:Neuron)-[:INTRALAYER|ADJACENT|SKIP]->(:Neuron) } AS connections
