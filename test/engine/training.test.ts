/**
 * Run-level guarantees: resuming from a mid-epoch checkpoint continues bit for bit; the same seed
 * on the same backend gives the same run (and another seed does not); no tensor leaks; checkpoint
 * files are validated on read; config errors name the field.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '../../engine/index.js';
import { Trainer } from '../../engine/trainer.js';
import { denseWeights } from '../../graph/compile.js';
import { InputError } from '../../lib/errors.js';
import { syntheticData, tinyTopology, useBackend } from './helpers.js';

const compiled = tinyTopology({ sizes: [12, 8, 8, 4], mode: 'replace', n: 20 });
const data = { train: syntheticData(48, 12, 4, 1), eval: syntheticData(16, 12, 4, 2) };
const config: TrainConfig = {
  epsilon: 0.5,
  beta: 1,
  freeSteps: 15,
  clampedSteps: 4,
  batchSize: 4,
  learningRates: [0.1, 0.05, 0.02],
  randomBetaSign: true,
  seed: 42,
  rateEvery: 1,
  checkpointEvery: 5,
};

async function trainEpochs(trainer: Trainer, epochs: number) {
  const outcomes = [];
  while (trainer.epoch < epochs) outcomes.push(await trainer.trainEpoch());
  return outcomes;
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe('training runs (wasm)', () => {
  let dir: string;
  before(async () => {
    await useBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'eqprop-engine-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a run stopped mid-epoch and resumed from its checkpoint: bit-identical weights, biases, particles', async () => {
    const straight = await Trainer.create(compiled, config, data);
    const straightOutcomes = await trainEpochs(straight, 2);

    const path = join(dir, 'run.ckpt');
    const first = await Trainer.create(compiled, config, data);
    let batches = 0;
    const stopped = await first.trainEpoch({ checkpointPath: path, shouldStop: () => ++batches === 7 });
    assert.equal(stopped.stopped, true);
    first.dispose();
    assert.deepEqual(readdirSync(dir), ['run.ckpt'], 'no temp file left behind');

    const resumed = await Trainer.resume(path, data);
    assert.equal(resumed.globalBatch, 7);
    const resumedOutcomes = await trainEpochs(resumed, 2);
    assert.deepEqual(
      resumedOutcomes.map((o) => [o.epoch, o.trainError, o.evalError]),
      straightOutcomes.map((o) => [o.epoch, o.trainError, o.evalError]),
    );

    const a = straight.exportCompiled(),
      b = resumed.exportCompiled();
    assert.ok(sameBits(denseWeights(a), denseWeights(b)), 'weights bit-identical');
    assert.ok(sameBits(a.biases, b.biases), 'biases bit-identical');
    for (let i = 0; i < 12; i++)
      assert.ok(sameBits(straight.particles('train', i), resumed.particles('train', i)), `train particle ${i}`);
    for (let i = 0; i < 4; i++)
      assert.ok(sameBits(straight.particles('eval', i), resumed.particles('eval', i)), `eval particle ${i}`);
    assert.ok(!sameBits(denseWeights(a), denseWeights(compiled)), 'the weights trained');
    straight.dispose();
    resumed.dispose();
  });

  it('same seed, same backend: the same run; another seed: a different one', async () => {
    const runs = [];
    for (const seed of [3, 3, 4]) {
      const t = await Trainer.create(compiled, { ...config, seed }, data);
      await trainEpochs(t, 1);
      runs.push(denseWeights(t.exportCompiled()));
      t.dispose();
    }
    assert.ok(sameBits(runs[0], runs[1]));
    assert.ok(!sameBits(runs[0], runs[2]));
  });

  it('no tensor leaks: as many tensors after batch 30 as after batch 3', async () => {
    const t = await Trainer.create(compiled, { ...config, checkpointEvery: 0 }, data);
    const counts = new Map<number, number>();
    let batch = 0;
    while (batch < 30) {
      await t.trainEpoch({ onBatch: () => counts.set(++batch, tf.memory().numTensors), onRates: () => undefined });
    }
    assert.equal(counts.get(30), counts.get(3));
    t.dispose();
  });

  it('rates are reported for every adjacent pair every rateEvery batches', async () => {
    const t = await Trainer.create(compiled, { ...config, rateEvery: 3 }, data);
    const points: { batch: number; pair: number; rate: number }[] = [];
    await t.trainEpoch({ onRates: (p) => points.push(...p) });
    assert.deepEqual([...new Set(points.map((p) => p.batch))], [0, 3, 6, 9]);
    assert.deepEqual(
      points.filter((p) => p.batch === 0).map((p) => p.pair),
      [0, 1, 2],
    );
    assert.ok(points.every((p) => Number.isFinite(p.rate) && p.rate > 0));
    t.dispose();
  });

  it('a truncated or foreign checkpoint is an InputError naming the file', async () => {
    const path = join(dir, 'good.ckpt');
    const t = await Trainer.create(compiled, config, data);
    t.saveCheckpoint(path);
    t.dispose();
    const bytes = readFileSync(path);
    writeFileSync(join(dir, 'short.ckpt'), bytes.subarray(0, bytes.length - 100));
    writeFileSync(join(dir, 'foreign.ckpt'), Buffer.from('PK\u0003\u0004 not a checkpoint at all'));
    for (const name of ['short.ckpt', 'foreign.ckpt', 'missing.ckpt']) {
      await assert.rejects(
        Trainer.resume(join(dir, name), data),
        (e: unknown) => e instanceof InputError && e.message.includes(name),
      );
    }
    await assert.rejects(
      Trainer.resume(path, { ...data, train: syntheticData(48, 12, 4, 99) }),
      (e: unknown) => e instanceof InputError && e.field === 'data.train',
    );
  });

  it('bad configs are InputErrors naming the field', async () => {
    await assert.rejects(
      Trainer.create(compiled, { ...config, learningRates: [0.1, 0.2] }, data),
      (e: unknown) => e instanceof InputError && e.field === 'learningRates',
    );
    await assert.rejects(
      Trainer.create(compiled, { ...config, epsilon: 0 }, data),
      (e: unknown) => e instanceof InputError && e.field === 'epsilon',
    );
    await assert.rejects(
      Trainer.create(compiled, config, { ...data, eval: syntheticData(8, 5, 4, 1) }),
      (e: unknown) => e instanceof InputError && e.field === 'data.eval',
    );
  });
});
