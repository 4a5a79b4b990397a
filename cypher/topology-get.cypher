// One topology's record (without its connections).
MATCH (t:Topology {id: $topologyId})
RETURN t {.id, .name, .spec, .N, .adjacent, .intralayer, .skip, .total, .createdAt} AS topology,
       COLLECT { MATCH (t)-[:HAS_METRIC]->(m:Metric) RETURN [m.name, m.value] } AS metrics
