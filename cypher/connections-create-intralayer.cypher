// One batch of intralayer connections as INTRALAYER relationships from the lower-indexed neuron (src < dst).
// Parallel lists $src and $dst. Neurons are looked up by position in an index-ordered list
// rather than by one index seek per endpoint. No properties: see topology-graph.ts.
MATCH (:Topology {id: $topologyId})-[:HAS_LAYER]->(:Layer)-[:HAS_NEURON]->(n:Neuron)
WITH n ORDER BY n.index
WITH collect(n) AS neurons
UNWIND range(0, size($src) - 1) AS j
WITH neurons[toInteger($src[j])] AS a, neurons[toInteger($dst[j])] AS b
CREATE (a)-[:INTRALAYER]->(b)
