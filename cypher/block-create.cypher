// One group of connections (one kind, from layer $from to layer $to) as a node holding them
// compactly: $connections is a topology-codec blob (src, dst, weight, kind) in (src, dst) order;
// codec: its format version (blocks without it were written before version 2; see block-upgrade).
MATCH (:Topology {id: $topologyId})-[:HAS_LAYER]->(l:Layer {index: toInteger($from)})
CREATE (l)-[:HAS_BLOCK]->(:Block {kind: $kind, from: toInteger($from), to: toInteger($to), count: toInteger($count),
                                 connections: $connections, codec: 2})
