// A sweep; creating an id that exists changes nothing (re-submitted sweeps are idempotent).
MERGE (s:Sweep {id: $sweepId})
ON CREATE SET s.name = $name, s.config = $config, s.createdAt = $createdAt
