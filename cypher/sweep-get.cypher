// One sweep.
MATCH (s:Sweep {id: $sweepId})
RETURN s {.*} AS sweep
