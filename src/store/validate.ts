/**
 * Input checks shared by every store, run before anything is written so that an invalid write
 * leaves nothing behind and both engines reject the same inputs with the same InputError.
 */
import { EDGE_KIND_CODE, TOPOLOGY_MODES, type EdgeList, type Topology } from '../../graph/index.js';
import { InputError } from '../../lib/index.js';
import { NAME_RULE, nameProblem } from '../../lib/index.js';
import {
  RUN_STATUSES,
  type CorrelationQuery,
  type EpochResult,
  type Metrics,
  type NewRun,
  type NewSweep,
  type RatePoint,
  type RunClaim,
  type RunFilter,
  type RunPatch,
  type TopologyFilter,
} from './contract.js';

const MODULE = 'store';

function fail(field: string, problem: string, expected: string): never {
  throw new InputError(MODULE, field, problem, expected);
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export function checkId(field: string, id: unknown): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 200) {
    fail(field, `${JSON.stringify(id)} is not an id`, 'a non-empty string of at most 200 characters');
  }
  return id;
}

export function checkOptionalId(field: string, id: unknown): string | undefined {
  return id === undefined ? undefined : checkId(field, id);
}

/** Layer of each neuron, from the layer offsets. */
export function layerOfNeurons(offsets: readonly number[], N: number): Uint8Array {
  const layer = new Uint8Array(N);
  for (let l = 0; l + 1 < offsets.length; l++) layer.fill(l, offsets[l], offsets[l + 1]);
  return layer;
}

export function offsetsOf(sizes: readonly number[]): number[] {
  const offsets = [0];
  for (const size of sizes) offsets.push(offsets[offsets.length - 1]! + size);
  return offsets;
}

/**
 * A topology is storable when its shape is self-consistent: offsets and N agree with sizes,
 * every array has the advertised length, every connection joins two distinct neurons with
 * src < dst, and its kind code matches the layers it joins (span 0, 1, ≥ 2).
 */
export function checkTopology(t: Topology): void {
  const { spec, sizes, offsets, N, edges, biases } = t;
  if (!spec || !(TOPOLOGY_MODES as readonly string[]).includes(spec.mode)) {
    fail('topology.spec.mode', `unknown mode ${JSON.stringify(spec?.mode)}`, TOPOLOGY_MODES.join(', '));
  }
  if (!isFiniteNumber(spec.n) || !isFiniteNumber(spec.p) || !Number.isInteger(spec.seed)) {
    fail(
      'topology.spec',
      'n, p or seed missing or not a number',
      'a resolved spec with numeric n, p and an integer seed',
    );
  }
  if (
    !Array.isArray(sizes) ||
    sizes.length < 2 ||
    sizes.length > 255 ||
    !sizes.every((s) => Number.isInteger(s) && s > 0)
  ) {
    fail(
      'topology.sizes',
      `${JSON.stringify(sizes)} is not a list of layer sizes`,
      'between 2 and 255 positive integers',
    );
  }
  if (JSON.stringify(spec.sizes) !== JSON.stringify(sizes)) {
    fail('topology.spec.sizes', 'differs from topology.sizes', 'the same layer sizes in the spec and the topology');
  }
  const expectedOffsets = offsetsOf(sizes);
  if (JSON.stringify(offsets) !== JSON.stringify(expectedOffsets) || N !== expectedOffsets[sizes.length]) {
    fail(
      'topology.offsets',
      `offsets ${JSON.stringify(offsets)} and N ${N} do not match the sizes`,
      `offsets ${JSON.stringify(expectedOffsets)}`,
    );
  }
  if (!(biases instanceof Float32Array) || biases.length !== N) {
    fail('topology.biases', `length ${biases?.length}`, `a Float32Array of length N = ${N}`);
  }
  const { count, src, dst, weight, kind } = edges;
  if (!Number.isInteger(count) || count < 0) fail('topology.edges.count', `${count}`, 'a non-negative integer');
  if (
    !(src instanceof Int32Array) ||
    !(dst instanceof Int32Array) ||
    !(weight instanceof Float32Array) ||
    !(kind instanceof Uint8Array) ||
    src.length < count ||
    dst.length < count ||
    weight.length < count ||
    kind.length < count
  ) {
    fail(
      'topology.edges',
      'arrays of the wrong type or shorter than count',
      `Int32Array src/dst, Float32Array weight, Uint8Array kind, each at least ${count} long`,
    );
  }
  const layer = layerOfNeurons(offsets, N);
  for (let i = 0; i < count; i++) {
    const a = src[i]!,
      b = dst[i]!;
    if (!(a >= 0 && b < N && a < b)) {
      fail(`topology.edges[${i}]`, `connection ${a}–${b}`, `0 ≤ src < dst < N = ${N}`);
    }
    if (!Number.isFinite(weight[i]!)) fail(`topology.edges.weight[${i}]`, `${weight[i]}`, 'a finite number');
    const span = layer[b]! - layer[a]!;
    const code = span === 0 ? EDGE_KIND_CODE.intralayer : span === 1 ? EDGE_KIND_CODE.adjacent : EDGE_KIND_CODE.skip;
    if (kind[i] !== code)
      fail(`topology.edges.kind[${i}]`, `code ${kind[i]} for a connection spanning ${span} layers`, `code ${code}`);
  }
  for (let i = 0; i < N; i++) {
    if (!Number.isFinite(biases[i]!)) fail(`topology.biases[${i}]`, `${biases[i]}`, 'a finite number');
  }
  const order = canonicalOrder(edges, N);
  const at = (k: number) => (order ? order[k]! : k);
  for (let k = 1; k < count; k++) {
    if (src[at(k)] === src[at(k - 1)] && dst[at(k)] === dst[at(k - 1)]) {
      fail(
        `topology.edges[${at(k)}]`,
        `connection ${src[at(k)]}–${dst[at(k)]} appears twice`,
        'each pair of neurons connected at most once',
      );
    }
  }
}

/**
 * The permutation that sorts the connections by (src, dst): order[k] = position of the k-th
 * smallest. null when they are already sorted (what graph/build.ts produces), the common case.
 */
export function canonicalOrder(edges: Pick<EdgeList, 'count' | 'src' | 'dst'>, N: number): Int32Array | null {
  const { count, src, dst } = edges;
  let sorted = true;
  for (let i = 1; i < count && sorted; i++)
    sorted = src[i - 1]! < src[i]! || (src[i - 1] === src[i] && dst[i - 1]! <= dst[i]!);
  if (sorted) return null;
  const key = new Float64Array(count);
  for (let i = 0; i < count; i++) key[i] = src[i]! * N + dst[i]!;
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort((x, y) => key[x]! - key[y]!);
  return order;
}

export function checkMetrics(field: string, metrics: unknown): Metrics {
  if (typeof metrics !== 'object' || metrics === null || Array.isArray(metrics)) {
    fail(field, 'not an object', 'an object of metric name → finite number');
  }
  for (const [name, value] of Object.entries(metrics)) {
    if (name.length === 0 || name.length > 100)
      fail(`${field}.${name}`, 'bad metric name', 'a name of 1 to 100 characters');
    if (!isFiniteNumber(value))
      fail(`${field}.${name}`, `${JSON.stringify(value)} is not a finite number`, 'a finite number');
  }
  return metrics as Metrics;
}

function checkConfigObject(field: string, config: unknown): Record<string, unknown> {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    fail(field, 'not an object', 'a JSON object');
  }
  try {
    JSON.stringify(config);
  } catch {
    fail(field, 'not JSON-serialisable', 'a JSON object');
  }
  return config as Record<string, unknown>;
}

function checkStatus(field: string, status: unknown): void {
  if (!(RUN_STATUSES as readonly unknown[]).includes(status)) {
    fail(field, `unknown status ${JSON.stringify(status)}`, RUN_STATUSES.join(', '));
  }
}

function checkNullableString(field: string, value: unknown): void {
  if (value !== null && value !== undefined && typeof value !== 'string')
    fail(field, `${JSON.stringify(value)}`, 'a string or null');
}

function checkNullableIso(field: string, value: unknown): void {
  checkNullableString(field, value);
  if (typeof value === 'string' && Number.isNaN(Date.parse(value)))
    fail(field, `${JSON.stringify(value)} is not a date`, 'an ISO 8601 timestamp or null');
}

/** A topology's or sweep's name: null, or text that prints as itself (lib/text/unsafe-chars.ts). */
export function checkName(field: string, name: unknown): void {
  checkNullableString(field, name);
  const problem = typeof name === 'string' ? nameProblem(name) : null;
  if (problem) fail(field, problem, NAME_RULE);
}

export function checkNewSweep(sweep: NewSweep): void {
  checkOptionalId('sweep.id', sweep.id);
  checkName('sweep.name', sweep.name);
  checkConfigObject('sweep.config', sweep.config);
}

export function checkNewRun(run: NewRun): void {
  checkOptionalId('run.id', run.id);
  checkId('run.topologyId', run.topologyId);
  if (run.sweepId !== undefined && run.sweepId !== null) checkId('run.sweepId', run.sweepId);
  checkConfigObject('run.config', run.config);
  if (!Number.isSafeInteger(run.seed)) fail('run.seed', `${JSON.stringify(run.seed)}`, 'an integer');
  if (run.status !== undefined) checkStatus('run.status', run.status);
}

export function checkRunPatch(patch: RunPatch): void {
  if (patch.status !== undefined) checkStatus('patch.status', patch.status);
  for (const key of ['backend', 'checkpoint', 'error', 'worker'] as const)
    checkNullableString(`patch.${key}`, patch[key]);
  checkNullableIso('patch.startedAt', patch.startedAt);
  checkNullableIso('patch.finishedAt', patch.finishedAt);
}

export function checkRunClaim(claim: RunClaim): void {
  if (typeof claim.worker !== 'string' || claim.worker.length === 0)
    fail('claim.worker', `${JSON.stringify(claim.worker)}`, 'a non-empty worker name');
  if (!Array.isArray(claim.expectedStatuses) || claim.expectedStatuses.length === 0) {
    fail(
      'claim.expectedStatuses',
      `${JSON.stringify(claim.expectedStatuses)}`,
      `a non-empty list of ${RUN_STATUSES.join(', ')}`,
    );
  }
  for (const [i, status] of claim.expectedStatuses.entries()) checkStatus(`claim.expectedStatuses[${i}]`, status);
  if (claim.expectedWorker !== undefined) checkNullableString('claim.expectedWorker', claim.expectedWorker);
}

function checkFraction(field: string, v: unknown): void {
  if (!isFiniteNumber(v) || v < 0 || v > 1) fail(field, `${JSON.stringify(v)}`, 'a number in [0, 1]');
}

export function checkEpoch(e: EpochResult): void {
  if (!Number.isInteger(e.epoch) || e.epoch < 1) fail('epoch.epoch', `${JSON.stringify(e.epoch)}`, 'an integer ≥ 1');
  checkFraction('epoch.trainError', e.trainError);
  checkFraction('epoch.evalError', e.evalError);
  if (e.testError !== undefined && e.testError !== null) checkFraction('epoch.testError', e.testError);
  if (!isFiniteNumber(e.durationMs) || e.durationMs < 0)
    fail('epoch.durationMs', `${JSON.stringify(e.durationMs)}`, 'a number ≥ 0');
  if (
    e.meanFreeSteps !== undefined &&
    e.meanFreeSteps !== null &&
    (!isFiniteNumber(e.meanFreeSteps) || e.meanFreeSteps < 0)
  ) {
    fail('epoch.meanFreeSteps', `${JSON.stringify(e.meanFreeSteps)}`, 'a number ≥ 0 or null');
  }
  if (e.blockErrors !== undefined && e.blockErrors !== null) {
    if (!Array.isArray(e.blockErrors) || e.blockErrors.length > 100_000) {
      fail('epoch.blockErrors', 'not a list of at most 100,000 numbers', 'null or a list of numbers in [0, 1]');
    }
    for (const [i, v] of e.blockErrors.entries()) checkFraction(`epoch.blockErrors.${i}`, v);
  }
}

export function checkRates(points: RatePoint[]): void {
  if (!Array.isArray(points)) fail('rates', 'not an array', 'an array of { batch, pair, rate }');
  points.forEach((p, i) => {
    if (!Number.isInteger(p?.batch) || p.batch < 0)
      fail(`rates[${i}].batch`, `${JSON.stringify(p?.batch)}`, 'an integer ≥ 0');
    if (!Number.isInteger(p.pair) || p.pair < 0 || p.pair > 254)
      fail(`rates[${i}].pair`, `${JSON.stringify(p.pair)}`, 'an integer in [0, 254]');
    if (!isFiniteNumber(p.rate)) fail(`rates[${i}].rate`, `${JSON.stringify(p.rate)}`, 'a finite number');
  });
}

export function checkTopologyFilter(f: TopologyFilter): void {
  if (f.mode !== undefined && !(TOPOLOGY_MODES as readonly string[]).includes(f.mode))
    fail('filter.mode', `${JSON.stringify(f.mode)}`, TOPOLOGY_MODES.join(', '));
  if (f.limit !== undefined && (!Number.isInteger(f.limit) || f.limit < 1))
    fail('filter.limit', `${JSON.stringify(f.limit)}`, 'an integer ≥ 1');
  if (f.sizes !== undefined && (!Array.isArray(f.sizes) || !f.sizes.every((n) => Number.isInteger(n) && n > 0))) {
    fail('filter.sizes', `${JSON.stringify(f.sizes)}`, 'a list of positive integers');
  }
  if (f.seed !== undefined && !Number.isSafeInteger(f.seed))
    fail('filter.seed', `${JSON.stringify(f.seed)}`, 'an integer');
  const ranges: [string, unknown][] = [
    ['filter.p', f.p],
    ['filter.n', f.n],
    ...Object.entries(f.metrics ?? {}).map(([k, v]) => [`filter.metrics.${k}`, v] as [string, unknown]),
  ];
  for (const [field, range] of ranges) {
    if (range === undefined) continue;
    const r = range as { min?: unknown; max?: unknown };
    if (typeof r !== 'object' || r === null) fail(field, 'not a range', '{ min?, max? }');
    if (r.min !== undefined && !isFiniteNumber(r.min))
      fail(`${field}.min`, `${JSON.stringify(r.min)}`, 'a finite number');
    if (r.max !== undefined && !isFiniteNumber(r.max))
      fail(`${field}.max`, `${JSON.stringify(r.max)}`, 'a finite number');
  }
}

export function checkRunFilter(f: RunFilter): void {
  if (f.topologyId !== undefined) checkId('filter.topologyId', f.topologyId);
  if (f.sweepId !== undefined) checkId('filter.sweepId', f.sweepId);
  if (f.status !== undefined) checkStatus('filter.status', f.status);
  if (f.limit !== undefined && (!Number.isInteger(f.limit) || f.limit < 1))
    fail('filter.limit', `${JSON.stringify(f.limit)}`, 'an integer ≥ 1');
}

export function checkCorrelationQuery(q: CorrelationQuery): void {
  if (q.sweepId !== undefined) checkId('sweepId', q.sweepId);
  if (q.epoch !== undefined && (!Number.isInteger(q.epoch) || q.epoch < 1))
    fail('epoch', `${JSON.stringify(q.epoch)}`, 'an integer ≥ 1');
}
