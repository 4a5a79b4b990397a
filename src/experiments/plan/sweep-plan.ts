/**
 * Sweep planning, the first of three steps: plan (pure: definition → jobs) → jobs → executor
 * (local child processes now, a BullMQ queue later). A job is a RunRequest with a deterministic
 * run id, so any executor can run it, skip it when finished, or resume it after a crash.
 */
import { InputError } from '../../../lib/index.js';
import type { TrainConfig } from '../../../engine/index.js';
import type { BackendChoice } from '../../config.js';
import { validateSpec } from '../../../graph/index.js';
import { familySpecFields, parseFamily, type Family } from '../../../graph/index.js';
import { sweepIdFor, sweepRunId } from './ids.js';
import type { DataSizes, RunRequest } from './run-config.js';

export type SweptParameter = 'p' | 'n';
export type SweptMode = 'replace' | 'add' | 'per-connection' | 'no-intralayer';
export const SWEPT_MODES: readonly SweptMode[] = ['replace', 'add', 'per-connection', 'no-intralayer'];

/** Everything that decides a sweep's results. Stored as the sweep record's config. */
export interface SweepDefinition {
  name: string | null;
  sizes: number[];
  mode: SweptMode;
  parameter: SweptParameter;
  values: number[];
  /** Each seed seeds both the topology and the training run of its jobs. */
  seeds: number[];
  /** Also train the layered network once per seed (the reference line of the paper's Fig. 5). */
  baseline: boolean;
  epochs: number;
  data: DataSizes;
  /** Training settings without the seed (the seed comes from `seeds`). */
  train: Omit<TrainConfig, 'seed'>;
  /**
   * A study (issue: which graph statistic predicts training): topology families crossed with the
   * values, seeds and architectures. Absent in a plain sweep, whose family is `mode` on `sizes`
   * (so plain sweeps keep their ids). Family keys as graph/family.ts parses them.
   */
  families?: string[];
  /** Architectures crossed with everything else; absent = [sizes]. */
  architectures?: number[][];
  /** σ/ω reference graphs measured for every topology before training (0 = none). */
  smallWorld?: { samples: number; niter: number };
}

/** A job's place in the crossing: family and architecture only in studies. */
export type SweepPoint = { parameter: SweptParameter; value: number } | 'layered';

export interface TrainingJob {
  request: RunRequest & { runId: string; sweepId: string };
  /** What this job varies, for progress lines and reports. */
  point: SweepPoint;
  seed: number;
  /** Studies: the family key and the layer sizes of the job. */
  family?: string;
  sizes?: number[];
}

export interface SweepPlan {
  sweepId: string;
  definition: SweepDefinition;
  jobs: TrainingJob[];
}

/** The part of the definition that identifies the sweep (the name is the id itself when given). */
function identity(definition: SweepDefinition): unknown {
  const { name: _name, ...rest } = definition;
  return rest;
}

/**
 * Most runs one sweep request may plan (values × seeds, plus one layered run per seed with
 * baseline). The paper's Fig. 5 is 401 values + a baseline per seed, so four seeds fit; a bigger
 * study is several requests (each is a named, resumable sweep). It keeps one request from filing
 * tens of thousands of runs — queue entries, processes and days of CPU — by a typo or a form.
 */
export const MAX_SWEEP_RUNS = 2_000;

/** What multiplies a sweep's run count. */
export interface SweepSize {
  values: number;
  seeds: number;
  families: number;
  architectures: number;
  baseline: boolean;
}

/** The runs a sweep would train beyond MAX_SWEEP_RUNS, as a problem; null when it fits. */
export function sweepSizeProblem(size: SweepSize): { problem: string; expected: string } | null {
  const { values, seeds, families, architectures, baseline } = size;
  // Per seed and architecture: one run per family and value, plus the layered baseline.
  const runs = seeds * architectures * (families * values + (baseline ? 1 : 0));
  if (runs <= MAX_SWEEP_RUNS) return null;
  const factors = [
    `${values} values`,
    ...(families > 1 ? [`${families} families`] : []),
    ...(architectures > 1 ? [`${architectures} architectures`] : []),
    `${seeds} seeds`,
  ].join(' × ');
  return {
    problem: `the sweep would train ${runs} runs (${factors}${baseline ? ', plus a layered baseline each' : ''})`,
    expected:
      `at most ${MAX_SWEEP_RUNS} runs per sweep request: fewer values, families, architectures or seeds, ` +
      'or several sweeps',
  };
}

/** Refuses a plan of more than MAX_SWEEP_RUNS runs, before any topology is resolved. */
function checkSweepSize(d: SweepDefinition, values: number, seeds: number): void {
  const families = d.families?.length ?? 1;
  const architectures = d.architectures?.length ?? 1;
  const too = sweepSizeProblem({ values, seeds, families, architectures, baseline: Boolean(d.baseline) });
  if (too) throw new InputError('experiments', 'values', too.problem, too.expected);
}

/** A job's spec error about its swept parameter is a problem of the definition's values. */
function valuesNamed<T>(parameter: SweptParameter, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InputError) throw e.renamed((field) => (field === parameter ? 'values' : undefined));
    throw e;
  }
}

export function planSweep(definition: SweepDefinition, backend: BackendChoice = 'auto'): SweepPlan {
  const d = definition;
  if (d.values.length === 0) throw new InputError('experiments', 'values', 'no values', 'one or more values');
  if (d.seeds.length === 0) throw new InputError('experiments', 'seeds', 'no seeds', 'one or more seeds');
  const values = [...new Set(d.values)];
  const seeds = [...new Set(d.seeds)];
  if (values.length !== d.values.length)
    throw new InputError('experiments', 'values', 'a value appears twice', 'distinct values');
  if (seeds.length !== d.seeds.length)
    throw new InputError('experiments', 'seeds', 'a seed appears twice', 'distinct seeds');
  checkSweepSize(d, values.length, seeds.length);
  const sweepId = sweepIdFor(d.name, identity(d));
  const study = d.families !== undefined || d.architectures !== undefined;
  const families = (d.families ?? [d.mode]).map((key) => ({ key, family: parseFamily(key, 'families') }));
  const architectures = d.architectures ?? [d.sizes];
  const jobs: TrainingJob[] = [];
  const job = (
    sizes: number[],
    family: { key: string; family: Family } | null,
    point: SweepPoint,
    seed: number,
  ): TrainingJob => {
    const spec =
      point === 'layered' || family === null
        ? validateSpec({ sizes, mode: 'layered', seed })
        : valuesNamed(point.parameter, () =>
            validateSpec({ sizes, seed, ...familySpecFields(family.family, sizes), [point.parameter]: point.value }),
          );
    const where = study
      ? `${architectures.length > 1 ? `${sizes.join('x')}.` : ''}${family ? familySlug(family.key) : 'layered'}.`
      : '';
    return {
      point,
      seed,
      ...(study ? { family: family?.key ?? 'layered', sizes } : {}),
      request: {
        runId: sweepRunId(sweepId, point, seed, where),
        sweepId,
        config: {
          format: 1,
          topology: { kind: 'spec', spec },
          epochs: d.epochs,
          data: d.data,
          train: { ...d.train, seed },
          backend,
        },
      },
    };
  };
  for (const seed of seeds) {
    for (const sizes of architectures) {
      if (d.baseline) jobs.push(job(sizes, null, 'layered', seed));
      for (const family of families) {
        for (const value of values) jobs.push(job(sizes, family, { parameter: d.parameter, value }, seed));
      }
    }
  }
  return { sweepId, definition: d, jobs };
}

/** A family key as a run-id segment: `no-intralayer:span>=3` → `no-intralayer-spanmin3`. */
export function familySlug(key: string): string {
  return key
    .replace(/span>=/g, 'spanmin')
    .replace(/[:=]/g, '-')
    .replace(/-+/g, '-')
    .replace(/[^A-Za-z0-9._-]/g, '');
}
