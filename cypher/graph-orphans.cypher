// Nodes that lost their owner: each count must be 0 (a write that failed midway, or a delete
// that missed something, would leave some). Safe to run beside other writers: uncommitted
// transactions are invisible.
RETURN COUNT { MATCH (l:Layer) WHERE NOT (:Topology)-[:HAS_LAYER]->(l) } AS layers,
       COUNT { MATCH (n:Neuron) WHERE NOT (:Layer)-[:HAS_NEURON]->(n) } AS neurons,
       COUNT { MATCH (b:Block) WHERE NOT (:Layer)-[:HAS_BLOCK]->(b) } AS blocks,
       COUNT { MATCH (m:Metric) WHERE NOT (:Topology)-[:HAS_METRIC]->(m) } AS metrics,
       COUNT { MATCH (r:Run) WHERE NOT (r)-[:OF_TOPOLOGY]->(:Topology) } AS runs,
       COUNT { MATCH (e:Epoch) WHERE NOT (:Run)-[:HAS_EPOCH]->(e) } AS epochs,
       COUNT { MATCH (x:Rate) WHERE NOT (:Run)-[:HAS_RATE]->(x) } AS rates
