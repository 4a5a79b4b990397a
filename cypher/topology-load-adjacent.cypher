// Every adjacent connection stored as a relationship, as parallel lists (one record decodes much
// faster than a record per connection).
MATCH (:Topology {id: $topologyId})-[:HAS_LAYER]->(:Layer)-[:HAS_NEURON]->(a:Neuron)-[r:ADJACENT]->(b:Neuron)
RETURN collect(a.index) AS src, collect(b.index) AS dst, collect(r.weight) AS weight
