/**
 * Regression (the journal version's Diabetes): one output neuron nudged toward a real target with
 * the same energy and cost, the error the mean over examples of (output − target)². Checked
 * against the float64 oracle on every backend (weights, training and evaluation MSE), with the
 * once-shuffled batch order; on real Diabetes rows the reported MSE is recomputed in float64 from
 * the stored free equilibria; and a run stopped mid-epoch resumes in the shuffled order exactly.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIABETES, loadTabular, type Dataset, type TrainConfig } from '../../engine/index.js';
import { Trainer } from '../../engine/trainer.js';
import { denseWeights } from '../../graph/compile.js';
import { InputError } from '../../lib/errors.js';
import { Rng } from '../../graph/rng.js';
import { oracleTrain } from './oracle.js';
import { relativeError, testedBackends, tinyTopology, useBackend } from './helpers.js';

/** Inputs in [0, 1) and a target in [0, 1) per example (a regression set). */
function syntheticRegression(count: number, dims: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const images = new Float32Array(count * dims);
  for (let i = 0; i < images.length; i++) images[i] = Math.fround(rng.next());
  const targets = new Float32Array(count);
  for (let i = 0; i < count; i++) targets[i] = Math.fround(rng.next());
  return { count, dims, images, labels: new Uint8Array(count), targets };
}

const sizes = [6, 5, 4, 1];
const data = { train: syntheticRegression(16, 6, 21), eval: syntheticRegression(8, 6, 22) };

function config(extra: Partial<TrainConfig> = {}): TrainConfig {
  return {
    epsilon: 0.5,
    beta: 0.7,
    freeSteps: 12,
    clampedSteps: 4,
    batchSize: 4,
    learningRates: [0.1],
    randomBetaSign: true,
    seed: 5,
    rateEvery: 0,
    checkpointEvery: 0,
    batchOrder: { kind: 'shuffled-once', seed: 3 },
    ...extra,
  };
}

for (const { backend, skip } of await testedBackends()) {
  describe(`regression vs the float64 oracle (${backend})`, { skip }, () => {
    before(() => useBackend(backend));

    for (const mode of ['layered', 'replace'] as const) {
      it(`${mode}: weights, training and evaluation MSE agree over two epochs in a shuffled batch order`, async () => {
        const compiled = tinyTopology({ sizes, mode, ...(mode === 'replace' ? { n: 8 } : {}) });
        const cfg = config();
        const perEpoch = data.train.count / cfg.batchSize,
          epochs = 2;
        const oracle = oracleTrain(compiled, cfg, data.train, perEpoch * epochs, data.eval);
        const trainer = await Trainer.create(compiled, cfg, data, { layout: 'blocks' });
        for (let e = 0; e < epochs; e++) {
          const outcome = await trainer.trainEpoch();
          const train = relativeError([outcome.trainError], [oracle.trainErrors[e]]);
          const evaluation = relativeError([outcome.evalError], [oracle.evalErrors[e]]);
          assert.ok(train <= 1e-4, `epoch ${e + 1} training MSE ${outcome.trainError} vs ${oracle.trainErrors[e]}`);
          assert.ok(
            evaluation <= 1e-4,
            `epoch ${e + 1} evaluation MSE ${outcome.evalError} vs ${oracle.evalErrors[e]}`,
          );
        }
        const W = denseWeights(trainer.exportCompiled());
        assert.ok(relativeError(W, oracle.net.W) <= 1e-4, `weights: relative error ${relativeError(W, oracle.net.W)}`);
        assert.ok(relativeError(denseWeights(compiled), oracle.net.W) > 1e-3, 'the weights moved');
        for (let i = 0; i < oracle.particles.length; i++) {
          assert.ok(
            relativeError(trainer.particles('train', i), oracle.particles[i]) <= 1e-4,
            `particles of batch ${i}`,
          );
        }
        trainer.dispose();
      });
    }
  });
}

describe('regression on Diabetes', () => {
  before(() => useBackend('cpu'));
  const diabetes = loadTabular(DIABETES, { train: 40, eval: 40 });
  const compiled = tinyTopology({ sizes: [10, 8, 1], mode: 'layered' });
  const cfg = config({ batchSize: 5, freeSteps: 20, learningRates: [0.05] });

  it('the evaluation error is the mean over examples of (output − target)², recomputed in float64', async () => {
    const trainer = await Trainer.create(compiled, cfg, diabetes);
    const outcome = await trainer.trainEpoch();
    const width = 8 + 1;
    let sum = 0;
    for (let b = 0; b < 40 / 5; b++) {
      const free = trainer.particles('eval', b);
      for (let r = 0; r < 5; r++) sum += (free[r * width + width - 1] - diabetes.eval.targets![b * 5 + r]) ** 2;
    }
    const mse = sum / 40;
    assert.ok(mse > 0 && mse < 1, `an MSE of targets in [0, 1]: ${mse}`);
    assert.ok(Math.abs(outcome.evalError - mse) <= 1e-12 * mse, `reported ${outcome.evalError}, float64 ${mse}`);
    assert.ok(outcome.trainError > 0 && outcome.trainError < 1, `training MSE ${outcome.trainError}`);
    trainer.dispose();
  });

  it('a regression set needs one output neuron', async () => {
    const wide = tinyTopology({ sizes: [10, 8, 3], mode: 'layered' });
    await assert.rejects(
      Trainer.create(wide, cfg, diabetes),
      (e: unknown) => e instanceof InputError && e.field === 'data.train' && /1 output neuron/.test(e.message),
    );
  });

  describe('resume mid-epoch in the shuffled order', () => {
    let dir: string;
    before(() => (dir = mkdtempSync(join(tmpdir(), 'eqprop-regression-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('stopped after 3 batches and resumed, the run ends with the same weights and errors', async () => {
      const whole = await Trainer.create(compiled, cfg, diabetes);
      const expected = await whole.trainEpoch();
      const W = denseWeights(whole.exportCompiled());
      whole.dispose();
      const path = join(dir, 'run.ckpt');
      const first = await Trainer.create(compiled, cfg, diabetes);
      let batches = 0;
      assert.equal((await first.trainEpoch({ checkpointPath: path, shouldStop: () => ++batches === 3 })).stopped, true);
      first.dispose();
      const resumed = await Trainer.resume(path, diabetes);
      const outcome = await resumed.trainEpoch();
      assert.deepEqual(denseWeights(resumed.exportCompiled()), W);
      assert.equal(outcome.trainError, expected.trainError);
      assert.equal(outcome.evalError, expected.evalError);
      resumed.dispose();
    });
  });
});
