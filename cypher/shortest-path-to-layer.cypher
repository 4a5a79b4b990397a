// Neuron-level question: a shortest path (fewest connections, any direction: W is symmetric)
// from neuron $neuron to any neuron of layer $toLayer, over the connections stored as
// relationships. Returns the neuron indices along the path; no row when none is reachable.
MATCH (t:Topology {id: $topologyId})-[:HAS_LAYER]->(:Layer)-[:HAS_NEURON]->(source:Neuron {index: toInteger($neuron)})
MATCH (t)-[:HAS_LAYER]->(:Layer {index: toInteger($toLayer)})-[:HAS_NEURON]->(target:Neuron)
  WHERE target <> source
MATCH path = shortestPath((source)-[:INTRALAYER|ADJACENT|SKIP*]-(target))
RETURN [n IN nodes(path) | n.index] AS neurons, length(path) AS hops
ORDER BY hops, neurons[-1]
LIMIT 1
