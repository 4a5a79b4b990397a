// The adjacent-layer connections between layers $from and $from + 1 of a large topology, as one
// node holding them compactly: $connections is a topology-codec blob (src, dst, weight, kind).
MATCH (:Topology {id: $topologyId})-[:HAS_LAYER]->(l:Layer {index: toInteger($from)})
CREATE (l)-[:HAS_BLOCK]->(:Block {
  kind: 'adjacent', from: toInteger($from), to: toInteger($from) + 1, count: toInteger($count), connections: $connections
})
