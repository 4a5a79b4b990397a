/**
 * The Neo4j store. Every query is a file in cypher/ (see cypher.ts); each logical write is one
 * managed write transaction (driver.session().executeWrite), so it commits whole or not at all
 * and is retried by the driver on transient conflicts with concurrent writers. Validation runs
 * before the transaction opens. The graph model is described in topology-graph.ts and README.
 */
import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import { EDGE_KINDS, type EdgeKind, type ResolvedSpec, type Topology } from '../../../graph/index.js';
import { countEdges, EqpropError, InputError } from '../../../graph/index.js';
import {
  NotFoundError,
  epochWithNulls,
  type CorrelationQuery,
  type CorrelationRow,
  type EpochResult,
  type IdEntity,
  type Metrics,
  type NewRun,
  type NewSweep,
  type RatePoint,
  type RunClaim,
  type RunFilter,
  type RunPatch,
  type RunRecord,
  type RunStatus,
  type Store,
  type SweepRecord,
  type TopologyFilter,
  type TopologyRecord,
} from '../contract.js';
import { newId, nowIso } from '../ids.js';
import {
  checkCorrelationQuery,
  checkEpoch,
  checkId,
  checkMetrics,
  checkName,
  checkNewRun,
  checkNewSweep,
  checkOptionalId,
  checkRates,
  checkRunClaim,
  checkRunFilter,
  checkRunPatch,
  checkTopology,
  checkTopologyFilter,
  offsetsOf,
} from '../validate.js';
import { cypher } from './cypher.js';
import { openDriver, type Neo4jOptions } from './connect.js';
import { fromGraph, toGraph, type StoredPieces, type TopologyGraph } from './topology-graph.js';
import { upgradeBlocks } from './upgrade.js';

/**
 * Above this many adjacent-layer connections a topology keeps them in Block nodes instead of
 * relationships (the paper network: ~797k adjacent; at that size relationships would triple the
 * save time and the store size for connections nobody queries one by one).
 */
export const DEFAULT_ADJACENT_RELATIONSHIPS_MAX = 250_000;
/** The relationship type of each connection kind (see topology-graph.ts). */
const RELATIONSHIP_TYPE: Record<EdgeKind, string> = { intralayer: 'INTRALAYER', adjacent: 'ADJACENT', skip: 'SKIP' };
/** Rows per UNWIND batch for bulk writes. */
const BATCH = 50_000;
/** Rate points per UNWIND batch. */
const RATE_BATCH = 5_000;
/** LIMIT when the caller gave none (LIMIT needs an integer). */
const NO_LIMIT = neo4j.int(Number.MAX_SAFE_INTEGER);

export interface Neo4jStoreOptions extends Neo4jOptions {
  adjacentRelationshipsMax?: number;
  /**
   * Server-side limit on one write transaction; it is rolled back whole when exceeded. Default: the
   * server's (none).
   */
  transactionTimeoutMs?: number;
  /**
   * Fault injection for tests: a topology save fails after this many connection batches have been
   * written inside its transaction, so a test can prove that the server rolls the partial write
   * back — deterministically, unlike a timeout (Neo4j checks timeouts only every few seconds).
   */
  failTopologySaveAfterBatches?: number;
}

/** Node and relationship counts by kind (see cypher/graph-counts.cypher). */
export interface GraphCounts {
  topologies: number;
  layers: number;
  neurons: number;
  blocks: number;
  metrics: number;
  sweeps: number;
  runs: number;
  epochs: number;
  rates: number;
  connections: number;
}

type Params = Record<string, unknown>;
type Row = Record<string, unknown>;

/** The driver sends only Int8Array as Bolt bytes (a Uint8Array would become a map). */
function toBoltBytes(bytes: Uint8Array): Int8Array {
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Neo4j returns byte[] properties as Int8Array; the codec reads bytes. */
function asBytes(value: unknown): Uint8Array {
  if (!(value instanceof Int8Array))
    throw new EqpropError(
      'store',
      `a stored block is not a byte array (${typeof value}); expected bytes written by this store (re-save the ` +
        `topology)`,
    );
  const v = value;
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

function metricsOf(pairs: unknown): Metrics {
  return Object.fromEntries(pairs as [string, number][]);
}

export class Neo4jStore implements Store {
  readonly kind = 'neo4j' as const;
  readonly location: string;
  private readonly driver: Driver;
  private readonly adjacentRelationshipsMax: number;
  private readonly transactionTimeoutMs: number | undefined;
  private readonly failTopologySaveAfterBatches: number | undefined;

  private constructor(driver: Driver, options: Neo4jStoreOptions) {
    this.driver = driver;
    this.location = options.uri;
    this.adjacentRelationshipsMax = options.adjacentRelationshipsMax ?? DEFAULT_ADJACENT_RELATIONSHIPS_MAX;
    this.transactionTimeoutMs = options.transactionTimeoutMs;
    this.failTopologySaveAfterBatches = options.failTopologySaveAfterBatches;
  }

  /** Connects (a clear error naming the URI when Neo4j is unreachable), applies the schema and upgrades old blocks. */
  static async connect(options: Neo4jStoreOptions): Promise<Neo4jStore> {
    const driver = await openDriver(options);
    try {
      await upgradeBlocks(driver);
    } catch (e) {
      await driver.close().catch(() => undefined);
      throw e;
    }
    return new Neo4jStore(driver, options);
  }

  /** Runs the named query in its own read transaction; rows as plain objects. */
  async query(name: string, params: Params = {}): Promise<Row[]> {
    const session = this.driver.session({ defaultAccessMode: neo4j.session.READ });
    try {
      return await session.executeRead(async (tx) => rows(await tx.run(cypher(name), params)));
    } finally {
      await session.close();
    }
  }

  private async write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session({ defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite(
        work,
        this.transactionTimeoutMs !== undefined ? { timeout: this.transactionTimeoutMs } : undefined,
      );
    } finally {
      await session.close();
    }
  }

  private async read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session({ defaultAccessMode: neo4j.session.READ });
    try {
      return await session.executeRead(work);
    } finally {
      await session.close();
    }
  }

  // --- topologies ------------------------------------------------------------------------------

  async saveTopology(
    topology: Topology,
    options: { id?: string; name?: string | null; metrics?: Metrics } = {},
  ): Promise<string> {
    const topologyId = checkOptionalId('id', options.id) ?? newId();
    checkTopology(topology);
    checkName('name', options.name);
    const metrics = checkMetrics('metrics', options.metrics ?? {});
    const graph = toGraph(topology, this.adjacentRelationshipsMax);
    await this.createOnce('topology-exists', { topologyId }, (tx) =>
      this.writeTopology(tx, topologyId, topology, options.name ?? null, graph, metrics),
    );
    return topologyId;
  }

  /**
   * Runs a creating write unless the id exists. Two clients creating the same id at once both pass
   * the existence check; the uniqueness constraint fails the later one, which then finds the
   * record the other wrote and succeeds too (creation stays idempotent under concurrency).
   */
  private async createOnce(
    existsQuery: 'topology-exists' | 'run-exists',
    key: Params,
    create: (tx: ManagedTransaction) => Promise<void>,
  ): Promise<void> {
    try {
      await this.write(async (tx) => {
        if (await exists(tx, existsQuery, key)) return;
        await create(tx);
      });
    } catch (e) {
      const raced =
        (e as { code?: string }).code === 'Neo.ClientError.Schema.ConstraintValidationFailed' &&
        (await this.read((tx) => exists(tx, existsQuery, key)));
      if (!raced) throw e;
    }
  }

  /** The whole topology in one transaction: node and layers, neurons, relationships, blocks, metrics. */
  private async writeTopology(
    tx: ManagedTransaction,
    topologyId: string,
    topology: Topology,
    name: string | null,
    graph: TopologyGraph,
    metrics: Metrics,
  ): Promise<void> {
    const { spec } = topology;
    await tx.run(cypher('topology-create'), {
      topologyId,
      name,
      mode: spec.mode,
      sizes: topology.sizes,
      n: spec.n,
      p: spec.p,
      seed: spec.seed,
      spec: JSON.stringify(spec),
      N: topology.N,
      ...countEdges(topology),
      adjacentStorage: graph.adjacentStorage,
      edgeOrder: graph.edgeOrder ? toBoltBytes(graph.edgeOrder) : null,
      createdAt: nowIso(),
      layers: graph.layers,
    });
    await tx.run(cypher('neurons-create'), { topologyId, biases: Array.from(topology.biases) });
    let batches = 0;
    for (const kind of EDGE_KINDS) {
      const r = graph.relationships[kind];
      for (let start = 0; start < r.src.length; start += BATCH) {
        const end = Math.min(start + BATCH, r.src.length);
        await tx.run(cypher(`connections-create-${kind}`), {
          topologyId,
          src: Array.from(r.src.subarray(start, end)),
          dst: Array.from(r.dst.subarray(start, end)),
        });
        if (++batches === this.failTopologySaveAfterBatches) {
          throw new EqpropError(
            'store',
            `injected fault after ${batches} connection batches (failTopologySaveAfterBatches)`,
          );
        }
      }
    }
    for (const block of graph.blocks) {
      await tx.run(cypher('block-create'), { topologyId, ...block, connections: toBoltBytes(block.connections) });
    }
    await setMetrics(tx, topologyId, metrics);
  }

  async loadTopology(id: string): Promise<Topology> {
    const topologyId = checkId('id', id);
    return this.read(async (tx) => {
      const [head] = rows(await tx.run(cypher('topology-load-spec'), { topologyId }));
      if (!head) throw new NotFoundError('topology', id);
      const spec = JSON.parse(head.spec as string) as ResolvedSpec;
      const sizes = [...spec.sizes];
      const offsets = offsetsOf(sizes);
      const N = offsets[sizes.length]!;
      const [neurons] = rows(await tx.run(cypher('topology-load-neurons'), { topologyId }));
      const blocks = rows(await tx.run(cypher('topology-load-blocks'), { topologyId })).map((b) =>
        asBytes(b.connections),
      );
      const { edges, biases } = fromGraph({
        total: head.total as number,
        N,
        neurons: neurons as StoredPieces['neurons'],
        blocks,
        edgeOrder: head.edgeOrder === null || head.edgeOrder === undefined ? null : asBytes(head.edgeOrder),
      });
      return { spec, sizes, offsets, N, edges, biases };
    });
  }

  async getTopology(id: string): Promise<TopologyRecord> {
    const topologyId = checkId('id', id);
    const [row] = await this.query('topology-get', { topologyId });
    if (!row) throw new NotFoundError('topology', id);
    return toTopologyRecord(row);
  }

  async listTopologies(filter: TopologyFilter = {}): Promise<TopologyRecord[]> {
    checkTopologyFilter(filter);
    const metricFilters = Object.entries(filter.metrics ?? {}).map(([name, range]) => ({
      name,
      min: range.min ?? null,
      max: range.max ?? null,
    }));
    const first = metricFilters.shift();
    const found = await this.query(first ? 'topology-list-by-metric' : 'topology-list', {
      mode: filter.mode ?? null,
      sizes: filter.sizes ?? null,
      seed: filter.seed ?? null,
      pMin: filter.p?.min ?? null,
      pMax: filter.p?.max ?? null,
      nMin: filter.n?.min ?? null,
      nMax: filter.n?.max ?? null,
      // An index range needs both ends; metrics are finite (checkMetrics), so ±max double is open.
      ...(first
        ? {
            metricName: first.name,
            metricMin: first.min ?? -Number.MAX_VALUE,
            metricMax: first.max ?? Number.MAX_VALUE,
          }
        : {}),
      metricFilters,
      limit: filter.limit !== undefined ? neo4j.int(filter.limit) : NO_LIMIT,
    });
    return found.map(toTopologyRecord);
  }

  async setTopologyMetrics(id: string, metrics: Metrics): Promise<void> {
    const topologyId = checkId('id', id);
    checkMetrics('metrics', metrics);
    await this.write(async (tx) => {
      if (!(await exists(tx, 'topology-exists', { topologyId }))) throw new NotFoundError('topology', id);
      await setMetrics(tx, topologyId, metrics);
    });
  }

  async deleteTopology(id: string): Promise<void> {
    const topologyId = checkId('id', id);
    await this.write(async (tx) => {
      if (!(await exists(tx, 'topology-exists', { topologyId }))) throw new NotFoundError('topology', id);
      await tx.run(cypher('run-delete-by-topology'), { topologyId });
      await tx.run(cypher('topology-delete'), { topologyId });
    });
  }

  // --- sweeps ----------------------------------------------------------------------------------

  async createSweep(sweep: NewSweep): Promise<string> {
    checkNewSweep(sweep);
    const sweepId = sweep.id ?? newId();
    await this.write((tx) =>
      tx.run(cypher('sweep-create'), {
        sweepId,
        name: sweep.name ?? null,
        config: JSON.stringify(sweep.config),
        createdAt: nowIso(),
      }),
    );
    return sweepId;
  }

  async getSweep(id: string): Promise<SweepRecord> {
    const sweepId = checkId('id', id);
    const [row] = await this.query('sweep-get', { sweepId });
    if (!row) throw new NotFoundError('sweep', id);
    return toSweepRecord(row.sweep as Row);
  }

  async listSweeps(): Promise<SweepRecord[]> {
    return (await this.query('sweep-list')).map((row) => toSweepRecord(row.sweep as Row));
  }

  async deleteSweep(id: string): Promise<void> {
    const sweepId = checkId('id', id);
    await this.write(async (tx) => {
      if (!(await exists(tx, 'sweep-exists', { sweepId }))) throw new NotFoundError('sweep', id);
      await tx.run(cypher('run-delete-by-sweep'), { sweepId });
      await tx.run(cypher('sweep-delete'), { sweepId });
    });
  }

  // --- runs ------------------------------------------------------------------------------------

  async createRun(run: NewRun): Promise<string> {
    checkNewRun(run);
    const runId = run.id ?? newId();
    await this.createOnce('run-exists', { runId }, async (tx) => {
      if (!(await exists(tx, 'topology-exists', { topologyId: run.topologyId })))
        throw new NotFoundError('topology', run.topologyId);
      if (run.sweepId && !(await exists(tx, 'sweep-exists', { sweepId: run.sweepId })))
        throw new NotFoundError('sweep', run.sweepId);
      await tx.run(cypher('run-create'), {
        runId,
        topologyId: run.topologyId,
        sweepId: run.sweepId ?? null,
        config: JSON.stringify(run.config),
        seed: run.seed,
        status: run.status ?? 'queued',
        createdAt: nowIso(),
      });
    });
    return runId;
  }

  async getRun(id: string): Promise<RunRecord> {
    const runId = checkId('id', id);
    const [row] = await this.query('run-get', { runId });
    if (!row) throw new NotFoundError('run', id);
    return toRunRecord(row.run as Row);
  }

  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    checkRunFilter(filter);
    const found = await this.query('run-list', {
      topologyId: filter.topologyId ?? null,
      sweepId: filter.sweepId ?? null,
      status: filter.status ?? null,
      limit: filter.limit !== undefined ? neo4j.int(filter.limit) : NO_LIMIT,
    });
    return found.map((row) => toRunRecord(row.run as Row));
  }

  async updateRun(id: string, patch: RunPatch): Promise<void> {
    const runId = checkId('id', id);
    checkRunPatch(patch);
    // Only these keys reach the query's `SET r += $patch`; property names never come from input.
    const keys = ['status', 'backend', 'checkpoint', 'error', 'worker', 'startedAt', 'finishedAt'] as const;
    const allowed = Object.fromEntries(keys.filter((k) => patch[k] !== undefined).map((k) => [k, patch[k]]));
    await this.write(async (tx) => {
      if (!(await exists(tx, 'run-exists', { runId }))) throw new NotFoundError('run', id);
      await tx.run(cypher('run-update'), { runId, patch: allowed });
    });
  }

  async claimRun(id: string, claim: RunClaim): Promise<boolean> {
    const runId = checkId('id', id);
    checkRunClaim(claim);
    return this.write(async (tx) => {
      if (!(await exists(tx, 'run-exists', { runId }))) throw new NotFoundError('run', id);
      const [row] = rows(
        await tx.run(cypher('run-claim'), {
          runId,
          worker: claim.worker,
          expectedStatuses: [...claim.expectedStatuses],
          anyWorker: claim.expectedWorker === undefined,
          expectedWorker: claim.expectedWorker ?? null,
        }),
      );
      return row?.claimed === true;
    });
  }

  async deleteRun(id: string): Promise<void> {
    const runId = checkId('id', id);
    await this.write(async (tx) => {
      if (!(await exists(tx, 'run-exists', { runId }))) throw new NotFoundError('run', id);
      await tx.run(cypher('run-delete'), { runId });
    });
  }

  // --- epochs and rates ------------------------------------------------------------------------

  async addEpoch(runId: string, e: EpochResult): Promise<void> {
    checkId('runId', runId);
    checkEpoch(e);
    await this.write(async (tx) => {
      if (!(await exists(tx, 'run-exists', { runId }))) throw new NotFoundError('run', runId);
      await tx.run(cypher('epoch-upsert'), { runId, ...epochWithNulls(e) });
    });
  }

  async listEpochs(runId: string): Promise<EpochResult[]> {
    checkId('runId', runId);
    return this.read(async (tx) => {
      if (!(await exists(tx, 'run-exists', { runId }))) throw new NotFoundError('run', runId);
      return rows(await tx.run(cypher('epoch-list'), { runId })).map(({ epoch }) => {
        const e = epoch as Row;
        return {
          epoch: e.epoch as number,
          trainError: e.trainError as number,
          evalError: e.evalError as number,
          testError: (e.testError as number | undefined) ?? null,
          durationMs: e.durationMs as number,
          meanFreeSteps: (e.meanFreeSteps as number | undefined) ?? null,
          blockErrors: (e.blockErrors as number[] | undefined) ?? null,
        };
      });
    });
  }

  async addRates(runId: string, points: RatePoint[]): Promise<void> {
    checkId('runId', runId);
    checkRates(points);
    await this.write(async (tx) => {
      if (!(await exists(tx, 'run-exists', { runId }))) throw new NotFoundError('run', runId);
      for (let start = 0; start < points.length; start += RATE_BATCH) {
        const batch = points.slice(start, start + RATE_BATCH).map(({ batch, pair, rate }) => ({ batch, pair, rate }));
        await tx.run(cypher('rates-upsert'), { runId, points: batch });
      }
    });
  }

  async listRates(runId: string): Promise<RatePoint[]> {
    checkId('runId', runId);
    return this.read(async (tx) => {
      if (!(await exists(tx, 'run-exists', { runId }))) throw new NotFoundError('run', runId);
      return rows(await tx.run(cypher('rates-list'), { runId })) as unknown as RatePoint[];
    });
  }

  // --- analysis --------------------------------------------------------------------------------

  async idsWithPrefix(entity: IdEntity, prefix: string, limit: number): Promise<string[]> {
    checkId('prefix', prefix);
    const found = await this.query(`${entity}-ids-with-prefix`, { prefix, limit: neo4j.int(limit) });
    return found.map((row) => row.id as string);
  }

  async correlationTable(query: CorrelationQuery = {}): Promise<CorrelationRow[]> {
    checkCorrelationQuery(query);
    const found = await this.query('correlation-table', { sweepId: query.sweepId ?? null, epoch: query.epoch ?? null });
    return found.map((r) => ({
      runId: r.runId as string,
      topologyId: r.topologyId as string,
      sweepId: (r.sweepId as string | null) ?? null,
      spec: JSON.parse(r.spec as string) as ResolvedSpec,
      metrics: metricsOf(r.metrics),
      status: r.status as RunStatus,
      epochs: r.epochs as number,
      finalTrainError: (r.finalTrainError as number | null) ?? null,
      finalEvalError: (r.finalEvalError as number | null) ?? null,
      trainErrorAt: (r.trainErrorAt as number | null) ?? null,
      evalErrorAt: (r.evalErrorAt as number | null) ?? null,
    }));
  }

  /** Whole-database node and relationship counts (diagnostics). */
  async graphCounts(): Promise<GraphCounts> {
    const [row] = await this.query('graph-counts');
    return row as unknown as GraphCounts;
  }

  /** Nodes whose owner is missing, by label; all 0 in a consistent store. */
  async orphanCounts(): Promise<
    Record<'layers' | 'neurons' | 'blocks' | 'metrics' | 'runs' | 'epochs' | 'rates', number>
  > {
    const [row] = await this.query('graph-orphans');
    return row as Record<'layers' | 'neurons' | 'blocks' | 'metrics' | 'runs' | 'epochs' | 'rates', number>;
  }

  /** What one topology occupies: layers, neurons, blocks and connection relationships. */
  async topologyGraphCounts(
    id: string,
  ): Promise<{ layers: number; neurons: number; blocks: number; connections: number }> {
    const topologyId = checkId('id', id);
    const [row] = await this.query('topology-graph-counts', { topologyId });
    if (!row) throw new NotFoundError('topology', id);
    return row as { layers: number; neurons: number; blocks: number; connections: number };
  }

  // --- neuron-level questions (Neo4j only) -------------------------------------------------------

  /** Connections of one kind from layer `fromLayer` into layer `toLayer` (e.g. skip, 1 → K). */
  async connectionsBetweenLayers(
    topologyId: string,
    kind: EdgeKind,
    fromLayer: number,
    toLayer: number,
  ): Promise<{ from: number; to: number }[]> {
    checkId('topologyId', topologyId);
    const type = RELATIONSHIP_TYPE[kind];
    if (!type)
      throw new InputError('store', 'kind', `unknown connection kind ${JSON.stringify(kind)}`, EDGE_KINDS.join(', '));
    return (await this.query('connections-between-layers', { topologyId, type, fromLayer, toLayer })) as {
      from: number;
      to: number;
    }[];
  }

  /** A shortest path (fewest connections) from a neuron to any neuron of a layer; null when unreachable. */
  async shortestPathToLayer(
    topologyId: string,
    neuron: number,
    toLayer: number,
  ): Promise<{ neurons: number[]; hops: number } | null> {
    checkId('topologyId', topologyId);
    const [row] = await this.query('shortest-path-to-layer', { topologyId, neuron, toLayer });
    return row ? { neurons: row.neurons as number[], hops: row.hops as number } : null;
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}

function rows(result: { records: { toObject(): Row }[] }): Row[] {
  return result.records.map((r) => r.toObject());
}

async function exists(
  tx: ManagedTransaction,
  query: 'topology-exists' | 'run-exists' | 'sweep-exists',
  params: Params,
): Promise<boolean> {
  const result = await tx.run(cypher(query), params);
  return result.records[0]?.get('found') === true;
}

async function setMetrics(tx: ManagedTransaction, topologyId: string, metrics: Metrics): Promise<void> {
  const list = Object.entries(metrics).map(([name, value]) => ({ name, value }));
  if (list.length > 0) await tx.run(cypher('metrics-set'), { topologyId, metrics: list });
}

function toTopologyRecord(row: Row): TopologyRecord {
  const t = row.topology as Row;
  return {
    id: t.id as string,
    name: (t.name as string | undefined) ?? null,
    spec: JSON.parse(t.spec as string) as ResolvedSpec,
    counts: {
      adjacent: t.adjacent as number,
      intralayer: t.intralayer as number,
      skip: t.skip as number,
      total: t.total as number,
    },
    N: t.N as number,
    metrics: metricsOf(row.metrics),
    createdAt: t.createdAt as string,
  };
}

function toSweepRecord(s: Row): SweepRecord {
  return {
    id: s.id as string,
    name: (s.name as string | undefined) ?? null,
    config: JSON.parse(s.config as string),
    createdAt: s.createdAt as string,
  };
}

function toRunRecord(r: Row): RunRecord {
  const text = (v: unknown) => (v as string | undefined) ?? null;
  return {
    id: r.id as string,
    topologyId: r.topologyId as string,
    sweepId: text(r.sweepId),
    config: JSON.parse(r.config as string),
    seed: r.seed as number,
    status: r.status as RunStatus,
    backend: text(r.backend),
    checkpoint: text(r.checkpoint),
    error: text(r.error),
    worker: text(r.worker),
    createdAt: r.createdAt as string,
    startedAt: text(r.startedAt),
    finishedAt: text(r.finishedAt),
  };
}
