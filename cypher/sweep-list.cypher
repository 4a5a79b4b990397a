// Every sweep, oldest first.
MATCH (s:Sweep)
RETURN s {.*} AS sweep
ORDER BY s.createdAt, s.id
