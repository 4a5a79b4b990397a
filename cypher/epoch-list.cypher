// A run's epochs in order.
MATCH (:Run {id: $runId})-[:HAS_EPOCH]->(e:Epoch)
RETURN e {.*} AS epoch
ORDER BY e.epoch
