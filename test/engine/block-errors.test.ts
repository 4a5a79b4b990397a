/**
 * The running training error per block of ERROR_BLOCK_BATCHES batches (issue: the paper's "training
 * error after one epoch" is counted during training, and paper-scale runs report it per 500-batch
 * block). Checked against the errors the trainer reports batch by batch (onBatch), including a run
 * stopped inside a block and resumed from its checkpoint, whose blocks must be the same.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_BLOCK_BATCHES, type TrainConfig } from '../../engine/index.js';
import { Trainer } from '../../engine/trainer.js';
import { syntheticData, tinyTopology, useBackend } from './helpers.js';

const B = 2;
const BLOCK = 10; // the runs' blocks are ERROR_BLOCK_BATCHES (500) long; the rule is the same
const BATCHES = 2 * BLOCK + 7; // two full blocks and a short one
const compiled = tinyTopology({ sizes: [6, 4, 3], mode: 'layered' });
const data = { train: syntheticData(BATCHES * B, 6, 3, 21), eval: syntheticData(4, 6, 3, 22) };
const config: TrainConfig = {
  epsilon: 0.5,
  beta: 1,
  freeSteps: 3,
  clampedSteps: 2,
  batchSize: B,
  learningRates: [0.05],
  randomBetaSign: true,
  seed: 3,
  rateEvery: 0,
  checkpointEvery: 0,
};

describe('training error per block of batches', () => {
  let dir: string;
  before(async () => {
    await useBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'eqprop-blocks-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('counts each block from the per-batch errors, the last block over its own batches', async () => {
    assert.equal(ERROR_BLOCK_BATCHES, 500);
    const trainer = await Trainer.create(compiled, config, data, { errorBlockBatches: BLOCK });
    const wrongSoFar: number[] = [];
    const outcome = await trainer.trainEpoch({
      onBatch: (p) => wrongSoFar.push(Math.round(p.trainErrorSoFar * p.batch * B)),
    });
    trainer.dispose();
    assert.equal(wrongSoFar.length, BATCHES);
    const ends = [BLOCK, 2 * BLOCK, BATCHES].map((b) => wrongSoFar[b - 1]);
    const wrong = [ends[0], ends[1] - ends[0], ends[2] - ends[1]];
    assert.deepEqual(outcome.blockErrors, [wrong[0] / (BLOCK * B), wrong[1] / (BLOCK * B), wrong[2] / (7 * B)]);
    assert.ok(wrong[2] > 0, 'the tiny net makes mistakes in the short block, so a wrong divisor would show');
    // The epoch's error is the examples-weighted mean of its blocks.
    assert.ok(Math.abs(outcome.trainError - ends[2] / (BATCHES * B)) < 1e-12);
  });

  it('a run stopped inside a block and resumed from its checkpoint reports the same blocks', async () => {
    const straight = await Trainer.create(compiled, config, data, { errorBlockBatches: BLOCK });
    const expected = await straight.trainEpoch();
    straight.dispose();
    const path = join(dir, 'blocks.ckpt');
    const first = await Trainer.create(compiled, config, data, { errorBlockBatches: BLOCK });
    let done = 0;
    const stopped = await first.trainEpoch({ checkpointPath: path, shouldStop: () => ++done >= BLOCK + 4 });
    assert.equal(stopped.stopped, true);
    first.dispose();
    const resumed = await Trainer.resume(path, data);
    const outcome = await resumed.trainEpoch();
    resumed.dispose();
    assert.deepEqual(outcome.blockErrors, expected.blockErrors);
  });
});
