// Constraints and indexes of the eqprop-lab graph, applied idempotently on every connect.
// One statement per `;`-terminated block. Uniqueness constraints also make concurrent MERGEs safe.
CREATE CONSTRAINT topology_id IF NOT EXISTS FOR (t:Topology) REQUIRE t.id IS UNIQUE;
CREATE CONSTRAINT sweep_id IF NOT EXISTS FOR (s:Sweep) REQUIRE s.id IS UNIQUE;
CREATE CONSTRAINT run_id IF NOT EXISTS FOR (r:Run) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT epoch_key IF NOT EXISTS FOR (e:Epoch) REQUIRE (e.runId, e.epoch) IS UNIQUE;
CREATE CONSTRAINT rate_key IF NOT EXISTS FOR (x:Rate) REQUIRE (x.runId, x.batch, x.pair) IS UNIQUE;
CREATE INDEX topology_p IF NOT EXISTS FOR (t:Topology) ON (t.p);
CREATE INDEX topology_n IF NOT EXISTS FOR (t:Topology) ON (t.n);
CREATE INDEX metric_name_value IF NOT EXISTS FOR (m:Metric) ON (m.name, m.value);
CREATE INDEX run_status IF NOT EXISTS FOR (r:Run) ON (r.status);
