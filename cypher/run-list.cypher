// Runs matching every given filter (null = any), oldest first.
MATCH (r:Run)-[:OF_TOPOLOGY]->(t:Topology)
WHERE ($topologyId IS NULL OR t.id = $topologyId)
  AND ($status IS NULL OR r.status = $status)
  AND ($sweepId IS NULL OR EXISTS { (r)-[:IN_SWEEP]->(:Sweep {id: $sweepId}) })
OPTIONAL MATCH (r)-[:IN_SWEEP]->(s:Sweep)
WITH r, t, s ORDER BY r.createdAt, r.id
LIMIT $limit
RETURN r {.*, topologyId: t.id, sweepId: s.id} AS run
