// The compactly stored adjacent-layer blocks of a topology (none for small topologies).
MATCH (:Topology {id: $topologyId})-[:HAS_LAYER]->(:Layer)-[:HAS_BLOCK]->(b:Block)
RETURN b.connections AS connections
