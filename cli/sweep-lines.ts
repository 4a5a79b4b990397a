/**
 * What `eqprop sweep` (and `reproduce`) print as runs finish: one line per finished run with its
 * p and errors, so the Fig. 5 curve can be read while the sweep is still going, and a table of
 * every run of the sweep at the end, in numeric p order (layered reference first).
 */
import type { JobOutcome } from '../src/experiments/index.js';
import type { EpochResult } from '../src/store/index.js';
import type { TrainingJob } from '../src/experiments/index.js';
import { formatP, type RunSummary } from '../src/experiments/index.js';
import { percent, textTable } from '../src/experiments/index.js';
import { errorKindOf, formatError, type ErrorKind } from '../src/experiments/index.js';
import { formatSeconds } from './progress.js';

/** The network a job trains, as a person reads it: "p 5.000 %", "n 500", "layered". */
export function jobPoint(job: TrainingJob): string {
  const topology = job.request.config.topology;
  if (job.point === 'layered' || (topology.kind === 'spec' && topology.spec.mode === 'layered')) return 'layered';
  if (topology.kind === 'spec') {
    const p = `p ${formatP(topology.spec.mode, topology.spec.p)}`;
    const family = job.family ? `${job.family}  ` : '';
    return `${family}${job.point.parameter === 'n' ? `n ${job.point.value} (${p})` : p}`;
  }
  return `${job.point.parameter} ${job.point.value}`;
}

/**
 * The run's duration as the sweep's table gives it (run-summary.ts): the sum of its epochs' times.
 * The child process's wall time adds start-up and data loading, so the line and the table disagreed;
 * a run that finished no epoch has only its wall time.
 */
export function runDurationMs(outcome: JobOutcome, epochs: readonly EpochResult[]): number {
  return epochs.length > 0 ? epochs.reduce((sum, e) => sum + e.durationMs, 0) : outcome.durationMs;
}

/** "3/8 done  p 5 %  seed 1  train 12.50%  eval 15.00%  12.3s  <runId>" */
export function finishedRunLine(
  finished: number,
  total: number,
  job: TrainingJob,
  outcome: JobOutcome,
  epochs: readonly EpochResult[],
): string {
  const last = epochs.at(-1);
  const show = errorFormat(errorKindOf(job.request.config));
  const test = typeof last?.testError === 'number' ? `  test ${show(last.testError)}` : '';
  const errors = last ? `train ${show(last.trainError)}  eval ${show(last.evalError)}${test}` : 'no epoch';
  const why = outcome.error ? `: ${outcome.error}` : '';
  const took = formatSeconds(runDurationMs(outcome, epochs) / 1000);
  const what = `${finished}/${total} ${outcome.status}  ${jobPoint(job)}  seed ${job.seed}`;
  return `${what}  ${errors}  ${took}  ${outcome.runId}${why}`;
}

/** Class errors as percentages (as always), a regression's as "0.0123 MSE". */
function errorFormat(kind: ErrorKind): (value: number | null) => string | null {
  return kind === 'mse' ? (value) => (value === null ? null : formatError(value, 'mse')) : (value) => percent(value);
}

/** Numeric p order with the layered reference first; equal p by seed. */
export function byP(a: RunSummary, b: RunSummary): number {
  const pOf = (r: RunSummary) => (r.mode === 'layered' ? -1 : (r.p ?? Infinity));
  return pOf(a) - pOf(b) || a.seed - b.seed;
}

export function sweepSummaryTable(rows: readonly RunSummary[]): string {
  return textTable(
    ['p', 'n', 'seed', 'status', 'epochs', 'train err', 'eval err', 'test err', 'duration', 'run'],
    [...rows]
      .sort(byP)
      .map((r) => [
        r.mode === 'layered' ? 'layered' : formatP(r.mode, r.p),
        r.mode === 'layered' ? null : r.n,
        r.seed,
        r.status,
        `${r.epochsDone}/${r.epochsPlanned ?? '?'}`,
        ...[r.trainError, r.evalError, r.testError].map((v) => errorFormat(r.errorKind)(v)),
        r.epochsDone === 0 ? null : formatSeconds(r.durationMs / 1000),
        r.id,
      ]),
  );
}
