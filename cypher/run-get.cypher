// One run with the ids it links to.
MATCH (r:Run {id: $runId})-[:OF_TOPOLOGY]->(t:Topology)
OPTIONAL MATCH (r)-[:IN_SWEEP]->(s:Sweep)
RETURN r {.*, topologyId: t.id, sweepId: s.id} AS run
