import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTopology, compileTopology, denseWeights, TOPOLOGY_MODES } from '../../graph/index.js';

const SIZES = [5, 4, 4, 3];

for (const mode of TOPOLOGY_MODES) {
  test(`${mode}: dense reconstruction equals the graph's weights, symmetric, zero diagonal`, () => {
    const t = buildTopology({
      sizes: SIZES,
      mode,
      seed: 11,
      ...(mode === 'layered' ? {} : mode === 'per-connection' ? { p: 0.4 } : { n: 15 }),
    });
    const c = compileTopology(t);
    const W = denseWeights(c);
    const N = t.N;
    // Independent reference: scatter the edge list straight into a float64 matrix.
    const ref = new Float64Array(N * N);
    for (let e = 0; e < t.edges.count; e++) {
      ref[t.edges.src[e] * N + t.edges.dst[e]] = t.edges.weight[e];
      ref[t.edges.dst[e] * N + t.edges.src[e]] = t.edges.weight[e];
    }
    for (let k = 0; k < N * N; k++) assert.equal(W[k], ref[k], `entry ${Math.floor(k / N)},${k % N}`);
    for (let i = 0; i < N; i++) assert.equal(W[i * N + i], 0);
    // Masks mark exactly the connections; rate classes are min(a, b − 1).
    for (const b of c.blocks) {
      assert.equal(b.rateClass, b.kind === 'adjacent' ? b.from : b.from - 1);
      for (let k = 0; k < b.mask.length; k++)
        assert.equal(b.mask[k] === 1, b.weights[k] !== 0, `mask and weight agree in block ${b.from}-${b.to}`);
    }
    const intraEdges = c.blocks
      .filter((b) => b.kind === 'intralayer')
      .reduce((s, b) => s + b.mask.reduce((x, y) => x + y, 0) / 2, 0);
    const adjEdges = c.blocks
      .filter((b) => b.kind === 'adjacent')
      .reduce((s, b) => s + b.mask.reduce((x, y) => x + y, 0), 0);
    assert.equal(intraEdges + adjEdges + c.skip.count, t.edges.count);
    assert.equal(c.blocks.filter((b) => b.kind === 'adjacent').length, SIZES.length - 1);
    for (let e = 0; e < c.skip.count; e++) {
      assert.ok(c.skip.dstLayer[e] - c.skip.srcLayer[e] >= 2);
      assert.equal(c.skip.rateClass[e], c.skip.srcLayer[e]);
    }
    assert.deepEqual(
      [...c.biasRateClass],
      [...Array(N).keys()].map((v) => (v < 5 ? -1 : v < 9 ? 0 : v < 13 ? 1 : 2)),
    );
  });
}
