/**
 * One flat row per run for tables that compare runs (`eqprop runs list`, `runs compare`, the web
 * app's run table): the run's topology (mode, sizes, p, n, seed), its progress and its last errors.
 * Built from the store's records only, so every store gives the same rows.
 */
import type { ResolvedSpec } from '../../../graph/index.js';
import { datasetOfStored, errorKindOf, type ErrorKind } from './error-kind.js';
import type { DatasetName } from '../../../engine/index.js';
import {
  NotFoundError,
  type EpochResult,
  type Metrics,
  type RunRecord,
  type RunStatus,
  type Store,
  type TopologyRecord,
} from '../../store/contract.js';

export interface RunSummary {
  id: string;
  status: RunStatus;
  sweepId: string | null;
  topologyId: string;
  /** Null when the topology record could not be read (deleted under a running list). */
  topologyName: string | null;
  mode: ResolvedSpec['mode'] | null;
  sizes: number[] | null;
  p: number | null;
  n: number | null;
  topologySeed: number | null;
  /** The training seed. */
  seed: number;
  epochsDone: number;
  epochsPlanned: number | null;
  /** What the run trained on (runs without a dataset in their configuration: 'mnist'). */
  dataset: DatasetName;
  /** What trainError, evalError and testError are: class error fractions, or mean squared errors. */
  errorKind: ErrorKind;
  trainError: number | null;
  evalError: number | null;
  testError: number | null;
  /** Mean of the epochs' mean free-phase steps (null when no epoch recorded it). */
  meanFreeSteps: number | null;
  /** Sum of the finished epochs' durations. */
  durationMs: number;
  backend: string | null;
  createdAt: string;
  /** The topology's stored graph metrics (L, C, sigma, …), for metric filters. */
  metrics: Metrics;
}

export function summariseRun(run: RunRecord, topology: TopologyRecord | null, epochs: EpochResult[]): RunSummary {
  const last = epochs.at(-1);
  const steps = epochs.map((e) => e.meanFreeSteps).filter((s): s is number => typeof s === 'number');
  const planned = (run.config as { epochs?: unknown }).epochs;
  return {
    id: run.id,
    status: run.status,
    sweepId: run.sweepId,
    topologyId: run.topologyId,
    topologyName: topology?.name ?? null,
    mode: topology?.spec.mode ?? null,
    sizes: topology?.spec.sizes ?? null,
    p: topology ? topology.spec.p : null,
    n: topology ? topology.spec.n : null,
    topologySeed: topology?.spec.seed ?? null,
    seed: run.seed,
    epochsDone: epochs.length,
    epochsPlanned: typeof planned === 'number' ? planned : null,
    dataset: datasetOfStored(run.config),
    errorKind: errorKindOf(run.config),
    trainError: last?.trainError ?? null,
    evalError: last?.evalError ?? null,
    testError: last?.testError ?? null,
    meanFreeSteps: steps.length === 0 ? null : steps.reduce((a, b) => a + b, 0) / steps.length,
    durationMs: epochs.reduce((sum, e) => sum + e.durationMs, 0),
    backend: run.backend,
    createdAt: run.createdAt,
    metrics: topology?.metrics ?? {},
  };
}

/** Summaries of the given runs; each topology is read once however many runs share it. */
export async function summariseRuns(store: Store, runs: RunRecord[]): Promise<RunSummary[]> {
  const topologies = new Map<string, Promise<TopologyRecord | null>>();
  const topologyOf = (id: string) => {
    if (!topologies.has(id))
      topologies.set(
        id,
        store.getTopology(id).catch((e: unknown) => {
          if (e instanceof NotFoundError) return null;
          throw e;
        }),
      );
    return topologies.get(id)!;
  };
  return Promise.all(
    runs.map(async (run) => summariseRun(run, await topologyOf(run.topologyId), await store.listEpochs(run.id))),
  );
}

/**
 * p for people: 4 significant digits as a percentage ("7.565 %"); layered nets have no p, and
 * p = 0 on a layer-skipping mode is the intralayer-connected net without skips (SPEC §4).
 */
export function formatP(mode: ResolvedSpec['mode'] | null, p: number | null): string | null {
  if (mode === null || p === null) return null;
  if (mode === 'layered') return null; // no p: the mode column says layered
  if (p === 0) return '0 % (intralayer, no skips)';
  return `${Number((p * 100).toPrecision(4))} %`;
}
