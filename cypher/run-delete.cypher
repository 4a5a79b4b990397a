// One run with its epochs and rate series.
MATCH (r:Run {id: $runId})
OPTIONAL MATCH (r)-[:HAS_EPOCH|HAS_RATE]->(x)
WITH r, collect(x) AS xs
FOREACH (x IN xs | DETACH DELETE x)
DETACH DELETE r
