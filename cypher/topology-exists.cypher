// Whether a topology with this id exists.
OPTIONAL MATCH (t:Topology {id: $topologyId})
RETURN t IS NOT NULL AS found
