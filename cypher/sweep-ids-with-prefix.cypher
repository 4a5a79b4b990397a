// Ids of sweeps starting with $prefix, in id order, at most $limit (the id constraint's index serves STARTS WITH).
MATCH (x:Sweep)
WHERE x.id STARTS WITH $prefix
RETURN x.id AS id
ORDER BY x.id
LIMIT $limit
