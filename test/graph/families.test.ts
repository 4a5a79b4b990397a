/**
 * The families beyond the paper's modes (graph/builders/no-intralayer.ts, graph/skip-rule.ts):
 * their rules hold exactly on every graph, and their connection counts per layer pair match the
 * exact expectation. In no-intralayer builds the new pairs are uniform draws without replacement
 * from the accepted pairs (no accepted pair is ever removed), i.e. a uniformly random subset: given
 * m rewirings, E[skips between layers a and b] = m · n_a n_b / R (hypergeometric), and each adjacent
 * connection survives with probability 1 − p.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildTopology,
  InputError,
  meanGlorotBound,
  validateSpec,
  familyKey,
  parseFamily,
  familySpecFields,
  type Topology,
  type TopologySpec,
} from '../../graph/index.js';

const sizes = [30, 20, 20, 20, 10];
const K = sizes.length - 1;
const layerOf = (t: Topology, v: number) => t.offsets.findIndex((o, l) => v >= o && v < t.offsets[l + 1]);

function pairCounts(t: Topology): number[][] {
  const counts = sizes.map(() => sizes.map(() => 0));
  for (let e = 0; e < t.edges.count; e++) {
    const a = layerOf(t, t.edges.src[e]);
    const b = layerOf(t, t.edges.dst[e]);
    counts[Math.min(a, b)][Math.max(a, b)]++;
  }
  return counts;
}

/** Builds `seeds` graphs; sums adjacent and skip counts per layer pair and the rewirings m. */
function survey(spec: Omit<TopologySpec, 'seed'>, accepts: (a: number, b: number) => boolean, seeds = 24) {
  const sum = sizes.map(() => sizes.map(() => 0));
  let m = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const t = buildTopology({ ...spec, seed });
    const c = pairCounts(t);
    for (let a = 0; a <= K; a++) {
      for (let b = a; b <= K; b++) {
        if (b - a >= 2 && c[a][b] > 0)
          assert.ok(accepts(a, b), `seed ${seed}: ${c[a][b]} connections between layers ${a} and ${b}`);
        if (a === b) assert.equal(c[a][b], 0, 'no intralayer connection');
        sum[a][b] += c[a][b];
      }
    }
    const adjacent = sizes.slice(0, -1).reduce((s, _, l) => s + c[l][l + 1], 0);
    const rewired = t.edges.count - adjacent;
    assert.equal(
      t.edges.count,
      sizes.slice(0, -1).reduce((s, n, l) => s + n * sizes[l + 1], 0),
      'rewiring keeps the count',
    );
    m += rewired;
  }
  return { sum, m, seeds };
}

function checkExpectations(
  p: number,
  accepts: (a: number, b: number) => boolean,
  family: Omit<TopologySpec, 'seed' | 'sizes' | 'p'>,
) {
  const { sum, m, seeds } = survey({ sizes, p, ...family }, accepts);
  let R = 0;
  for (let a = 0; a <= K; a++) for (let b = a + 2; b <= K; b++) if (accepts(a, b)) R += sizes[a] * sizes[b];
  for (let l = 0; l < K; l++) {
    const size = sizes[l] * sizes[l + 1];
    const sd = Math.sqrt(seeds * p * (1 - p) * size);
    assert.ok(
      Math.abs(sum[l][l + 1] - seeds * (1 - p) * size) <= 4.5 * sd,
      `adjacent ${l}: ${sum[l][l + 1]} vs ${seeds * (1 - p) * size}`,
    );
  }
  for (let a = 0; a <= K; a++) {
    for (let b = a + 2; b <= K; b++) {
      const share = accepts(a, b) ? (sizes[a] * sizes[b]) / R : 0;
      const expected = m * share;
      const sd = Math.sqrt(m * share * (1 - share)) + 1e-9;
      const message = `skips ${a}–${b}: ${sum[a][b]} vs ${expected.toFixed(1)}`;
      assert.ok(Math.abs(sum[a][b] - expected) <= 4.5 * sd, message);
    }
  }
}

describe('no-intralayer family (the journal version)', () => {
  it('rewires adjacent connections to non-adjacent layers with the exact expected counts per layer pair', () => {
    checkExpectations(0.15, () => true, { mode: 'no-intralayer' });
  });
  it('draws layer-skipping weights from U[−a, a], a the mean Glorot bound by default', () => {
    const a = meanGlorotBound([784, 100, 100, 100, 100, 100, 10]);
    assert.ok(Math.abs(a - 0.168) < 5e-4, `a = ${a}`);
    assert.ok(Math.abs(meanGlorotBound([784, 500, 500, 500, 10]) - 0.0829) < 5e-4);
    for (const bound of [undefined, 0.3]) {
      const t = buildTopology({
        sizes,
        mode: 'no-intralayer',
        p: 0.3,
        seed: 2,
        ...(bound ? { skipBound: bound } : {}),
      });
      const expected = bound ?? meanGlorotBound(sizes);
      assert.equal(t.spec.skipBound, expected);
      let max = 0;
      for (let e = 0; e < t.edges.count; e++)
        if (t.edges.kind[e] === 2) max = Math.max(max, Math.abs(t.edges.weight[e]));
      assert.ok(max <= expected && max > 0.9 * expected, `max |w| ${max} for a = ${expected}`);
    }
  });
  it('resolves p ↔ n over the adjacent connections and validates as itself', () => {
    const spec = validateSpec({ sizes, mode: 'no-intralayer', n: 160, seed: 0 });
    assert.equal(spec.p, 160 / 1600);
    assert.deepEqual(validateSpec(spec), spec);
    assert.throws(() => validateSpec({ sizes, mode: 'replace', n: 5, seed: 0, skipBound: 0.1 }), InputError);
  });
});

describe('restricted-skip families', () => {
  it('span exactly 2: every new connection skips one layer, counts as expected', () => {
    checkExpectations(0.1, (a, b) => b - a === 2, { mode: 'no-intralayer', spanMin: 2, spanMax: 2 });
  });
  it('to the output: every new connection ends in the output layer, counts as expected', () => {
    checkExpectations(0.05, (_, b) => b === K, { mode: 'no-intralayer', targetLayer: K });
  });
  it('Algorithm 1 (replace) with a restriction keeps the intralayer cliques and puts every skip in the rule', () => {
    const t = buildTopology({ sizes, mode: 'replace', n: 200, seed: 4, spanMin: 3 });
    const c = pairCounts(t);
    for (let a = 0; a <= K; a++) for (let b = a + 2; b <= K; b++) if (b - a < 3) assert.equal(c[a][b], 0);
    assert.ok(c[1][1] > 0);
  });
  it('refuses more rewirings than the restriction allows, before building', () => {
    assert.throws(
      () => validateSpec({ sizes: [4, 3, 3, 2], mode: 'replace', n: 15, seed: 0, targetLayer: 3 }),
      /more than the free pairs/,
    );
    assert.throws(
      () => validateSpec({ sizes: [4, 3, 3, 2], mode: 'no-intralayer', p: 0.9, seed: 0, targetLayer: 3 }),
      /pairs are allowed/,
    );
    assert.throws(() => validateSpec({ sizes, mode: 'layered', seed: 0, spanMin: 2 }), InputError);
    assert.throws(() => validateSpec({ sizes, mode: 'replace', n: 1, seed: 0, spanMin: 1 }), /spanMin/);
  });
  it('family keys round-trip through the parser', () => {
    for (const key of [
      'replace',
      'no-intralayer',
      'no-intralayer:span=2',
      'no-intralayer:span>=3',
      'replace:span=2-3',
      'no-intralayer:to=output',
      'add:to=2',
    ]) {
      const spec = validateSpec({ sizes, seed: 0, n: 10, ...familySpecFields(parseFamily(key), sizes) });
      assert.equal(familyKey(spec), key);
    }
    assert.throws(() => parseFamily('no-intralayer:span<2'), /not a restriction/);
    assert.throws(() => parseFamily('small-world'), /unknown mode/);
  });
});
