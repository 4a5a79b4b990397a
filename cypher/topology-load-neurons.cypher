// Every neuron's global index and bias.
MATCH (:Topology {id: $topologyId})-[:HAS_LAYER]->(:Layer)-[:HAS_NEURON]->(n:Neuron)
RETURN collect(n.index) AS index, collect(n.bias) AS bias
