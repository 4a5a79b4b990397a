/**
 * `eqprop sweep` prints a line per finished run and a table at the end: both give a run's duration
 * the same way (the sum of its epochs' times), so they agree (issue 26; the line used to show the
 * child process's wall time, start-up and data loading included).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finishedRunLine, runDurationMs, sweepSummaryTable } from '../../cli/sweep-lines.js';
import { summariseRun } from '../../src/experiments/summarise/run-summary.js';
import type { EpochResult, RunRecord, TopologyRecord } from '../../src/store/contract.js';
import type { TrainingJob } from '../../src/experiments/plan/sweep-plan.js';

const epochs: EpochResult[] = [
  { epoch: 1, trainError: 0.5, evalError: 0.6, durationMs: 4200 },
  { epoch: 2, trainError: 0.4, evalError: 0.5, durationMs: 3900 },
];
const run = {
  id: 'sweep-x-p0.05-s0',
  topologyId: 't',
  sweepId: 'sweep-x',
  config: { epochs: 2 },
  seed: 0,
  status: 'done',
  backend: 'cpu',
  checkpoint: null,
  error: null,
  worker: null,
  createdAt: '2026-01-01T00:00:00Z',
} as unknown as RunRecord;
const topology = {
  id: 't',
  name: null,
  spec: { sizes: [784, 10, 10], mode: 'replace', p: 0.05, n: 10, seed: 0 },
  metrics: {},
} as unknown as TopologyRecord;
const job = {
  request: { runId: run.id, sweepId: 'sweep-x', config: { topology: { kind: 'spec', spec: topology.spec } } },
  point: { parameter: 'p', value: 0.05 },
  seed: 0,
} as unknown as TrainingJob;

test("a finished run's line and the sweep table give the same duration", () => {
  // The process took longer than its epochs: 11.5 s of wall time against 8.1 s of training.
  const outcome = { runId: run.id, status: 'done' as const, durationMs: 11_500 };
  assert.equal(runDurationMs(outcome, epochs), 8100);
  const line = finishedRunLine(1, 3, job, outcome, epochs);
  const table = sweepSummaryTable([summariseRun(run, topology, epochs)]);
  assert.match(line, /\s8\.1s\s/);
  assert.match(table, /\s8\.1s\s/);
  assert.doesNotMatch(line, /11\.5s/);
  // A run without a finished epoch has only its wall time.
  assert.equal(runDurationMs({ runId: run.id, status: 'failed', durationMs: 900 }, []), 900);
});
