// Neuron-level question: the connections of one kind between layer $fromLayer and layer $toLayer,
// e.g. type 'SKIP' from hidden layer 1 (layer 1) into the output layer (layer K).
// $type is INTRALAYER, ADJACENT or SKIP. Adjacent connections are relationships only in
// topologies with few of them (see README, "Stores").
MATCH (:Topology {id: $topologyId})-[:HAS_LAYER]->(:Layer {index: toInteger($fromLayer)})-[:HAS_NEURON]->(a:Neuron)
MATCH (a)-[r]-(b:Neuron {layer: toInteger($toLayer)})
WHERE type(r) = $type
RETURN a.index AS from, b.index AS to
ORDER BY from, to
