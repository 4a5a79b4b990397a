// The topology node, its layers (chained by NEXT, input first) and nothing else yet.
// $layers: [{index, size, offset}], input layer first.
CREATE (t:Topology {
  id: $topologyId, name: $name, mode: $mode, sizes: [s IN $sizes | toInteger(s)],
  n: $n, p: $p, seed: toInteger($seed), spec: $spec, N: toInteger($N),
  adjacent: toInteger($adjacent), intralayer: toInteger($intralayer), skip: toInteger($skip), total: toInteger($total),
  adjacentStorage: $adjacentStorage, edgeOrder: $edgeOrder, createdAt: $createdAt
})
WITH t
UNWIND $layers AS layer
CREATE (t)-[:HAS_LAYER]->(l:Layer {index: toInteger(layer.index), size: toInteger(layer.size), offset: toInteger(layer.offset)})
WITH l ORDER BY l.index
WITH collect(l) AS layers
UNWIND range(0, size(layers) - 2) AS k
WITH layers[k] AS lower, layers[k + 1] AS upper
CREATE (lower)-[:NEXT]->(upper)
