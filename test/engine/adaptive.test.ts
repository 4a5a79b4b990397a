/**
 * Adaptive free phase (engine/adaptive.ts, beyond the paper): with a rule that can never be met
 * it is the fixed-step phase bit for bit; with a real tolerance it stops early, close to the
 * fixed-step equilibrium; its per-row decisions do not depend on how rows are split across
 * threads; bad rules are InputErrors naming the field.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { StepLayout, TrainConfig } from '../../engine/index.js';
import { Trainer } from '../../engine/trainer.js';
import { denseWeights } from '../../graph/compile.js';
import { InputError } from '../../lib/errors.js';
import { syntheticData, tinyTopology, useBackend } from './helpers.js';

const compiled = tinyTopology({ sizes: [12, 10, 8, 4], mode: 'replace', n: 20 });
const data = { train: syntheticData(40, 12, 4, 5), eval: syntheticData(20, 12, 4, 6) };
const base: TrainConfig = {
  epsilon: 0.5,
  beta: 1,
  freeSteps: 300,
  clampedSteps: 4,
  batchSize: 5,
  learningRates: [0.05],
  randomBetaSign: true,
  seed: 4,
  rateEvery: 0,
  checkpointEvery: 0,
};
const rule = { every: 10, tolerance: 1e-5, window: 3, minSteps: 50 };

async function epoch(config: TrainConfig, layout: StepLayout, threads = 1) {
  const t = await Trainer.create(compiled, config, data, { layout, threads });
  const outcome = await t.trainEpoch();
  const result = { outcome, W: denseWeights(t.exportCompiled()), particle: t.particles('train', 0) };
  t.dispose();
  return result;
}

describe('adaptive free phase (wasm)', () => {
  before(() => useBackend('wasm'));

  for (const layout of ['blocks', 'fused'] as StepLayout[]) {
    it(`${layout}: a rule that is never met gives the fixed-step run exactly`, async () => {
      const fixed = await epoch(base, layout);
      const never = await epoch({ ...base, adaptive: { ...rule, tolerance: 0 } }, layout);
      assert.deepEqual(Buffer.from(never.W.buffer), Buffer.from(fixed.W.buffer));
      assert.equal(never.outcome.meanFreeSteps, 300);
      assert.equal(never.outcome.evalError, fixed.outcome.evalError);
    });

    it(`${layout}: a tolerance of 1e-5 stops early, near the fixed-step equilibrium`, async () => {
      const one = { ...base, learningRates: [0] }; // no learning: compare one equilibrium with another
      const fixed = await epoch(one, layout);
      const adaptive = await epoch({ ...one, adaptive: rule }, layout);
      assert.ok(adaptive.outcome.meanFreeSteps < 300, `mean steps ${adaptive.outcome.meanFreeSteps}`);
      assert.ok(adaptive.outcome.meanFreeSteps >= rule.minSteps);
      let diff = 0;
      for (let k = 0; k < fixed.particle.length; k++)
        diff = Math.max(diff, Math.abs(fixed.particle[k] - adaptive.particle[k]));
      assert.ok(diff < 1e-3, `max |Δs| from the fixed-step state ${diff}`);
    });
  }

  it('evaluateFixedSteps: an adaptive run evaluated with the fixed free phase, as a fixed run evaluates', async () => {
    const adaptive = await Trainer.create(compiled, { ...base, adaptive: rule }, data, { layout: 'fused' });
    const fixed = await Trainer.create(compiled, base, data, { layout: 'fused' });
    const error = await adaptive.evaluateFixedSteps(data.eval);
    assert.equal(error, fixed.evaluate(data.eval));
    assert.deepEqual(adaptive.particles('fixed-steps', 1), fixed.particles('eval', 1));
    // The adaptive evaluation stops rows early: its particles differ from the fixed ones.
    adaptive.evaluate(data.eval);
    assert.notDeepEqual(adaptive.particles('eval', 1), fixed.particles('eval', 1));
    adaptive.dispose();
    fixed.dispose();
  });

  it('per-row decisions: two threads give the one-thread run', async () => {
    const config = { ...base, adaptive: rule };
    const one = await epoch(config, 'fused', 1),
      two = await epoch(config, 'fused', 2);
    assert.deepEqual(Buffer.from(two.W.buffer), Buffer.from(one.W.buffer));
    assert.equal(two.outcome.meanFreeSteps, one.outcome.meanFreeSteps);
  });

  it('bad rules are InputErrors naming the field', async () => {
    await assert.rejects(
      Trainer.create(compiled, { ...base, adaptive: { ...rule, every: 0 } }, data),
      (e: unknown) => e instanceof InputError && e.field === 'adaptive.every',
    );
    await assert.rejects(
      Trainer.create(compiled, { ...base, adaptive: { ...rule, tolerance: -1 } }, data),
      (e: unknown) => e instanceof InputError && e.field === 'adaptive.tolerance',
    );
  });
});
