/** Statistics against scipy (fixture made by test/reports/fixtures/make-correlations.py) and hand-worked cases. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { repoPath } from '../experiments/helpers.js';
import { averageRanks, smoothRates, correlate, pearson, spearman } from '../../src/reports/statistics.js';

interface Fixture {
  cases: { name: string; x: number[]; y: number[]; pearson: number; spearman: number }[];
  smoothing: { values: number[]; n: number; expected: number[] };
}
const fixture = JSON.parse(readFileSync(repoPath('test/reports/fixtures/correlations.json'), 'utf8')) as Fixture;

for (const c of fixture.cases) {
  test(`pearson and spearman match scipy: ${c.name}`, () => {
    assert.ok(Math.abs(pearson(c.x, c.y)! - c.pearson) < 1e-12, `pearson ${pearson(c.x, c.y)} vs scipy ${c.pearson}`);
    assert.ok(
      Math.abs(spearman(c.x, c.y)! - c.spearman) < 1e-12,
      `spearman ${spearman(c.x, c.y)} vs scipy ${c.spearman}`,
    );
  });
}

test('hand-worked: perfect lines, constant series, tied ranks', () => {
  assert.equal(pearson([1, 2, 3], [2, 4, 6]), 1);
  assert.equal(pearson([1, 2, 3], [3, 2, 1]), -1);
  assert.equal(pearson([1, 2, 3], [5, 5, 5]), null);
  assert.equal(pearson([1], [1]), null);
  // y = x^3 is monotone: Spearman is exactly 1 while Pearson is not.
  assert.equal(spearman([1, 2, 3, 4], [1, 8, 27, 64]), 1);
  assert.ok(pearson([1, 2, 3, 4], [1, 8, 27, 64])! < 1);
  assert.deepEqual(averageRanks([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
  // x = [1,2,3], y = [1,3,2]: sxy = (−1)(−1)+0+(1)(0) = 1, sxx = syy = 2 → r = 0.5
  assert.equal(pearson([1, 2, 3], [1, 3, 2]), 0.5);
});

test('correlate drops pairs with a missing value', () => {
  const r = correlate([1, 2, null, 3, 4], [2, 4, 100, 6, Number.NaN]);
  assert.equal(r.n, 3);
  assert.equal(r.pearson, 1);
});

test('eq. 3 smoothing equals a centred window truncated at the ends (numpy reference)', () => {
  const got = smoothRates(fixture.smoothing.values, fixture.smoothing.n);
  assert.equal(got.length, fixture.smoothing.expected.length);
  for (const [i, v] of got.entries()) assert.ok(Math.abs(v - fixture.smoothing.expected[i]) < 1e-12, `index ${i}`);
  assert.deepEqual(smoothRates([1, 2, 3, 4, 5], 1), [1.5, 2, 3, 4, 4.5]);
  assert.deepEqual(smoothRates([1, 2, 3], 0), [1, 2, 3]);
});
