// Every neuron of the topology, under its layer. $biases: one per neuron, global index order.
MATCH (:Topology {id: $topologyId})-[:HAS_LAYER]->(l:Layer)
UNWIND range(0, l.size - 1) AS k
CREATE (l)-[:HAS_NEURON]->(:Neuron {index: l.offset + k, layer: l.index, bias: $biases[l.offset + k]})
