/**
 * The options beyond the paper against the float64 oracle (test/engine/oracle.ts), which
 * implements each rule directly on the dense state: symmetric nudging, target feedback into
 * hidden layers, add-train-remove, and the initialisation of added connections. Each option is
 * also checked to change the numbers (an option that silently did nothing would pass the
 * comparison with an oracle that shares the default path).
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { StepLayout, TrainConfig } from '../../engine/index.js';
import { Trainer } from '../../engine/trainer.js';
import { denseWeights } from '../../graph/compile.js';
import type { CompiledTopology } from '../../graph/types.js';
import { feedbackMatrix } from '../../engine/feedback.js';
import { applyExtraInit } from '../../engine/extra-init.js';
import { networkFromCompiled } from '../../engine/network.js';
import { oracleTrain } from './oracle.js';
import { relativeError, syntheticData, tinyTopology, useBackend } from './helpers.js';

const sizes = [6, 5, 4, 3];
const data = { train: syntheticData(12, 6, 3, 11), eval: syntheticData(8, 6, 3, 12) };
const replace = tinyTopology({ sizes, mode: 'replace', n: 10 });
const BATCHES = 5; // one epoch of 3 batches, then 2 more

function config(extra: Partial<TrainConfig>): TrainConfig {
  return {
    epsilon: 0.5,
    beta: 0.7,
    freeSteps: 20,
    clampedSteps: 4,
    batchSize: 4,
    learningRates: [0.1, 0.05, 0.02],
    randomBetaSign: true,
    seed: 5,
    rateEvery: 0,
    checkpointEvery: 0,
    ...extra,
  };
}

async function train(compiled: CompiledTopology, cfg: TrainConfig, layout: StepLayout, batches = BATCHES, threads = 1) {
  const trainer = await Trainer.create(compiled, cfg, data, { layout, threads });
  let done = 0;
  while (done < batches) await trainer.trainEpoch({ shouldStop: () => ++done >= batches });
  const after = trainer.exportCompiled();
  trainer.dispose();
  return after;
}

function assertMatchesOracle(after: CompiledTopology, run: ReturnType<typeof oracleTrain>, label: string): void {
  const W = denseWeights(after);
  assert.ok(relativeError(W, run.net.W) <= 1e-4, `${label}: weights ${relativeError(W, run.net.W)}`);
  const b = after.biases.slice(sizes[0]),
    ob = run.net.b.slice(sizes[0]);
  assert.ok(relativeError(b, ob) <= 1e-4, `${label}: biases ${relativeError(b, ob)}`);
}

/** How far an option moves the weights from the default run's (must be far above float32 rounding). */
function distance(a: CompiledTopology, b: CompiledTopology): number {
  return relativeError(denseWeights(a), denseWeights(b));
}

describe('options beyond the paper vs the float64 oracle', () => {
  before(() => useBackend('wasm'));

  for (const layout of ['blocks', 'fused'] as const) {
    it(`${layout}: symmetric nudging`, async () => {
      const cfg = config({ symmetricNudging: true });
      const after = await train(replace, cfg, layout);
      assertMatchesOracle(after, oracleTrain(replace, cfg, data.train, BATCHES), 'symmetric');
      const d = distance(after, await train(replace, config({}), layout));
      assert.ok(d > 1e-3, `symmetric differs from one-sided (${d})`);
    });

    it(`${layout}: target feedback into hidden layers 1 and 2`, async () => {
      const feedback = { layers: [1, 2], density: 0.6, scale: 0.5 };
      const cfg = config({ targetFeedback: feedback });
      const after = await train(replace, cfg, layout);
      const B = feedbackMatrix(networkFromCompiled(replace), feedback, cfg.seed);
      assertMatchesOracle(after, oracleTrain(replace, cfg, data.train, BATCHES, undefined, B), 'feedback');
      const d = distance(after, await train(replace, config({}), layout));
      assert.ok(d > 1e-3, `feedback changes the update (${d})`);
    });

    it(`${layout}: skips (and intralayer) removed after one epoch`, async () => {
      for (const removeIntralayer of [false, true]) {
        const cfg = config({ removeSkipsAfter: 1, removeIntralayer });
        const after = await train(replace, cfg, layout);
        assertMatchesOracle(
          after,
          oracleTrain(replace, cfg, data.train, BATCHES),
          `remove (intralayer ${removeIntralayer})`,
        );
        const W = denseWeights(after),
          N = after.N;
        const layerOf = (v: number) => after.offsets.filter((o) => v >= o).length - 1;
        let removed = 0;
        for (let i = 0; i < N; i++)
          for (let j = 0; j < N; j++) {
            const span = Math.abs(layerOf(i) - layerOf(j));
            if (span >= 2 || (span === 0 && removeIntralayer)) {
              assert.equal(W[i * N + j], 0, `connection ${i}-${j} stays removed`);
              removed++;
            }
          }
        assert.ok(removed > 0);
      }
      // Before the switch, nothing is removed: three batches equal the default run's.
      const early = await train(replace, config({ removeSkipsAfter: 1 }), layout, 3);
      assert.equal(distance(early, await train(replace, config({}), layout, 3)), 0);
    });
  }

  it('symmetric nudging and target feedback on two threads give the one-thread numbers', async () => {
    const cfg = config({ symmetricNudging: true, targetFeedback: { layers: [1, 2], density: 0.6, scale: 0.5 } });
    const one = await train(replace, cfg, 'fused', BATCHES, 1);
    const two = await train(replace, cfg, 'fused', BATCHES, 2);
    assert.ok(relativeError(denseWeights(two), denseWeights(one)) <= 1e-6);
  });

  it('extra-init: the run starts from the re-initialised connections, which the oracle then trains alike', async () => {
    for (const extraInit of [{ kind: 'zero' }, { kind: 'glorot' }, { kind: 'uniform', a: 0.3 }] as const) {
      const cfg = config({ extraInit });
      const trainer = await Trainer.create(replace, cfg, data, { layout: 'fused' });
      const start = trainer.exportCompiled();
      trainer.dispose();
      const after = await train(replace, cfg, 'fused');
      assertMatchesOracle(after, oracleTrain(start, config({}), data.train, BATCHES), `extra-init ${extraInit.kind}`);
    }
  });

  it('extra-init: bounds, symmetry, masks, adjacent blocks untouched, seeded', () => {
    const base = networkFromCompiled(tinyTopology({ sizes: [6, 40, 30, 3], mode: 'add', n: 300 }));
    for (const init of [{ kind: 'zero' }, { kind: 'glorot' }, { kind: 'uniform', a: 0.3 }] as const) {
      const net = structuredClone(base);
      applyExtraInit(net, init, 3);
      for (const [bi, block] of net.blocks.entries()) {
        const before = base.blocks[bi];
        if (block.kind === 'adjacent') {
          assert.deepEqual(block.weights, before.weights);
          continue;
        }
        const a =
          init.kind === 'zero' ? 0 : init.kind === 'uniform' ? init.a : Math.sqrt(6 / (block.rows + block.cols));
        let max = 0;
        for (let k = 0; k < block.weights.length; k++) {
          const w = block.weights[k];
          if (!block.mask[k]) assert.equal(w, 0);
          assert.ok(Math.abs(w) <= a, `|w| ${w} ≤ ${a}`);
          max = Math.max(max, Math.abs(w));
        }
        if (a > 0 && block.maskCount > 50)
          assert.ok(max > 0.8 * a, `${block.kind} ${block.a}-${block.b}: draws fill U[−a, a] (max ${max}, a ${a})`);
        if (block.kind === 'intralayer') {
          for (let i = 0; i < block.rows; i++) {
            assert.equal(block.weights[i * block.cols + i], 0);
            for (let j = 0; j < block.cols; j++)
              assert.equal(block.weights[i * block.cols + j], block.weights[j * block.cols + i]);
          }
        }
      }
    }
    const again = structuredClone(base),
      other = structuredClone(base),
      seeded = structuredClone(base);
    applyExtraInit(again, { kind: 'glorot' }, 3);
    applyExtraInit(seeded, { kind: 'glorot' }, 3);
    applyExtraInit(other, { kind: 'glorot' }, 4);
    assert.deepEqual(
      again.blocks.map((b) => b.weights),
      seeded.blocks.map((b) => b.weights),
    );
    assert.notDeepEqual(
      again.blocks.map((b) => b.weights),
      other.blocks.map((b) => b.weights),
    );
  });

  it('feedback matrix: only the chosen layers, the density asked for, within ±scale, seeded', () => {
    const net = networkFromCompiled(tinyTopology({ sizes: [6, 200, 150, 100, 10], mode: 'layered' }));
    const M = net.N - 6;
    const B = feedbackMatrix(net, { layers: [1, 3], density: 0.1, scale: 0.05 }, 9)!;
    let present = 0;
    for (let r = 0; r < 10; r++)
      for (let c = 0; c < M; c++) {
        const v = B[r * M + c];
        const layer = c < 200 ? 1 : c < 350 ? 2 : c < 450 ? 3 : 4;
        if (layer === 2 || layer === 4) assert.equal(v, 0, `column ${c} (layer ${layer}) gets no feedback`);
        assert.ok(Math.abs(v) <= 0.05);
        if (v !== 0) present++;
      }
    const expected = 0.1 * 10 * 300;
    assert.ok(Math.abs(present - expected) < 4 * Math.sqrt(expected), `${present} entries, expected ≈ ${expected}`);
    assert.deepEqual(feedbackMatrix(net, { layers: [1, 3], density: 0.1, scale: 0.05 }, 9), B);
    assert.equal(feedbackMatrix(net, null, 9), null);
  });
});
