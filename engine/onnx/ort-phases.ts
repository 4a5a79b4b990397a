/**
 * The phases of a batch on ONNX Runtime: the same PhaseRequest → PhaseResult contract as
 * engine/phases.ts runPhases, with the free phase and the weakly-clamped phase(s) of all rows as
 * one session.run of the graph engine/onnx/phase-graph.ts compiles from the step's Operators.
 * Everything around the phases stays on tfjs: the operators, the input drive and the clamp's
 * factor / offset / band are built by the tfjs code that defines them (engine/dynamics/) and
 * handed over as host arrays, and the learning update runs on tfjs as before.
 *
 * By default the step matrices are baked into the model as initializers, which lets ORT pre-pack
 * them for its GEMM: a new session per set of weights (one per training batch; one for a whole
 * evaluation). 'inputs' feeds them per run to one session instead (bench/engine.ts compares).
 * The adaptive free phase (a per-row stopping rule) is not compiled: a request with `adaptive`
 * set runs on the tfjs path (same numbers to float32 rounding).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { Network } from '../network.js';
import { buildDrive, type Operators } from '../dynamics/operators.js';
import { clampColumns, disposeClamp, makeClamp } from '../dynamics/clamp.js';
import {
  runPhases,
  type PhaseParameters,
  type PhaseRequest,
  type PhaseResult,
  type PhaseRunner,
  type PhaseRunnerStats,
} from '../phases.js';
import type { PhaseCompileOptions } from '../phase-runtime.js';
import { phaseModel, type GraphVariant, type PhasePlan } from './phase-graph.js';
import { ortModule, sessionOptions } from './ort.js';

export type WeightsMode = GraphVariant['weights'];

/** How the phases are compiled for ORT: weights as initializers or inputs, steps per Loop (default UNROLL). */
export type OrtPhaseOptions = PhaseCompileOptions;

/** The layout description of `ops` as host arrays (the matrices downloaded once per set of weights). */
export function planFromOperators(ops: Operators): PhasePlan {
  const nOut = ops.layerSizes[ops.layerSizes.length - 1];
  const keep = (ops.keep.dataSync() as Float32Array)[0];
  if (ops.layout === 'fused') {
    const M = ops.layerSizes.reduce((a, b) => a + b, 0);
    const matrix = ops.fusedMatrix!.dataSync() as Float32Array;
    return { widths: [M], sources: [[0]], folded: [true], matrices: [matrix], keep, nOut };
  }
  return {
    widths: ops.layerSizes,
    sources: ops.sources.slice(1).map((src) => src.map((a) => a - 1)),
    folded: ops.folded.slice(1),
    matrices: ops.stacked.slice(1).map((t) => (t ? (t.dataSync() as Float32Array) : null)),
    keep,
    nOut,
  };
}

/** Process CPU milliseconds since `since`. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

function download(t: tf.Tensor): Float32Array {
  const data = t.dataSync() as Float32Array;
  t.dispose();
  return data;
}

export class OrtPhaseRunner implements PhaseRunner {
  private ops: Operators | null = null;
  private plan: PhasePlan | null = null;
  private readonly sessions = new Map<string, Promise<InferenceSession>>();
  readonly stats: PhaseRunnerStats = { sessions: 0, sessionMs: 0, sessionCpuMs: 0, runs: 0, runMs: 0, runCpuMs: 0 };

  readonly weights: WeightsMode;
  private readonly unroll: number | undefined;

  constructor(
    readonly threads: number,
    options: OrtPhaseOptions = {},
  ) {
    this.weights = options.weights ?? 'initializers';
    this.unroll = options.unroll;
  }

  async run(
    network: Network,
    params: PhaseParameters,
    ops: Operators,
    epsilon: number,
    request: PhaseRequest,
  ): Promise<PhaseResult> {
    if (request.adaptive) return runPhases(network, params, ops, epsilon, request);
    if (ops !== this.ops) this.useOperators(ops);
    const ort = ortModule();
    const n0 = network.sizes[0],
      M = network.N - n0,
      rows = request.x.length / n0;
    const layerSizes = network.sizes.slice(1);
    const variant: GraphVariant = {
      clamped: request.target !== null,
      mirror: request.target !== null && request.mirror,
      feedback: request.target !== null && request.feedback !== null,
      weights: this.weights,
      unroll: this.unroll,
    };
    const float = (data: Float32Array, dims: number[]) => new ort.Tensor('float32', data, dims);
    const count = (n: number) => new ort.Tensor('int64', BigInt64Array.of(BigInt(n)), []);
    const feeds: Record<string, Tensor> = {
      state: float(request.initial.slice(), [rows, M]),
      free_steps: count(request.freeSteps),
      drive: float(this.drive(network, params, epsilon, request.x, rows), [rows, M]),
    };
    if (this.weights === 'inputs') {
      this.plan!.matrices.forEach((m, u) => {
        if (m) feeds[`W${u}`] = float(m, [m.length / this.plan!.widths[u], this.plan!.widths[u]]);
      });
    }
    if (request.target) {
      feeds.clamped_steps = count(request.clampedSteps);
      const y = tf.tensor2d(request.target, [rows, network.sizes[network.K]]);
      const signs: [string, number][] = [['', request.betaSigned]];
      if (variant.mirror) signs.push(['_m', -request.betaSigned]);
      for (const [suffix, beta] of signs) {
        const clamp = makeClamp(y, epsilon, beta, layerSizes, request.feedback);
        const columns = clampColumns(layerSizes, clamp, rows);
        disposeClamp(clamp);
        feeds[`factor${suffix}`] = float(download(columns.factor), [1, M]);
        feeds[`offset${suffix}`] = float(download(columns.offset), [rows, M]);
        if (columns.band) feeds[`band${suffix}`] = float(download(columns.band), [this.plan!.nOut, M]);
      }
      y.dispose();
    }
    const session = await this.session(variant);
    const started = performance.now(),
      cpu = process.cpuUsage();
    const out = await session.run(feeds);
    this.stats.runs++;
    this.stats.runMs += performance.now() - started;
    this.stats.runCpuMs += cpuMs(cpu);
    const host = (name: string) => out[name].data as Float32Array;
    return {
      free: host('free'),
      clamped: variant.clamped ? host('clamped') : null,
      clampedMirror: variant.mirror ? host('clamped_m') : null,
      freeStepsSum: rows * request.freeSteps,
    };
  }

  /** ε (x · W_0 + b) of every non-input layer, side by side (rows × M), from the tfjs definition. */
  private drive(
    network: Network,
    params: PhaseParameters,
    epsilon: number,
    xHost: Float32Array,
    rows: number,
  ): Float32Array {
    const x = tf.tensor2d(xHost, [rows, network.sizes[0]]);
    const drive = buildDrive(network, params.weights, params.biases, x, epsilon);
    const all = tf.concat(drive.slice(1), 1);
    tf.dispose([...drive, x]);
    return download(all);
  }

  /** New weights: a new plan; baked sessions are for the old weights and go. */
  private useOperators(ops: Operators): void {
    this.ops = ops;
    this.plan = planFromOperators(ops);
    if (this.weights === 'initializers') this.releaseSessions();
  }

  private session(variant: GraphVariant): Promise<InferenceSession> {
    const key = JSON.stringify(variant);
    let session = this.sessions.get(key);
    if (!session) {
      const started = performance.now(),
        cpu = process.cpuUsage();
      const bytes = phaseModel(this.plan!, variant);
      session = ortModule()
        .InferenceSession.create(bytes, sessionOptions(this.threads))
        .then((s) => {
          this.stats.sessions++;
          this.stats.sessionMs += performance.now() - started;
          this.stats.sessionCpuMs += cpuMs(cpu);
          return s;
        });
      this.sessions.set(key, session);
    }
    return session;
  }

  private releaseSessions(): void {
    for (const s of this.sessions.values())
      void s.then(
        (session) => session.release(),
        () => undefined,
      );
    this.sessions.clear();
  }

  dispose(): void {
    this.releaseSessions();
    this.ops = null;
    this.plan = null;
  }
}
