// One row per run (of the sweep $sweepId, or all runs when null): its topology's spec and
// metrics beside its outcome — epochs reached, final errors, and errors after epoch $epoch.
MATCH (r:Run)-[:OF_TOPOLOGY]->(t:Topology)
WHERE $sweepId IS NULL OR EXISTS { (r)-[:IN_SWEEP]->(:Sweep {id: $sweepId}) }
OPTIONAL MATCH (r)-[:IN_SWEEP]->(s:Sweep)
WITH r, t, s,
     COLLECT { MATCH (t)-[:HAS_METRIC]->(m:Metric) RETURN [m.name, m.value] } AS metrics,
     COLLECT { MATCH (r)-[:HAS_EPOCH]->(e:Epoch) RETURN e ORDER BY e.epoch DESC } AS epochs
WITH r, t, s, metrics, epochs, [e IN epochs WHERE e.epoch = $epoch] AS at
RETURN r.id AS runId, t.id AS topologyId, s.id AS sweepId, t.spec AS spec, metrics, r.status AS status,
       coalesce(epochs[0].epoch, 0) AS epochs,
       epochs[0].trainError AS finalTrainError, epochs[0].evalError AS finalEvalError,
       at[0].trainError AS trainErrorAt, at[0].evalError AS evalErrorAt
ORDER BY r.createdAt, r.id
