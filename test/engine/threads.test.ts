/**
 * Phase workers (TrainerOptions.threads): a batch's rows split across threads give the same run
 * as one thread (rows are independent during the phases; observed bit-identical on wasm), runs
 * with workers are deterministic, evaluation spread over threads gives the same errors and
 * particles, and workers do not keep the process alive or leak main-thread tensors.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '../../engine/index.js';
import { Trainer } from '../../engine/trainer.js';
import { denseWeights } from '../../graph/compile.js';
import { relativeError, syntheticData, tinyTopology, useBackend } from './helpers.js';

const compiled = tinyTopology({ sizes: [12, 8, 8, 4], mode: 'replace', n: 20 });
const data = { train: syntheticData(60, 12, 4, 1), eval: syntheticData(20, 12, 4, 2) };
const config: TrainConfig = {
  epsilon: 0.5,
  beta: 1,
  freeSteps: 15,
  clampedSteps: 4,
  batchSize: 5,
  learningRates: [0.05],
  randomBetaSign: true,
  seed: 8,
  rateEvery: 0,
  checkpointEvery: 0,
};

function sameBits(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

async function run(threads: number, c: TrainConfig = config) {
  const t = await Trainer.create(compiled, c, data, { threads });
  assert.equal(t.threads, threads);
  const outcomes = [await t.trainEpoch(), await t.trainEpoch()];
  const test = syntheticData(15, 12, 4, 3);
  const testError = await t.evaluateParallel(test);
  const result = {
    outcomes: outcomes.map((o) => [o.trainError, o.evalError]),
    testError,
    W: denseWeights(t.exportCompiled()),
    evalParticle: t.particles('eval', 3),
    tensors: tf.memory().numTensors,
  };
  t.dispose();
  return result;
}

describe('phase workers (wasm)', () => {
  before(() => useBackend('wasm'));

  it('two and three threads give the run of one thread; two threads twice give the same run', async () => {
    const one = await run(1),
      two = await run(2),
      three = await run(3),
      twoAgain = await run(2);
    for (const other of [two, three]) {
      assert.deepEqual(other.outcomes, one.outcomes);
      assert.equal(other.testError, one.testError);
      // README: bit-identical on wasm. Exact equality, so a split that changes the rounding fails.
      assert.ok(sameBits(other.W, one.W), `weights differ by ${relativeError(other.W, one.W)}`);
      assert.ok(
        sameBits(other.evalParticle, one.evalParticle),
        `eval particles differ by ${relativeError(other.evalParticle, one.evalParticle)}`,
      );
    }
    assert.deepEqual(Buffer.from(twoAgain.W.buffer), Buffer.from(two.W.buffer));
  });

  it('a batch of 12 split 4 + 8 (whole groups of 4 rows on wasm) gives the run of one thread', async () => {
    const c12 = { ...config, batchSize: 12 };
    const one = await run(1, c12),
      two = await run(2, c12);
    assert.deepEqual(two.outcomes, one.outcomes);
    assert.ok(sameBits(two.W, one.W), `weights differ by ${relativeError(two.W, one.W)}`);
    assert.ok(
      sameBits(two.evalParticle, one.evalParticle),
      `eval particles differ by ${relativeError(two.evalParticle, one.evalParticle)}`,
    );
  });

  it('a sync evaluate() on the main thread agrees with evaluateParallel()', async () => {
    const a = await Trainer.create(compiled, config, data, { threads: 2 });
    const b = await Trainer.create(compiled, config, data, { threads: 2 });
    await a.trainEpoch();
    await b.trainEpoch();
    assert.equal(a.evaluate(data.eval), await b.evaluateParallel(data.eval));
    a.dispose();
    b.dispose();
  });

  it('rejects a bad thread count', async () => {
    await assert.rejects(Trainer.create(compiled, config, data, { threads: 0 }), /threads/);
  });
});
