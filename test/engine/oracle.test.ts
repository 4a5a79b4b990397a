/**
 * The engine against the float64 oracle (test/engine/oracle.ts): for tiny networks of every
 * topology kind, single and per-layer rates, both signs of β, a few batches agree to a relative
 * error (max norm) ≤ 1e-4 in weights, biases and free-equilibrium states, on cpu, wasm and
 * onnxruntime (its phases on ORT, the rest on wasm). And,
 * compared after every batch over two epochs, the eq. 2 rates and the weights, and after every
 * epoch the evaluation error and the evaluation particles.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { RatesAs, StepLayout, TrainConfig } from '../../engine/index.js';
import { Trainer } from '../../engine/trainer.js';
import { denseWeights } from '../../graph/compile.js';
import type { CompiledTopology, TopologyMode } from '../../graph/types.js';
import { oracleTrain } from './oracle.js';
import { relativeError, syntheticData, testedBackends, tinyTopology, useBackend } from './helpers.js';

const sizes = [6, 5, 4, 3];
const topologies: Record<TopologyMode, CompiledTopology> = {
  layered: tinyTopology({ sizes, mode: 'layered' }),
  replace: tinyTopology({ sizes, mode: 'replace', n: 10 }),
  add: tinyTopology({ sizes, mode: 'add', n: 10 }),
  'per-connection': tinyTopology({ sizes, mode: 'per-connection', p: 0.2 }),
  'no-intralayer': tinyTopology({ sizes, mode: 'no-intralayer', p: 0.3 }),
};
const data = { train: syntheticData(12, 6, 3, 11), eval: syntheticData(8, 6, 3, 12) };
const BATCHES = 5; // one epoch of 3 batches, then 2 more: particles are reused

function config(rates: number[], ratesAs: RatesAs = 'paper'): TrainConfig {
  return {
    epsilon: 0.5,
    beta: 0.7,
    freeSteps: 20,
    clampedSteps: 4,
    batchSize: 4,
    learningRates: rates,
    ratesAs,
    randomBetaSign: true,
    seed: 5,
    rateEvery: 0,
    checkpointEvery: 0,
  };
}

async function runEngine(compiled: CompiledTopology, cfg: TrainConfig, layout: StepLayout): Promise<Trainer> {
  const trainer = await Trainer.create(compiled, cfg, data, { layout });
  assert.equal(trainer.layout, layout);
  let done = 0;
  while (done < BATCHES) await trainer.trainEpoch({ shouldStop: () => ++done >= BATCHES });
  return trainer;
}

for (const { backend, skip } of await testedBackends()) {
  describe(`engine vs float64 oracle (${backend})`, { skip }, () => {
    before(() => useBackend(backend));

    it('the tiny replace and add topologies contain skip and intralayer connections among non-input layers', () => {
      for (const mode of ['replace', 'add'] as const) {
        const t = topologies[mode];
        assert.ok(
          t.blocks.some((b) => b.kind === 'intralayer'),
          `${mode}: intralayer block`,
        );
        let hiddenSkip = 0;
        for (let e = 0; e < t.skip.count; e++) if (t.skip.srcLayer[e] >= 1) hiddenSkip++;
        assert.ok(hiddenSkip > 0, `${mode}: a skip connection between non-input layers`);
      }
    });

    // Catches a wrong eq. 2 (e.g. mean |ΔW| instead of the RMS over the whole adjacent block, or
    // a denominator of existing connections only) and an evaluation that starts each batch's
    // free phase from zeros instead of its persistent particle: 3 free steps are far from the
    // equilibrium, so where the phase starts shows in the error and the particles.
    for (const mode of ['layered', 'replace'] as const) {
      it(`${mode}: eq. 2 rates and weights after every batch, evaluation after every epoch`, async () => {
        const cfg = { ...config([0.1, 0.05, 0.02]), freeSteps: 3, rateEvery: 1 };
        const perEpoch = Math.floor(data.train.count / cfg.batchSize),
          epochs = 2;
        const oracle = oracleTrain(topologies[mode], cfg, data.train, perEpoch * epochs, data.eval);
        const trainer = await Trainer.create(topologies[mode], cfg, data, { layout: 'blocks' });
        const engineRates: number[][] = [];
        const evalErrors: number[] = [];
        for (let batch = 0; batch < perEpoch * epochs; batch++) {
          const outcome = await trainer.trainEpoch({
            shouldStop: () => true,
            onRates: (points) => engineRates.push(points.map((p) => p.rate)),
          });
          assert.equal(outcome.stopped, true);
          assert.equal(engineRates.length, batch + 1, 'one rate point per pair and batch');
          const err = relativeError(engineRates[batch], oracle.rates[batch]);
          assert.ok(
            err <= 1e-4,
            `batch ${batch} rates ${engineRates[batch]} vs oracle ${oracle.rates[batch]}: relative error ${err}`,
          );
          const W = denseWeights(trainer.exportCompiled());
          assert.ok(relativeError(W, oracle.weightsAfter[batch]) <= 1e-4, `weights after batch ${batch}`);
          if ((batch + 1) % perEpoch === 0) {
            const end = await trainer.trainEpoch(); // no batches left: the epoch's evaluation
            assert.equal(end.stopped, false);
            evalErrors.push(end.evalError);
          }
        }
        assert.deepEqual(evalErrors, oracle.evalErrors, 'evaluation error after each epoch');
        for (let i = 0; i < oracle.evalParticles.length; i++) {
          const err = relativeError(trainer.particles('eval', i), oracle.evalParticles[i]);
          assert.ok(err <= 1e-4, `evaluation particles of batch ${i}: relative error ${err}`);
        }
        trainer.dispose();
      });
    }

    for (const [mode, compiled] of Object.entries(topologies)) {
      const perLayer = [0.1, 0.05, 0.02];
      const cases: [number[], StepLayout, RatesAs][] = [
        [[0.05], 'blocks', 'paper'],
        [perLayer, 'blocks', 'paper'],
        [[0.05], 'fused', 'paper'],
        [perLayer, 'fused', 'paper'],
        [perLayer, 'blocks', 'authors-code'],
        [perLayer, 'fused', 'authors-code'],
      ];
      for (const [rates, layout, ratesAs] of cases) {
        const rateLabel = rates.length === 1 ? 'single rate' : `per-layer rates as ${ratesAs}`;
        it(`${mode}, ${rateLabel}, ${layout} layout: weights, biases and states agree`, async () => {
          const cfg = config(rates, ratesAs);
          const oracle = oracleTrain(compiled, cfg, data.train, BATCHES);
          assert.ok(oracle.signs.includes(1) && oracle.signs.includes(-1), `both signs of β used: ${oracle.signs}`);
          const trainer = await runEngine(compiled, cfg, layout);
          const exported = trainer.exportCompiled();
          const W = denseWeights(exported);
          assert.ok(
            relativeError(W, oracle.net.W) <= 1e-4,
            `weights: relative error ${relativeError(W, oracle.net.W)}`,
          );
          // The weights moved: the comparison is not between two copies of the initial weights.
          assert.ok(relativeError(denseWeights(compiled), oracle.net.W) > 1e-3);
          assert.ok(
            relativeError(exported.biases, oracle.net.b) <= 1e-4,
            `biases: relative error ${relativeError(exported.biases, oracle.net.b)}`,
          );
          for (let i = 0; i < oracle.particles.length; i++) {
            const states = trainer.particles('train', i);
            assert.ok(
              relativeError(states, oracle.particles[i]) <= 1e-4,
              `states of batch ${i}: relative error ${relativeError(states, oracle.particles[i])}`,
            );
          }
          trainer.dispose();
        });
      }
    }
  });
}

/**
 * SPEC §3: the authors' code scales only the adjacent-layer blocks by the per-layer rates; biases,
 * intralayer and layer-skipping weights move at rate 1. From identical weights, one batch of each
 * must therefore give the same adjacent-block updates and, everywhere else, updates whose ratio is
 * exactly 1/η of the class (the same bracket times another rate). With one rate they are identical.
 */
describe('--rates-as paper vs authors-code', () => {
  before(() => useBackend('cpu'));
  const compiled = topologies.replace;
  const N = compiled.N;
  const layerOf = (v: number) => {
    let l = 0;
    while (l + 1 < compiled.sizes.length && compiled.offsets[l + 1] <= v) l++;
    return l;
  };
  async function oneBatch(
    rates: number[],
    ratesAs: RatesAs,
  ): Promise<{ W: Float32Array | Float64Array; b: Float32Array }> {
    const trainer = await Trainer.create(compiled, config(rates, ratesAs), data, {});
    await trainer.trainEpoch({ shouldStop: () => true });
    const exported = trainer.exportCompiled();
    trainer.dispose();
    return { W: denseWeights(exported), b: exported.biases };
  }

  it('per-layer rates: adjacent blocks agree; biases, intralayer and skip weights differ by 1/η', async () => {
    const rates = [0.1, 0.05, 0.02];
    const paper = await oneBatch(rates, 'paper');
    const authors = await oneBatch(rates, 'authors-code');
    const W0 = denseWeights(compiled);
    const counts = { adjacent: 0, other: 0 };
    for (let i = 0; i < N; i++)
      for (let j = i + 1; j < N; j++) {
        const dPaper = paper.W[i * N + j] - W0[i * N + j];
        const dAuthors = authors.W[i * N + j] - W0[i * N + j];
        if (Math.abs(dPaper) < 1e-5) continue; // float32 cancellation leaves too few digits to compare ratios
        const [li, lj] = [layerOf(i), layerOf(j)];
        if (Math.abs(li - lj) === 1) {
          counts.adjacent++;
          assert.ok(
            Math.abs(dAuthors - dPaper) <= 1e-6 + 1e-4 * Math.abs(dPaper),
            `adjacent ${i}-${j}: ${dAuthors} vs ${dPaper}`,
          );
        } else {
          counts.other++;
          // The README's classes: intralayer of l → l − 1 (its biases'), skip a < b → min(a, b − 1).
          const cls = li === lj ? li - 1 : Math.min(Math.min(li, lj), Math.max(li, lj) - 1);
          const expected = 1 / rates[cls];
          assert.ok(
            Math.abs(dAuthors / dPaper - expected) <= 2e-2 * expected,
            `${li}-${lj} (class ${cls}): ratio ${dAuthors / dPaper}`,
          );
        }
      }
    assert.ok(counts.adjacent > 10 && counts.other > 5, JSON.stringify(counts));
    let biasesCompared = 0;
    for (let v = compiled.sizes[0]; v < N; v++) {
      const dPaper = paper.b[v] - compiled.biases[v];
      const dAuthors = authors.b[v] - compiled.biases[v];
      if (Math.abs(dPaper) < 1e-5) continue;
      biasesCompared++;
      const expected = 1 / rates[layerOf(v) - 1];
      assert.ok(Math.abs(dAuthors / dPaper - expected) <= 2e-2 * expected, `bias ${v}: ratio ${dAuthors / dPaper}`);
    }
    assert.ok(biasesCompared >= 4, `${biasesCompared} biases moved`);
  });

  it('one rate: the two choices are identical', async () => {
    const paper = await oneBatch([0.05], 'paper');
    const authors = await oneBatch([0.05], 'authors-code');
    assert.deepEqual(authors.W, paper.W);
    assert.deepEqual(authors.b, paper.b);
  });
});
