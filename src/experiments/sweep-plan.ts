/**
 * Sweep planning, the first of three steps: plan (pure: definition → jobs) → jobs → executor
 * (local child processes now, a BullMQ queue later). A job is a RunRequest with a deterministic
 * run id, so any executor can run it, skip it when finished, or resume it after a crash.
 */
import { InputError } from '../../graph/errors.js';
import type { TrainConfig } from '../../engine/config.js';
import type { BackendChoice } from '../config.js';
import { resolveSpec } from './flags.js';
import { sweepIdFor, sweepRunId } from './ids.js';
import type { DataSizes, RunRequest } from './run-config.js';

export type SweptParameter = 'p' | 'n';
export type SweptMode = 'replace' | 'add' | 'per-connection';
export const SWEPT_MODES: readonly SweptMode[] = ['replace', 'add', 'per-connection'];

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
}

export interface TrainingJob {
  request: RunRequest & { runId: string; sweepId: string };
  /** What this job varies, for progress lines and reports. */
  point: { parameter: SweptParameter; value: number } | 'layered';
  seed: number;
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

export function planSweep(definition: SweepDefinition, backend: BackendChoice = 'auto'): SweepPlan {
  const d = definition;
  if (d.values.length === 0) throw new InputError('cli', `--${d.parameter}`, 'no values', 'a list or a range of values');
  if (d.seeds.length === 0) throw new InputError('cli', '--seeds', 'no seeds', 'a list or range of seeds');
  const values = [...new Set(d.values)];
  const seeds = [...new Set(d.seeds)];
  if (values.length !== d.values.length) throw new InputError('cli', `--${d.parameter}`, 'a value appears twice', 'distinct values');
  if (seeds.length !== d.seeds.length) throw new InputError('cli', '--seeds', 'a seed appears twice', 'distinct seeds');
  const sweepId = sweepIdFor(d.name, identity(d));
  const jobs: TrainingJob[] = [];
  const job = (point: TrainingJob['point'], seed: number): TrainingJob => {
    const spec = point === 'layered'
      ? resolveSpec({ sizes: d.sizes, mode: 'layered', seed })
      : resolveSpec({ sizes: d.sizes, mode: d.mode, seed, [point.parameter]: point.value });
    return {
      point,
      seed,
      request: {
        runId: sweepRunId(sweepId, point, seed),
        sweepId,
        config: { format: 1, topology: { kind: 'spec', spec }, epochs: d.epochs, data: d.data, train: { ...d.train, seed }, backend },
      },
    };
  };
  for (const seed of seeds) {
    if (d.baseline) jobs.push(job('layered', seed));
    for (const value of values) jobs.push(job({ parameter: d.parameter, value }, seed));
  }
  return { sweepId, definition: d, jobs };
}
