// Topologies matching every given filter when at least one metric range is given: the first
// metric range ($metricName, $metricMin, $metricMax; open ends are passed as ±max double) is an
// index seek on Metric(name, value), so the work grows with the topologies whose metric is in
// range, not with the number stored (the scan of every Topology that topology-list.cypher does
// read ~270 records per stored topology). Other filters as in topology-list.cypher;
// $metricFilters holds the remaining metric ranges.
MATCH (first:Metric)
USING INDEX first:Metric(name, value)
WHERE first.name = $metricName AND first.value >= $metricMin AND first.value <= $metricMax
MATCH (t:Topology)-[:HAS_METRIC]->(first)
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
