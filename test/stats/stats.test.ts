/**
 * The statistics module against scipy/numpy (scripts/fixtures/stats.py wrote the fixture), and
 * the rules a ranking must keep: undefined is null (a constant metric, too few configurations),
 * bootstrap intervals are seeded and bracket a clear relation, seed means group configurations.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  bootstrapInterval,
  crossValidatedR2,
  earlyPredictors,
  partialSpearman,
  pearson,
  rankPredictors,
  spearman,
  type PredictorRun,
} from '../../src/stats/index.js';

interface Case {
  x: number[];
  y: number[];
  z: number[];
  arch: string[];
  groups: string[];
  pearson: number;
  spearman: number;
  partialSpearman: number;
  partialSpearmanPooled: number;
  cvR2: number;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/stats/expected.json', import.meta.url), 'utf8'),
) as { cases: Case[] };
const close = (actual: number | null, expected: number, tol = 1e-10) => {
  assert.ok(actual !== null, `expected ${expected}, got null`);
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} vs ${expected}`);
};

describe('stats against scipy and numpy', () => {
  fixture.cases.forEach((c, i) => {
    it(`case ${i} (n = ${c.x.length}): Pearson, Spearman, partial Spearman, leave-one-family-out R²`, () => {
      close(pearson(c.x, c.y), c.pearson);
      close(spearman(c.x, c.y), c.spearman);
      close(partialSpearman(c.x, c.y, { numeric: [c.z] }), c.partialSpearman, 1e-9);
      close(partialSpearman(c.x, c.y, { numeric: [c.z], categorical: [c.arch] }), c.partialSpearmanPooled, 1e-9);
      close(crossValidatedR2(c.x, c.y, c.groups), c.cvR2, 1e-9);
    });
  });
});

describe('undefined is null, never a number', () => {
  it('a constant series (even one whose mean rounds) gives null, not −4.5e-16', () => {
    const constant = [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1];
    assert.equal(pearson(constant, [1, 2, 3, 4, 5, 6, 7]), null);
    assert.equal(spearman(constant, [1, 2, 3, 4, 5, 6, 7]), null);
    assert.equal(crossValidatedR2([1, 2, 3, 4, 5], constant.slice(0, 5), ['a', 'b', 'c', 'a', 'b']), null);
  });
  it('fewer than 3 pairs gives null', () => {
    assert.equal(pearson([1, 2], [3, 1]), null);
    assert.deepEqual(
      bootstrapInterval(2, () => 1),
      { low: null, high: null },
    );
  });
});

describe('bootstrap interval', () => {
  const x = Array.from({ length: 12 }, (_, i) => i);
  const y = x.map((v) => 2 * v + Math.sin(v * 7));
  const stat = (idx: readonly number[]) =>
    spearman(
      idx.map((i) => x[i]),
      idx.map((i) => y[i]),
    );
  it('is the same for the same seed and brackets a strong relation', () => {
    const a = bootstrapInterval(x.length, stat, { seed: 3 });
    assert.deepEqual(a, bootstrapInterval(x.length, stat, { seed: 3 }));
    assert.ok(a.low !== null && a.high !== null && a.low > 0.8 && a.low <= a.high && a.high <= 1);
  });
  it('is wide around zero for noise', () => {
    const noise = x.map((v) => (Math.sin(v * 12.9898) * 43758.5453) % 1);
    const b = bootstrapInterval(
      x.length,
      (idx) =>
        spearman(
          idx.map((i) => x[i]),
          idx.map((i) => noise[i]),
        ),
      { seed: 1 },
    );
    assert.ok(b.low !== null && b.high !== null && b.low < 0 && b.high > 0);
  });
});

describe('early predictors', () => {
  it('log-spread and deepest/output over the first K batches, by hand', () => {
    const rates = [
      { batch: 0, pair: 0, rate: 0.001 },
      { batch: 0, pair: 1, rate: 0.01 },
      { batch: 0, pair: 2, rate: 0.1 },
      { batch: 1, pair: 0, rate: 0.003 },
      { batch: 1, pair: 1, rate: 0.01 },
      { batch: 1, pair: 2, rate: 0.1 },
      { batch: 2, pair: 0, rate: 9 },
      { batch: 2, pair: 1, rate: 9 },
      { batch: 2, pair: 2, rate: 9 },
    ];
    const e = earlyPredictors(rates, 2);
    const logs = [Math.log10(0.002), Math.log10(0.01), Math.log10(0.1)];
    const mu = logs.reduce((a, b) => a + b) / 3;
    close(e['early.logSpread'], Math.sqrt(logs.reduce((a, v) => a + (v - mu) ** 2, 0) / 3), 1e-12);
    close(e['early.deepestOverOutput'], 0.002 / 0.1, 1e-12);
  });
  it('leaves a statistic out when a rate is zero or there are no rates', () => {
    assert.deepEqual(earlyPredictors([], 50), {});
    assert.equal(
      earlyPredictors(
        [
          { batch: 0, pair: 0, rate: 0 },
          { batch: 0, pair: 1, rate: 1 },
        ],
        5,
      )['early.logSpread'],
      undefined,
    );
  });
});

describe('rankPredictors', () => {
  const run = (
    family: string,
    budget: number,
    seed: number,
    metrics: Record<string, number>,
    trainError: number,
    sizes = [4, 3, 2],
  ): PredictorRun => ({
    runId: `${family}.${budget}.${seed}`,
    topologyId: `t.${family}.${budget}.${seed}`,
    family,
    sizes,
    budget,
    seed,
    metrics: { 'edges.skip': budget, ...metrics },
    outcomes: { trainError, evalError: trainError / 2, testError: null },
  });
  const runs: PredictorRun[] = [];
  for (const [f, family] of ['a', 'b', 'c'].entries()) {
    for (const budget of [10, 20, 30]) {
      for (const seed of [1, 2]) {
        runs.push(
          run(
            family,
            budget,
            seed,
            { good: budget + f * 7 + seed * 0.1, flat: 5, ...(family === 'a' ? {} : { sigma: f + seed }) },
            1 - 0.01 * (budget + f * 7) - 0.001 * seed,
          ),
        );
      }
    }
  }
  const table = rankPredictors(runs, { outcomes: ['trainError'] });
  const row = (metric: string) => table.rows.find((r) => r.metric === metric && r.outcome === 'trainError')!;
  it('averages seeds into configurations', () => {
    assert.equal(table.configurations.length, 9);
    assert.equal(table.runs, 18);
    const c = table.configurations.find((k) => k.family === 'b' && k.budget === 20)!;
    assert.deepEqual(c.seeds, [1, 2]);
    close(c.metrics.good, 20 + 7 + 0.15, 1e-12);
  });
  it('ranks the predictive metric first, a constant metric undefined, and says what it left out', () => {
    assert.equal(table.rows[0].metric, 'good');
    close(row('good').spearman, -1, 1e-12);
    assert.equal(row('flat').spearman, null);
    assert.equal(row('flat').pearson, null);
    assert.equal(row('sigma').n, 6);
    assert.equal(row('sigma').leftOut.length, 3);
    assert.equal(table.rows[table.rows.length - 1].spearman, null);
  });
  it('refuses several architectures unless pooled', () => {
    const mixed = [...runs, run('a', 10, 3, { good: 1 }, 0.5, [4, 4, 2])];
    assert.throws(() => rankPredictors(mixed), /architecture/);
    assert.equal(rankPredictors(mixed, { pool: true }).pooled, true);
  });
});
