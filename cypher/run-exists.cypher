// Whether a run with this id exists.
OPTIONAL MATCH (r:Run {id: $runId})
RETURN r IS NOT NULL AS found
