// Topologies matching every given filter (a null parameter means "any"). Ranges are inclusive.
// $metricFilters = [{name, min, max}]: the topology must have each metric within its range.
MATCH (t:Topology)
WHERE ($mode IS NULL OR t.mode = $mode)
  AND ($sizes IS NULL OR t.sizes = $sizes)
  AND ($seed IS NULL OR t.seed = $seed)
  AND ($pMin IS NULL OR t.p >= $pMin) AND ($pMax IS NULL OR t.p <= $pMax)
  AND ($nMin IS NULL OR t.n >= $nMin) AND ($nMax IS NULL OR t.n <= $nMax)
  AND all(f IN $metricFilters WHERE EXISTS {
    MATCH (t)-[:HAS_METRIC]->(m:Metric {name: f.name})
    WHERE (f.min IS NULL OR m.value >= f.min) AND (f.max IS NULL OR m.value <= f.max)
  })
WITH t ORDER BY t.createdAt, t.id
LIMIT $limit
RETURN t {.id, .name, .spec, .N, .adjacent, .intralayer, .skip, .total, .createdAt} AS topology,
       COLLECT { MATCH (t)-[:HAS_METRIC]->(m:Metric) RETURN [m.name, m.value] } AS metrics
