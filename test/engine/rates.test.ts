/**
 * SPEC §5 eq. 3 smoothing against a direct loop over each centred window (cut at the ends).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { smoothRates } from '../../engine/index.js';
import { InputError } from '../../lib/errors.js';

function direct(series: number[], n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < series.length; i++) {
    let sum = 0,
      count = 0;
    for (let j = i - n; j <= i + n; j++) {
      if (j < 0 || j >= series.length) continue;
      sum += series[j];
      count++;
    }
    out.push(sum / count);
  }
  return out;
}

describe('smoothRates (eq. 3)', () => {
  it('is the centred moving average over 2n + 1 batches', () => {
    const series = Array.from({ length: 37 }, (_, i) => Math.sin(i) ** 2 * 1e-3 + i * 1e-5);
    for (const n of [0, 1, 4, 50]) {
      const got = smoothRates(series, n),
        want = direct(series, n);
      assert.equal(got.length, series.length);
      for (const [i, v] of got.entries())
        assert.ok(Math.abs(v - want[i]) <= 1e-15, `n = ${n}, i = ${i}: ${v} vs ${want[i]}`);
    }
    assert.deepEqual(smoothRates([1, 2, 3, 4, 5], 1), [1.5, 2, 3, 4, 4.5]);
    assert.deepEqual(smoothRates([], 3), []);
  });

  it('rejects a negative or fractional half-width', () => {
    assert.throws(
      () => smoothRates([1, 2], -1),
      (e: unknown) => e instanceof InputError && e.field === 'n',
    );
    assert.throws(() => smoothRates([1, 2], 1.5), InputError);
  });
});
