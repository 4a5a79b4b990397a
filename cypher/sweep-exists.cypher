// Whether a sweep with this id exists.
OPTIONAL MATCH (s:Sweep {id: $sweepId})
RETURN s IS NOT NULL AS found
