// One batch of rate points; rewriting a (run, batch, pair) replaces its rate. The Rate key is
// indexed (schema.cypher), so each MERGE is an index seek however long the series grows.
MATCH (r:Run {id: $runId})
UNWIND $points AS point
MERGE (x:Rate {runId: $runId, batch: toInteger(point.batch), pair: toInteger(point.pair)})
SET x.rate = point.rate
MERGE (r)-[:HAS_RATE]->(x)
