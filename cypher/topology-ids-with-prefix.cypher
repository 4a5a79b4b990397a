// Ids of topologys starting with $prefix, in id order, at most $limit (the id constraint's index serves STARTS WITH).
MATCH (x:Topology)
WHERE x.id STARTS WITH $prefix
RETURN x.id AS id
ORDER BY x.id
LIMIT $limit
