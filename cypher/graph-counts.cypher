// How many nodes of each eqprop label and connection relationships the database holds (diagnostics,
// benchmarks, and tests that check a failed write left nothing behind).
RETURN COUNT { MATCH (:Topology) } AS topologies, COUNT { MATCH (:Layer) } AS layers,
       COUNT { MATCH (:Neuron) } AS neurons, COUNT { MATCH (:Block) } AS blocks,
       COUNT { MATCH (:Metric) } AS metrics, COUNT { MATCH (:Sweep) } AS sweeps, COUNT { MATCH (:Run) } AS runs,
       COUNT { MATCH (:Epoch) } AS epochs, COUNT { MATCH (:Rate) } AS rates,
       COUNT { MATCH ()-[:INTRALAYER|ADJACENT|SKIP]->() } AS connections
