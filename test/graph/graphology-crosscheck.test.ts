/**
 * A second, independent check at a size beyond the networkx fixtures (N = 95, thousands of
 * edges): L and diameter from graphology's own BFS (graphology-shortest-path) and
 * graphology-metrics diameter on the graphology view, against our CSR bit-parallel versions;
 * clustering against a plain float64 neighbour-set loop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { singleSourceLength } from 'graphology-shortest-path/unweighted.js';
import diameterModule from 'graphology-metrics/graph/diameter.js';
import {
  buildTopology,
  toGraphology,
  topologyCsr,
  characteristicPathLength,
  clustering,
  TOPOLOGY_MODES,
} from '../../graph/index.js';

// The package is CommonJS typed as an ES default export: take whichever shape arrives.
type Diameter = (graph: unknown) => number;
const diameter = ((diameterModule as unknown as { default?: Diameter }).default ??
  diameterModule) as unknown as Diameter;

for (const mode of TOPOLOGY_MODES) {
  test(`${mode}: L, diameter and C agree with graphology and a naive loop on a 95-neuron net`, () => {
    const t = buildTopology({
      sizes: [30, 20, 20, 20, 5],
      mode,
      seed: 5,
      ...(mode === 'layered' ? {} : mode === 'per-connection' ? { p: 0.05 } : { n: 150 }),
    });
    const g = toGraphology(t);
    let total = 0,
      pairs = 0;
    g.forEachNode((v) => {
      const lengths = singleSourceLength(g, v);
      for (const [u, d] of Object.entries(lengths))
        if (u !== v) {
          total += d;
          pairs++;
        }
    });
    const ours = characteristicPathLength(topologyCsr(t));
    assert.equal(ours.reachablePairs, pairs);
    assert.ok(Math.abs(ours.L - total / pairs) < 1e-12, `${ours.L} vs ${total / pairs}`);
    assert.equal(ours.diameter, diameter(g));

    const nbrs = Array.from({ length: t.N }, () => new Set<number>());
    for (let e = 0; e < t.edges.count; e++) {
      nbrs[t.edges.src[e]].add(t.edges.dst[e]);
      nbrs[t.edges.dst[e]].add(t.edges.src[e]);
    }
    let sum = 0;
    for (let v = 0; v < t.N; v++) {
      const list = [...nbrs[v]];
      let links = 0;
      for (let i = 0; i < list.length; i++)
        for (let j = i + 1; j < list.length; j++) if (nbrs[list[i]].has(list[j])) links++;
      const d = list.length;
      sum += d < 2 ? 0 : (2 * links) / (d * (d - 1));
    }
    assert.ok(Math.abs(clustering(topologyCsr(t)).averageClustering - sum / t.N) < 1e-12);
  });
}
