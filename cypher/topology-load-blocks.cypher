// Every connection of a topology, as the blobs of its blocks.
MATCH (:Topology {id: $topologyId})-[:HAS_LAYER]->(:Layer)-[:HAS_BLOCK]->(b:Block)
RETURN b.connections AS connections
