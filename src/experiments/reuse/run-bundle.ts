/**
 * Run bundles: finished runs with everything a report needs — their sweep, each topology's spec,
 * metrics and connection checksum, the run record, its epochs and its rate series — in one JSON
 * document, so results move between stores and machines (a figure's runs committed beside it,
 * seeds trained on several machines pooled into one report).
 *
 * A bundle does not carry connections: a topology is rebuilt from its seeded spec (the builders
 * are deterministic) and must hash to the checksum the exporting store's graph had, so a bundle
 * never attaches results to a graph they were not trained on. Everything is checked before the
 * first write: an import either refuses with the field at fault or writes every new record.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { buildTopology } from '../../../graph/index.js';
import { InputError } from '../../../lib/index.js';
import type { ResolvedSpec, Topology } from '../../../graph/index.js';
import { NotFoundError, epochWithNulls, type RatePoint, type Store } from '../../store/contract.js';
import { buildableSpec } from '../../../graph/index.js';

export const BUNDLE_FORMAT = 'eqprop-run-bundle';
export const BUNDLE_VERSION = 1;

const finite = z.number().finite();
const count = z.number().int().nonnegative();
const id = z.string().min(1).max(200);
const isoTime = z.string().max(40).nullable();

const epochSchema = z.object({
  epoch: z.number().int().positive(),
  trainError: finite,
  evalError: finite,
  testError: finite.nullable().optional(),
  durationMs: finite.nonnegative(),
  meanFreeSteps: finite.nullable().optional(),
  blockErrors: z.array(finite).nullable().optional(),
});

const rateSchema = z.object({ batch: count, pair: count, rate: finite });

const bundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_VERSION),
  sweeps: z.array(z.object({ id, name: z.string().max(200).nullable(), config: z.record(z.string(), z.unknown()) })),
  topologies: z.array(
    z.object({
      id,
      name: z.string().max(200).nullable(),
      spec: z.record(z.string(), z.unknown()),
      metrics: z.record(z.string(), finite),
      checksum: z.string().regex(/^sha256:[0-9a-f]{64}$/),
    }),
  ),
  runs: z.array(
    z.object({
      id,
      topologyId: id,
      sweepId: id.nullable(),
      config: z.record(z.string(), z.unknown()),
      seed: z.number().int(),
      backend: z.string().max(40).nullable(),
      startedAt: isoTime,
      finishedAt: isoTime,
      epochs: z.array(epochSchema).min(1),
      rates: z.array(rateSchema),
    }),
  ),
});

export type RunBundle = z.infer<typeof bundleSchema>;
type BundledTopology = RunBundle['topologies'][number];

/** SHA-256 over a topology's layer sizes, connections (ends, initial weights, kinds) and biases. */
export function topologyChecksum(topology: Topology): string {
  const hash = createHash('sha256');
  hash.update(Int32Array.from(topology.sizes));
  const e = topology.edges;
  for (const array of [e.src, e.dst, e.weight, e.kind]) hash.update(array.subarray(0, e.count));
  hash.update(topology.biases);
  return `sha256:${hash.digest('hex')}`;
}

/** Reads a bundle, naming the first field that is not what a bundle holds. */
export function parseBundle(text: string, source: string): RunBundle {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError('bundle', source, `is not JSON (${(e as Error).message})`, 'a run bundle written by export');
  }
  const parsed = bundleSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw new InputError('bundle', `${source}${path}`, issue.message, `a ${BUNDLE_FORMAT} version ${BUNDLE_VERSION}`);
  }
  const topologyIds = new Set(parsed.data.topologies.map((t) => t.id));
  const sweepIds = new Set(parsed.data.sweeps.map((s) => s.id));
  parsed.data.runs.forEach((run, k) => {
    if (!topologyIds.has(run.topologyId))
      throw new InputError('bundle', `${source}.runs[${k}].topologyId`, 'names no topology of the bundle', 'one');
    if (run.sweepId !== null && !sweepIds.has(run.sweepId))
      throw new InputError('bundle', `${source}.runs[${k}].sweepId`, 'names no sweep of the bundle', 'one or null');
  });
  return parsed.data;
}

export interface ExportResult {
  bundle: RunBundle;
  /** Runs asked for that are not finished (a bundle holds only done runs). */
  skipped: { id: string; status: string }[];
}

/** The finished runs among `runIds`, with their topologies and sweeps. */
export async function exportRuns(store: Store, runIds: readonly string[]): Promise<ExportResult> {
  const skipped: ExportResult['skipped'] = [];
  const runs: RunBundle['runs'] = [];
  const topologies = new Map<string, BundledTopology>();
  const sweeps = new Map<string, RunBundle['sweeps'][number]>();
  for (const runId of runIds) {
    const run = await store.getRun(runId);
    if (run.status !== 'done') {
      skipped.push({ id: run.id, status: run.status });
      continue;
    }
    if (!topologies.has(run.topologyId)) {
      const record = await store.getTopology(run.topologyId);
      const checksum = topologyChecksum(await store.loadTopology(run.topologyId));
      const spec = record.spec as unknown as Record<string, unknown>;
      topologies.set(run.topologyId, { id: record.id, name: record.name, spec, metrics: record.metrics, checksum });
    }
    if (run.sweepId !== null && !sweeps.has(run.sweepId)) {
      const sweep = await store.getSweep(run.sweepId);
      sweeps.set(sweep.id, { id: sweep.id, name: sweep.name, config: sweep.config });
    }
    const [epochs, rates] = await Promise.all([store.listEpochs(run.id), store.listRates(run.id)]);
    runs.push({
      id: run.id,
      topologyId: run.topologyId,
      sweepId: run.sweepId,
      config: run.config,
      seed: run.seed,
      backend: run.backend,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      epochs: epochs.map(epochWithNulls),
      rates,
    });
  }
  const bundle: RunBundle = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    sweeps: [...sweeps.values()],
    topologies: [...topologies.values()],
    runs,
  };
  return { bundle, skipped };
}

export interface ImportResult {
  imported: string[];
  /** Runs the store already holds, finished, with the same configuration: left as they are. */
  present: string[];
}

async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Writes a bundle's runs into `store`. Refuses, before writing anything, a topology that does not
 * rebuild to its checksum, and a sweep or run the store holds with a different configuration (or,
 * for a run, not finished).
 */
export async function importBundle(store: Store, bundle: RunBundle, source: string): Promise<ImportResult> {
  const rebuilt = new Map<string, Topology>();
  for (const [k, t] of bundle.topologies.entries()) {
    const field = `${source}.topologies[${k}]`;
    const stored = await orNull(store.getTopology(t.id));
    if (stored !== null) {
      const checksum = topologyChecksum(await store.loadTopology(t.id));
      if (checksum !== t.checksum)
        throw new InputError(
          'bundle',
          `${field}.checksum`,
          `differs from the stored topology ${t.id}`,
          'the same graph',
        );
      continue;
    }
    let topology: Topology;
    try {
      topology = buildTopology(buildableSpec(t.spec as unknown as ResolvedSpec));
    } catch (e) {
      throw new InputError('bundle', `${field}.spec`, (e as Error).message, 'a resolved topology spec');
    }
    if (topologyChecksum(topology) !== t.checksum)
      throw new InputError('bundle', `${field}.checksum`, 'the spec does not rebuild this graph', 'the exported graph');
    rebuilt.set(t.id, topology);
  }
  for (const [k, s] of bundle.sweeps.entries()) {
    const stored = await orNull(store.getSweep(s.id));
    if (stored !== null && !sameJson(stored.config, s.config))
      throw new InputError('bundle', `${source}.sweeps[${k}].config`, `differs from stored sweep ${s.id}`, 'the same');
  }
  const present: string[] = [];
  const fresh: RunBundle['runs'] = [];
  for (const [k, run] of bundle.runs.entries()) {
    const stored = await orNull(store.getRun(run.id));
    if (stored === null) {
      fresh.push(run);
      continue;
    }
    const field = `${source}.runs[${k}]`;
    if (!sameJson(stored.config, run.config))
      throw new InputError('bundle', `${field}.config`, `differs from stored run ${run.id}`, 'the same configuration');
    if (stored.status !== 'done')
      throw new InputError(
        'bundle',
        `${field}.id`,
        `run ${run.id} is ${stored.status} in the store`,
        'a new or done run',
      );
    present.push(run.id);
  }
  for (const t of bundle.topologies) {
    const topology = rebuilt.get(t.id);
    if (topology) await store.saveTopology(topology, { id: t.id, name: t.name, metrics: t.metrics });
  }
  for (const s of bundle.sweeps) {
    if ((await orNull(store.getSweep(s.id))) === null) await store.createSweep(s);
  }
  for (const run of fresh) {
    const { epochs, rates, backend, startedAt, finishedAt, ...record } = run;
    await store.createRun({ ...record, status: 'running' });
    for (const epoch of epochs) await store.addEpoch(run.id, epoch);
    if (rates.length > 0) await store.addRates(run.id, rates as RatePoint[]);
    // Done last: a run interrupted mid-import stays unfinished, never a done run missing epochs.
    await store.updateRun(run.id, { status: 'done', backend, startedAt, finishedAt });
  }
  return { imported: fresh.map((r) => r.id), present };
}
