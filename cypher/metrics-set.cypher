// Merges metrics into a topology's: $metrics = [{name, value}].
MATCH (t:Topology {id: $topologyId})
UNWIND $metrics AS metric
MERGE (t)-[:HAS_METRIC]->(m:Metric {name: metric.name})
SET m.value = metric.value
