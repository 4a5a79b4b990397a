// A run's rate series, by batch then pair.
MATCH (:Run {id: $runId})-[:HAS_RATE]->(x:Rate)
RETURN x.batch AS batch, x.pair AS pair, x.rate AS rate
ORDER BY batch, pair
