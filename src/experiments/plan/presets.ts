/**
 * The paper's experiments as presets (SPEC §6), at five scales:
 *
 * - epoch1: the paper's network and settings, all 50,000 training images, ONE epoch, evaluated on
 *   the 10,000 held-out images (about an hour per network on 2 cores).
 * - medium: the same network and settings on the first 10,000 training images (500 batches), one
 *   epoch, evaluated on 2,000 held-out images (minutes per network).
 *
 * - paper: exactly SPEC §6 — 784-500-500-500-10, 50,000 training / 10,000 evaluation images,
 *   batch 20, ε 0.5, β 1, 500 free / 8 weakly-clamped steps, 250 epochs (Fig. 3/4), one epoch
 *   per network over n = 0 … 200,000 in steps of 500 (Fig. 5). Days to weeks on 2 cores.
 * - small: the same experiments scaled to minutes on 2 cores, keeping their shape: still three
 *   hidden layers (the depth the vanishing gradient needs), the paper's rates, ε, β and batch
 *   size, and p on the same scale; narrower hidden layers (128), an MNIST subset, 100 free steps
 *   (the 8 weakly-clamped ones kept), fewer epochs, a dozen p values instead of 401.
 * - tiny: seconds, for tests.
 *
 * Figures 3 and 4 come from the same three networks (layered with per-layer rates, layered with
 * one rate, layer-skipping with p = 7.56 % and one rate); Fig. 5 is a one-epoch p sweep with
 * the layered one-rate network as its reference line. Fig. 5 also evaluates the official test set
 * (as many images as held-out ones, 10,000 at paper and epoch1 scale); Figs. 3 and 4 do not (250
 * test evaluations of 10,000 images would add about a fifth to the paper scale's days).
 */
import { PAPER } from '../../../graph/index.js';
import type { TrainConfig } from '../../../engine/index.js';
import type { BackendChoice } from '../../config.js';
import { validateSpec } from '../../../graph/index.js';
import { perLayerRates } from './run-settings.js';
import type { DataSizes, RunConfig } from './run-config.js';
import { planSweep, type SweepDefinition, type TrainingJob } from './sweep-plan.js';
import type { ReportOptions } from '../../reports/report.js';

export type Figure = 'fig3' | 'fig4' | 'fig5';
export type Scale = 'tiny' | 'small' | 'medium' | 'epoch1' | 'paper';
export const FIGURES: readonly Figure[] = ['fig3', 'fig4', 'fig5'];
export const SCALES: readonly Scale[] = ['tiny', 'small', 'medium', 'epoch1', 'paper'];

interface ScaleSettings {
  sizes: number[];
  data: DataSizes;
  freeSteps: number;
  clampedSteps: number;
  /** Epochs of the Fig. 3 and Fig. 4 networks. */
  epochsFig3: number;
  epochsFig4: number;
  /**
   * Fig. 5: the swept values (p for small/tiny; the paper's n range for paper). Its data include
   * the official test set (as many images as held-out ones; all 10,000 at the paper's and epoch1
   * scales) so that the report can set test error against training error at each p (the paper's
   * open question, README "Beyond the paper").
   */
  fig5: { parameter: 'p' | 'n'; values: number[]; seeds: number[]; data: DataSizes };
  /** eq. 3 half-width for the rate figures. */
  smooth: number;
  /** Checkpoint interval in batches (paper: an epoch is hours; a crash should cost minutes). */
  checkpointEvery: number;
}

/** MNIST's official test file has 10,000 images. */
const MNIST_TEST_IMAGES = 10_000;

function range(start: number, end: number, step: number): number[] {
  return Array.from({ length: Math.floor((end - start) / step) + 1 }, (_, i) => start + i * step);
}

/**
 * Fig. 5 at the one-epoch scales of the paper's network: a few n spanning the paper's sweep. The
 * paper's "n = 100,000, p = 7.56 %" is taken as the exact p = 7.56 % (n = 99,933, 0.07 % fewer
 * rewirings), so that Fig. 4's layer-skipping network IS this point and its run is reused.
 */
const ONE_EPOCH_NS = [
  0,
  2_500,
  10_000,
  25_000,
  validateSpec({ sizes: [...PAPER.sizes], mode: 'replace', seed: 1, p: PAPER.p }).n,
  200_000,
];

/**
 * The paper's network and settings for one epoch on the first `train` images, evaluated on the
 * first `evalCount` held-out ones.
 */
function oneEpochOfPaperNet(train: number, evalCount: number, smooth: number): ScaleSettings {
  const data = { train, eval: evalCount, test: 0 };
  const fig5Data = { ...data, test: evalCount };
  return {
    sizes: [...PAPER.sizes],
    data,
    freeSteps: PAPER.freeSteps,
    clampedSteps: PAPER.clampedSteps,
    epochsFig3: 1,
    epochsFig4: 1,
    fig5: { parameter: 'n', values: ONE_EPOCH_NS, seeds: [1], data: fig5Data },
    smooth,
    checkpointEvery: 100,
  };
}

export const SCALE_SETTINGS: Record<Scale, ScaleSettings> = {
  // The findings of Figs. 4 and 5 show within the first epoch, so one epoch of the real network
  // decides them: `medium` on 10,000 images (500 batches), `epoch1` on all 50,000 (2,500 batches).
  medium: oneEpochOfPaperNet(10_000, 2_000, 10),
  epoch1: oneEpochOfPaperNet(PAPER.trainExamples, PAPER.evalExamples, 25),
  paper: {
    sizes: [...PAPER.sizes],
    data: { train: PAPER.trainExamples, eval: PAPER.evalExamples, test: 0 },
    freeSteps: PAPER.freeSteps,
    clampedSteps: PAPER.clampedSteps,
    epochsFig3: PAPER.epochs,
    epochsFig4: PAPER.epochs,
    fig5: {
      parameter: 'n',
      values: range(0, PAPER.sweepNMax, PAPER.sweepNStep),
      seeds: [1],
      data: { train: PAPER.trainExamples, eval: PAPER.evalExamples, test: MNIST_TEST_IMAGES },
    },
    smooth: 100,
    checkpointEvery: 100,
  },
  small: {
    sizes: [784, 128, 128, 128, 10],
    data: { train: 3000, eval: 500, test: 0 },
    freeSteps: 100,
    clampedSteps: PAPER.clampedSteps,
    epochsFig3: 6,
    epochsFig4: 2,
    fig5: {
      parameter: 'p',
      values: [0, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, PAPER.p, 0.1, 0.15, 0.2],
      seeds: [1],
      data: { train: 4000, eval: 500, test: 500 },
    },
    smooth: 10,
    checkpointEvery: 0,
  },
  tiny: {
    sizes: [784, 12, 12, 10],
    data: { train: 40, eval: 20, test: 0 },
    freeSteps: 5,
    clampedSteps: 2,
    epochsFig3: 2,
    epochsFig4: 2,
    fig5: { parameter: 'p', values: [0, 0.05, 0.2], seeds: [1], data: { train: 40, eval: 20, test: 20 } },
    smooth: 1,
    checkpointEvery: 0,
  },
};

function trainConfig(s: ScaleSettings, learningRates: number[], seed: number): TrainConfig {
  return {
    epsilon: PAPER.epsilon,
    beta: PAPER.beta,
    freeSteps: s.freeSteps,
    clampedSteps: s.clampedSteps,
    batchSize: PAPER.batchSize,
    learningRates,
    randomBetaSign: true,
    seed,
    rateEvery: 1,
    checkpointEvery: 0,
  };
}

export interface PresetGroup {
  sweepId: string;
  name: string;
  /** Stored as the sweep record's config. */
  config: Record<string, unknown>;
  jobs: TrainingJob[];
  report: ReportOptions;
}

/** The three networks of Figs. 3 and 4 (paper sections 3.1–3.3). */
/** The paper's one seed: a preset run with other seeds is filed under its own sweep id. */
export const DEFAULT_PRESET_SEEDS: readonly number[] = [1];

/** The sweep-id suffix of a seed list other than the paper's: `-seeds-1-2-3`. */
function seedsSuffix(seeds: readonly number[]): string {
  return seeds.length === 1 && seeds[0] === 1 ? '' : `-seeds-${seeds.join('-')}`;
}

function threeNetworks(
  figure: 'fig3' | 'fig4',
  scale: Scale,
  backend: BackendChoice,
  seeds: readonly number[] = DEFAULT_PRESET_SEEDS,
): PresetGroup {
  const s = SCALE_SETTINGS[scale];
  const epochs = figure === 'fig3' ? s.epochsFig3 : s.epochsFig4;
  // When both figures need the same training (paper: 250 epochs each), they share one group of
  // runs, so the second `reproduce` only draws.
  const shared = s.epochsFig3 === s.epochsFig4;
  const preset = shared ? 'fig3-4' : figure;
  const sweepId = `${preset}-${scale}${seedsSuffix(seeds)}`;
  const pairs = s.sizes.length - 1;
  // Each seed draws its own topology and training stream; with several seeds a run id names its
  // seed. A seed-1 run equal to one of the one-seed preset is reused, not trained again (reuse.ts).
  const jobs: TrainingJob[] = seeds.flatMap((seed) => {
    const layered = validateSpec({ sizes: s.sizes, mode: 'layered', seed });
    const skipping = validateSpec({ sizes: s.sizes, mode: 'replace', seed, p: PAPER.p });
    // Workers take runs in this order: the two one-rate networks (Fig. 5's reference pair) first.
    const nets: { key: string; spec: typeof layered; rates: number[] }[] = [
      { key: 'layered-one-rate', spec: layered, rates: [PAPER.singleRate] },
      { key: 'skipping-one-rate', spec: skipping, rates: [PAPER.singleRate] },
      { key: 'layered-per-layer', spec: layered, rates: perLayerRates(pairs) },
    ];
    return nets.map((net): TrainingJob => {
      const config: RunConfig = {
        format: 1,
        topology: { kind: 'spec', spec: net.spec },
        epochs,
        data: s.data,
        train: { ...trainConfig(s, net.rates, seed), checkpointEvery: s.checkpointEvery },
        backend,
      };
      const seedPart = seeds === DEFAULT_PRESET_SEEDS || seedsSuffix(seeds) === '' ? '' : `.s${seed}`;
      const runId = `${sweepId}.${net.key}${seedPart}`;
      return {
        request: { runId, sweepId, config },
        point: net.spec.mode === 'layered' ? 'layered' : { parameter: 'p', value: net.spec.p },
        seed,
      };
    });
  });
  return {
    sweepId,
    name: sweepId,
    // The backend is left out: it changes float rounding, not the experiment.
    config: {
      kind: 'preset',
      preset,
      scale,
      runs: jobs.map((j) => ({ runId: j.request.runId, config: { ...j.request.config, backend: undefined } })),
    },
    jobs,
    report: { smooth: s.smooth },
  };
}

/**
 * Fig. 5: training error after one epoch against p, with the layered one-rate reference, and the
 * held-out and official-test errors beside it. `officialTest` false: the preset without the
 * official test set, under the same sweep id, so sweeps stored without it stay recognised; see
 * olderPresetGroups.
 */
export function fig5Definition(scale: Scale, officialTest = true, seeds?: readonly number[]): SweepDefinition {
  const s = SCALE_SETTINGS[scale];
  const { seed: _seed, ...train } = { ...trainConfig(s, [PAPER.singleRate], 0), checkpointEvery: s.checkpointEvery };
  const chosen = seeds ?? s.fig5.seeds;
  return {
    name: `fig5-${scale}${seeds === undefined ? '' : seedsSuffix(seeds)}`,
    sizes: s.sizes,
    mode: 'replace',
    parameter: s.fig5.parameter,
    values: s.fig5.values,
    seeds: [...chosen],
    baseline: true,
    epochs: 1,
    data: officialTest ? s.fig5.data : { ...s.fig5.data, test: 0 },
    train,
  };
}

export function presetGroup(
  figure: Figure,
  scale: Scale,
  backend: BackendChoice,
  seeds: readonly number[] = DEFAULT_PRESET_SEEDS,
): PresetGroup {
  if (figure !== 'fig5') return threeNetworks(figure, scale, backend, seeds);
  const fig5Seeds = seedsSuffix(seeds) === '' ? undefined : seeds;
  return fig5Group(fig5Definition(scale, true, fig5Seeds), scale, backend);
}

/**
 * Earlier definitions of the same preset (the same sweep id), newest first: Fig. 5 without the
 * official test set. A store that already holds the sweep as one of these keeps using it (its
 * finished runs are found, not refused as "a different definition" nor trained again); its report
 * then just lacks the test series. src/experiments/plan/preset-store.ts makes the choice.
 */
export function olderPresetGroups(figure: Figure, scale: Scale, backend: BackendChoice): PresetGroup[] {
  return figure === 'fig5' ? [fig5Group(fig5Definition(scale, false), scale, backend)] : [];
}

function fig5Group(definition: SweepDefinition, scale: Scale, backend: BackendChoice): PresetGroup {
  const plan = planSweep(definition, backend);
  return {
    sweepId: plan.sweepId,
    name: plan.sweepId,
    config: { kind: 'p-sweep', ...plan.definition },
    jobs: plan.jobs,
    report: { smooth: SCALE_SETTINGS[scale].smooth, epoch: 1 },
  };
}
