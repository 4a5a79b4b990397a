/**
 * The store contract: everything eqprop-lab persists goes through this interface. Two real
 * engines implement it (src/store/sqlite, src/store/neo4j) and one shared test suite
 * (test/store/contract.ts) runs against both.
 *
 * Rules every implementation keeps:
 * - Each method is one logical write or read; a write is atomic (a failed or invalid write
 *   leaves nothing behind) and safe with concurrent writers (other processes included).
 * - Invalid input throws InputError (lib/errors.ts) naming the field; unknown ids throw
 *   NotFoundError. Ids are strings; callers may choose them (deterministic ids make
 *   re-submitted sweeps idempotent), otherwise the store generates a UUID.
 * - Creating with an id that already exists (saveTopology, createSweep, createRun) changes nothing
 *   and returns that id. A topology may not repeat a pair of neurons (InputError).
 * - NumberRange bounds are inclusive. Lists come oldest first (createdAt, then id).
 */
import type { ResolvedSpec, Topology, EdgeCounts } from '../../graph/index.js';
import { EqpropError } from '../../lib/index.js';

export class NotFoundError extends EqpropError {
  readonly entity: string;
  readonly id: string;
  constructor(entity: string, id: string) {
    super('store', `no ${entity} with id ${JSON.stringify(id)}; expected the id of an existing ${entity}`);
    this.name = 'NotFoundError';
    this.entity = entity;
    this.id = id;
  }
}

/** Graph metrics by name, e.g. { L: 2.05, C: 0.31, sigma: 1.4, omega: -0.2, ... }. */
export type Metrics = Record<string, number>;

export interface TopologyRecord {
  id: string;
  name: string | null;
  spec: ResolvedSpec;
  counts: EdgeCounts;
  /** Neuron count. */
  N: number;
  metrics: Metrics;
  createdAt: string; // ISO 8601
}

export interface NumberRange {
  min?: number;
  max?: number;
}

export interface TopologyFilter {
  mode?: ResolvedSpec['mode'];
  /** Exact layer sizes. */
  sizes?: number[];
  seed?: number;
  p?: NumberRange;
  n?: NumberRange;
  /** Metric name → range; a topology without that metric does not match. */
  metrics?: Record<string, NumberRange>;
  limit?: number;
}

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'done', 'failed', 'cancelled'];

export interface NewRun {
  id?: string;
  topologyId: string;
  sweepId?: string | null;
  /** The training configuration as given (JSON-serialisable). */
  config: Record<string, unknown>;
  seed: number;
  status?: RunStatus;
}

export interface RunRecord {
  id: string;
  topologyId: string;
  sweepId: string | null;
  config: Record<string, unknown>;
  seed: number;
  status: RunStatus;
  backend: string | null;
  checkpoint: string | null;
  error: string | null;
  /** Worker or process that holds the run (host:pid or a queue worker id). */
  worker: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RunPatch {
  status?: RunStatus;
  backend?: string | null;
  checkpoint?: string | null;
  error?: string | null;
  worker?: string | null;
  startedAt?: string | null;
  finishedAt?: string | null;
}

/**
 * A compare-and-set that makes one worker the run's only trainer (claimRun): it succeeds only when
 * the stored status is one of `expectedStatuses` and, if `expectedWorker` is given (null
 * included), the stored worker equals it. Two processes that read the same record and both
 * claim it: exactly one wins, because the second sees the first's worker.
 */
export interface RunClaim {
  worker: string;
  expectedStatuses: readonly RunStatus[];
  expectedWorker?: string | null;
}

export interface RunFilter {
  topologyId?: string;
  sweepId?: string;
  status?: RunStatus;
  limit?: number;
}

export interface EpochResult {
  /** 1-based epoch number. Writing the same epoch twice replaces it (resume after a crash). */
  epoch: number;
  trainError: number;
  evalError: number;
  /** Error on the official MNIST test set, when evaluated. */
  testError?: number | null;
  durationMs: number;
  /** Mean free-phase steps per batch (differs from the fixed count only with the adaptive rule). */
  meanFreeSteps?: number | null;
  /**
   * Training error counted during the epoch within each block of ERROR_BLOCK_BATCHES (500) training
   * batches, in order (the last block may be shorter); null when unknown (runs resumed from a
   * checkpoint written before blocks were counted).
   */
  blockErrors?: number[] | null;
}

/** An epoch with every optional field present (null where unknown): the shape stores and bundles write. */
export function epochWithNulls(e: EpochResult): Required<EpochResult> {
  return {
    epoch: e.epoch,
    trainError: e.trainError,
    evalError: e.evalError,
    testError: e.testError ?? null,
    durationMs: e.durationMs,
    meanFreeSteps: e.meanFreeSteps ?? null,
    blockErrors: e.blockErrors ?? null,
  };
}

/** One point of the per-layer training rate series (SPEC §5 eq. 2): the engine's type, stored as is. */
export type { RatePoint } from '../../engine/index.js';
import type { RatePoint } from '../../engine/index.js';

export interface NewSweep {
  id?: string;
  name?: string | null;
  /** The sweep definition as given (values of p or n, seeds, epochs, ...). */
  config: Record<string, unknown>;
}

export interface SweepRecord {
  id: string;
  name: string | null;
  config: Record<string, unknown>;
  createdAt: string;
}

export interface CorrelationQuery {
  sweepId?: string;
  /** Report the errors after this epoch (1-based) as well as the final ones. */
  epoch?: number;
}

/** One row per run: its topology's parameters and metrics beside the run's outcome. */
export interface CorrelationRow {
  runId: string;
  topologyId: string;
  sweepId: string | null;
  spec: ResolvedSpec;
  metrics: Metrics;
  status: RunStatus;
  epochs: number;
  finalTrainError: number | null;
  finalEvalError: number | null;
  /** Errors after CorrelationQuery.epoch, null when the run has not reached it. */
  trainErrorAt: number | null;
  evalErrorAt: number | null;
}

/** The entities whose ids a user may abbreviate to a unique prefix (src/store/resolve-id.ts). */
export type IdEntity = 'run' | 'sweep' | 'topology';

export interface Store {
  /** 'sqlite' or 'neo4j', and where (file path or URI), for messages. */
  readonly kind: 'sqlite' | 'neo4j';
  readonly location: string;

  saveTopology(topology: Topology, options?: { id?: string; name?: string | null; metrics?: Metrics }): Promise<string>;
  /** The full topology, connections included; equal to what was saved. */
  loadTopology(id: string): Promise<Topology>;
  getTopology(id: string): Promise<TopologyRecord>;
  listTopologies(filter?: TopologyFilter): Promise<TopologyRecord[]>;
  /** Merges into the stored metrics. */
  setTopologyMetrics(id: string, metrics: Metrics): Promise<void>;
  /** Deletes the topology with its runs, epochs and rate series. */
  deleteTopology(id: string): Promise<void>;

  createSweep(sweep: NewSweep): Promise<string>;
  getSweep(id: string): Promise<SweepRecord>;
  listSweeps(): Promise<SweepRecord[]>;
  /** Deletes the sweep and its runs (not the topologies). */
  deleteSweep(id: string): Promise<void>;

  createRun(run: NewRun): Promise<string>;
  getRun(id: string): Promise<RunRecord>;
  listRuns(filter?: RunFilter): Promise<RunRecord[]>;
  updateRun(id: string, patch: RunPatch): Promise<void>;
  /**
   * Atomically: if the run matches the claim's expectations, set status 'running', worker, and
   * clear error and finishedAt; returns whether this call won. NotFoundError for an unknown id.
   */
  claimRun(id: string, claim: RunClaim): Promise<boolean>;
  deleteRun(id: string): Promise<void>;

  /** Idempotent per (run, epoch). */
  addEpoch(runId: string, epoch: EpochResult): Promise<void>;
  listEpochs(runId: string): Promise<EpochResult[]>;

  /** Idempotent per (run, batch, pair). */
  addRates(runId: string, points: RatePoint[]): Promise<void>;
  listRates(runId: string): Promise<RatePoint[]>;

  correlationTable(query?: CorrelationQuery): Promise<CorrelationRow[]>;

  /**
   * Ids of this entity that start with prefix, in id order, at most limit of them (an index range
   * scan in both engines, so a short prefix never reads the whole table).
   */
  idsWithPrefix(entity: IdEntity, prefix: string, limit: number): Promise<string[]>;

  close(): Promise<void>;
}
