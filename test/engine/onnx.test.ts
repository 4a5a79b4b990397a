/**
 * The onnxruntime backend against wasm (the phases on ORT, engine/onnx/; everything else the same
 * tfjs code): the phases of one batch with target feedback and symmetric nudging in both layouts,
 * whole short runs (training, evaluation, the eq. 2 rates), ORT's threads, the adaptive fallback,
 * and checkpoints that move between the two backends. ORT and wasm sum products in other orders,
 * so they agree to float32 rounding, not bit for bit.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_ADAPTIVE, type StepLayout, type TrainConfig } from '../../engine/index.js';
import { Trainer } from '../../engine/trainer.js';
import { initBackend, type BackendName } from '../../engine/backend.js';
import { buildOperators, disposeOperators } from '../../engine/dynamics/operators.js';
import { feedbackMatrix } from '../../engine/feedback.js';
import { networkFromCompiled } from '../../engine/network.js';
import { runPhases, type PhaseRequest } from '../../engine/phases.js';
import { OrtPhaseRunner } from '../../engine/onnx/ort-phases.js';
import { denseWeights } from '../../graph/compile.js';
import { Rng } from '../../graph/rng.js';
import { ortSkip, relativeError, syntheticData, tinyTopology, useBackend } from './helpers.js';

const skip = await ortSkip();

function maxDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe('onnxruntime phases equal the tfjs phases', { skip }, () => {
  before(() => useBackend('onnxruntime'));
  const sizes = [30, 20, 20, 20, 5];
  // Feedback into layers 1 and 3: in the layered blocks layout layer 3 reads the output layer (the
  // band joins its matrix) and layer 1 does not (an extra product); in the fused layout both join W.
  const cases = (['layered', 'replace'] as const).flatMap((mode) =>
    (['blocks', 'fused'] as StepLayout[]).map((layout) => [mode, layout] as const),
  );
  for (const [mode, layout] of cases) {
    it(`${mode}, ${layout} layout: free, clamped and mirrored clamped phase with target feedback`, async () => {
      const compiled = tinyTopology({ sizes, mode, n: mode === 'replace' ? 400 : undefined, seed: 4 });
      const rng = new Rng(9);
      for (let v = sizes[0]; v < compiled.N; v++) compiled.biases[v] = rng.uniform(-0.2, 0.4);
      const network = networkFromCompiled(compiled);
      const weights = network.blocks.map((b) => tf.tensor2d(b.weights, [b.rows, b.cols]));
      const biases = network.biases.map((b) => tf.tensor1d(b));
      const ops = buildOperators(network, weights, 0.5, layout);
      const B = 6,
        M = compiled.N - sizes[0];
      const data = syntheticData(B, sizes[0], 5, 3);
      const target = new Float32Array(B * 5);
      for (const [i, label] of data.labels.entries()) target[i * 5 + label] = 1;
      const feedback = feedbackMatrix(network, { layers: [1, 3], density: 0.5, scale: 1 }, 3)!;
      const request: PhaseRequest = {
        x: data.images,
        initial: Float32Array.from({ length: B * M }, () => rng.next()),
        target,
        betaSigned: 0.8,
        mirror: true,
        feedback,
        freeSteps: 30,
        clampedSteps: 5,
        adaptive: null,
      };
      const tfjs = runPhases(network, { weights, biases }, ops, 0.5, request);
      const runner = new OrtPhaseRunner(1);
      const ort = await runner.run(network, { weights, biases }, ops, 0.5, request);
      // Without feedback the clamped phase ends elsewhere (the feedback term is really applied).
      const plain = await runner.run(network, { weights, biases }, ops, 0.5, { ...request, feedback: null });
      runner.dispose();
      assert.ok(maxDiff(ort.free, tfjs.free) <= 1e-5, `free: ${maxDiff(ort.free, tfjs.free)}`);
      assert.ok(maxDiff(ort.clamped!, tfjs.clamped!) <= 1e-5, `clamped: ${maxDiff(ort.clamped!, tfjs.clamped!)}`);
      const mirrorDiff = maxDiff(ort.clampedMirror!, tfjs.clampedMirror!);
      assert.ok(mirrorDiff <= 1e-5, `mirror: ${mirrorDiff}`);
      assert.ok(maxDiff(ort.clamped!, ort.clampedMirror!) > 1e-2, 'the two signs of β end apart');
      assert.ok(maxDiff(plain.clamped!, ort.clamped!) > 1e-3, 'feedback moves the clamped state');
      assert.equal(ort.freeStepsSum, B * 30);
      disposeOperators(ops);
      tf.dispose([...weights, ...biases]);
    });
  }
});

const compiled = tinyTopology({ sizes: [12, 8, 8, 4], mode: 'replace', n: 20 });
const data = { train: syntheticData(60, 12, 4, 1), eval: syntheticData(20, 12, 4, 2) };
const config: TrainConfig = {
  epsilon: 0.5,
  beta: 1,
  freeSteps: 15,
  clampedSteps: 4,
  batchSize: 5,
  learningRates: [0.1, 0.05, 0.02],
  randomBetaSign: true,
  seed: 8,
  rateEvery: 1,
  checkpointEvery: 0,
};

interface Run {
  outcomes: number[][];
  rates: number[];
  W: Float32Array;
  trainParticle: Float32Array;
  evalParticle: Float32Array;
}

async function run(
  backend: BackendName,
  options: { threads?: number; layout?: StepLayout; c?: TrainConfig } = {},
): Promise<Run> {
  await initBackend(backend);
  const { threads, layout } = options;
  const t = await Trainer.create(compiled, options.c ?? config, data, { threads, layout });
  assert.equal(t.backend, backend);
  const rates: number[] = [];
  const onRates = (points: { rate: number }[]) => rates.push(...points.map((p) => p.rate));
  const outcomes = [await t.trainEpoch({ onRates }), await t.trainEpoch({ onRates })].map((o) => [
    o.trainError,
    o.evalError,
  ]);
  const result = snapshot(t, outcomes, rates);
  t.dispose();
  return result;
}

function snapshot(t: Trainer, outcomes: number[][], rates: number[]): Run {
  return {
    outcomes,
    rates,
    W: denseWeights(t.exportCompiled()),
    trainParticle: t.particles('train', 5),
    evalParticle: t.particles('eval', 2),
  };
}

function assertClose(a: Run, b: Run, what: string): void {
  assert.deepEqual(a.outcomes, b.outcomes, `${what}: training and evaluation errors`);
  for (const key of ['rates', 'W', 'trainParticle', 'evalParticle'] as const) {
    const err = relativeError(a[key], b[key]);
    assert.ok(err <= 1e-4, `${what}: ${key} relative error ${err}`);
  }
}

describe('whole runs: onnxruntime against wasm', { skip }, () => {
  for (const layout of ['blocks', 'fused'] as StepLayout[]) {
    it(`two epochs, evaluation, ${layout} layout, symmetric nudging, target feedback: same to rounding`, async () => {
      const c = { ...config, symmetricNudging: true, targetFeedback: { layers: [1, 2], density: 0.5, scale: 0.5 } };
      const wasm = await run('wasm', { layout, c }),
        ort = await run('onnxruntime', { layout, c });
      assertClose(ort, wasm, layout);
      // The comparison has something to compare: the weights moved.
      assert.ok(relativeError(denseWeights(compiled), wasm.W) > 1e-3);
    });
  }

  // Catches a runner that ignores --threads or whose rows depend on the thread count.
  it('two ORT intra-op threads give the run of one', async () => {
    const one = await run('onnxruntime', { threads: 1 }),
      two = await run('onnxruntime', { threads: 2 });
    assertClose(two, one, 'threads');
    await initBackend('onnxruntime');
    const t = await Trainer.create(compiled, config, data, { threads: 2 });
    assert.equal(t.threads, 2);
    t.dispose();
  });

  it('the adaptive free phase falls back to the tfjs path: the run of wasm, bit for bit', async () => {
    const c = { ...config, adaptive: { ...DEFAULT_ADAPTIVE, minSteps: 5, every: 2, window: 2 } };
    const wasm = await run('wasm', { c }),
      ort = await run('onnxruntime', { c });
    assert.deepEqual(ort, wasm);
  });
});

describe('checkpoints move between wasm and onnxruntime', { skip }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'eqprop-ort-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [first, second] of [
    ['wasm', 'onnxruntime'],
    ['onnxruntime', 'wasm'],
  ] as const) {
    it(`a run started on ${first} resumes on ${second} and ends as the uninterrupted ${first} run`, async () => {
      const whole = await run(first);
      await initBackend(first);
      const path = join(dir, `${first}.ckpt`);
      const t = await Trainer.create(compiled, config, data);
      let batches = 0;
      const rates: number[] = [];
      const onRates = (points: { rate: number }[]) => rates.push(...points.map((p) => p.rate));
      const stopped = await t.trainEpoch({ onRates, shouldStop: () => ++batches >= 7, checkpointPath: path });
      assert.equal(stopped.stopped, true);
      t.dispose();
      await initBackend(second);
      const resumed = await Trainer.resume(path, data);
      assert.equal(resumed.backend, second);
      const outcomes = [await resumed.trainEpoch({ onRates }), await resumed.trainEpoch({ onRates })].map((o) => [
        o.trainError,
        o.evalError,
      ]);
      const result = snapshot(resumed, outcomes, rates);
      resumed.dispose();
      assertClose(result, whole, `${first} → ${second}`);
    });
  }
});

// Catches an unrolled Loop that drops or repeats the remainder steps (n mod u) of a phase.
describe('unrolled phase Loops', { skip }, () => {
  before(() => useBackend('onnxruntime'));
  it('3 steps per Loop iteration give the phases of 1 (30 free = 10 × 3, 5 clamped = 1 × 3 + 2)', async () => {
    const sizes = [12, 8, 8, 4];
    const network = networkFromCompiled(tinyTopology({ sizes, mode: 'replace', n: 20 }));
    const weights = network.blocks.map((b) => tf.tensor2d(b.weights, [b.rows, b.cols]));
    const biases = network.biases.map((b) => tf.tensor1d(b));
    const B = 5,
      M = network.N - sizes[0],
      rng = new Rng(2);
    const target = new Float32Array(B * 4).map((_, i) => (i % 4 === i % 3 ? 1 : 0));
    const request: PhaseRequest = {
      x: syntheticData(B, sizes[0], 4, 1).images,
      initial: Float32Array.from({ length: B * M }, () => rng.next()),
      target,
      betaSigned: 0.5,
      mirror: false,
      feedback: null,
      freeSteps: 30,
      clampedSteps: 5,
      adaptive: null,
    };
    for (const layout of ['blocks', 'fused'] as StepLayout[]) {
      const ops = buildOperators(network, weights, 0.5, layout);
      const one = new OrtPhaseRunner(1, { unroll: 1 }),
        three = new OrtPhaseRunner(1, { unroll: 3 });
      const a = await one.run(network, { weights, biases }, ops, 0.5, request);
      const b = await three.run(network, { weights, biases }, ops, 0.5, request);
      const fewer = { ...request, freeSteps: 29, clampedSteps: 4 };
      const shorter = await one.run(network, { weights, biases }, ops, 0.5, fewer);
      one.dispose();
      three.dispose();
      disposeOperators(ops);
      assert.ok(maxDiff(a.free, b.free) <= 1e-6 && maxDiff(a.clamped!, b.clamped!) <= 1e-6, layout);
      assert.ok(maxDiff(a.clamped!, shorter.clamped!) > 1e-4, `${layout}: one step fewer shows`);
    }
    tf.dispose([...weights, ...biases]);
  });
});
