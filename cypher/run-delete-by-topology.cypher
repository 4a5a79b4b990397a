// Every run of a topology with its epochs and rate series.
MATCH (:Topology {id: $topologyId})<-[:OF_TOPOLOGY]-(r:Run)
OPTIONAL MATCH (r)-[:HAS_EPOCH|HAS_RATE]->(x)
WITH r, collect(x) AS xs
FOREACH (x IN xs | DETACH DELETE x)
DETACH DELETE r
