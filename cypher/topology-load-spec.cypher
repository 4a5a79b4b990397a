// What loadTopology needs besides neurons and connections: the resolved spec (JSON), the
// connection count and, for a topology saved in non-canonical order, its permutation.
MATCH (t:Topology {id: $topologyId})
RETURN t.spec AS spec, t.total AS total, t.edgeOrder AS edgeOrder
