/**
 * Defaults bit for bit: a short run on the cpu backend (plain JavaScript arithmetic, the same on
 * every machine) hashes to what the engine computed before the options beyond the paper existed
 * (commit 8fdb93a). Any change to the default path — an extra op, a reordered sum, a random draw
 * taken from the run's β-sign stream — changes the hash. wasm is left out: XNNPACK picks kernels
 * by CPU, so its last bits may differ between machines.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { StepLayout, TrainConfig } from '../../engine/index.js';
import { Trainer } from '../../engine/trainer.js';
import { syntheticData, tinyTopology, useBackend } from './helpers.js';

const GOLDEN: Record<StepLayout, string> = {
  blocks: 'a5b69c8e2e2b44592efa1be2729f71c4f58a998ad0ad8880f309fd09b4c6d3bc',
  fused: '5ac247cc2175808fcc63f6538b665d4d8eec156fbefe6d6a9bdc5fc50c3e9d80',
};

describe("the paper's defaults, bit for bit (cpu)", () => {
  before(() => useBackend('cpu'));

  for (const layout of ['blocks', 'fused'] as const) {
    it(`${layout}: two epochs hash as before the options beyond the paper`, async () => {
      const compiled = tinyTopology({ sizes: [10, 8, 6, 4], mode: 'replace', n: 12, seed: 3 });
      const config: TrainConfig = {
        epsilon: 0.5,
        beta: 1,
        freeSteps: 30,
        clampedSteps: 4,
        batchSize: 5,
        learningRates: [0.1, 0.05, 0.02],
        randomBetaSign: true,
        seed: 9,
        rateEvery: 1,
        checkpointEvery: 0,
      };
      const data = { train: syntheticData(30, 10, 4, 1), eval: syntheticData(10, 10, 4, 2) };
      const t = await Trainer.create(compiled, config, data, { layout });
      await t.trainEpoch();
      await t.trainEpoch();
      const out = t.exportCompiled();
      const h = createHash('sha256');
      for (const b of out.blocks) h.update(Buffer.from(b.weights.buffer));
      h.update(Buffer.from(out.skip.weight.buffer));
      h.update(Buffer.from(out.biases.buffer));
      h.update(Buffer.from(t.particles('train', 1).buffer));
      h.update(Buffer.from(t.particles('eval', 1).buffer));
      t.dispose();
      assert.equal(h.digest('hex'), GOLDEN[layout]);
    });
  }
});
