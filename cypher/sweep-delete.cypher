// The sweep node itself (its runs go first, run-delete-by-sweep.cypher).
MATCH (s:Sweep {id: $sweepId})
DETACH DELETE s
