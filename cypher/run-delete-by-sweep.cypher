// Every run of a sweep with its epochs and rate series (the topologies stay).
MATCH (:Sweep {id: $sweepId})<-[:IN_SWEEP]-(r:Run)
OPTIONAL MATCH (r)-[:HAS_EPOCH|HAS_RATE]->(x)
WITH r, collect(x) AS xs
FOREACH (x IN xs | DETACH DELETE x)
DETACH DELETE r
