// A run linked to its topology and, when $sweepId is not null, its sweep. The caller has checked
// that both exist and that the run id is new, in the same transaction.
MATCH (t:Topology {id: $topologyId})
OPTIONAL MATCH (s:Sweep {id: $sweepId})
CREATE (r:Run {id: $runId, config: $config, seed: toInteger($seed), status: $status, createdAt: $createdAt})
CREATE (r)-[:OF_TOPOLOGY]->(t)
FOREACH (sweep IN CASE WHEN s IS NULL THEN [] ELSE [s] END | CREATE (r)-[:IN_SWEEP]->(sweep))
