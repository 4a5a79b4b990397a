/**
 * Test-only reference: SPEC §2–3 in plain float64 TypeScript, written as directly as the equations
 * read — a full dense N × N symmetric W (graph/compile.ts denseWeights), the whole state vector
 * s of every example, input columns held at x, no structure exploited. Independent of engine/:
 * it shares only the topology types, the Rng and the protocol (batch i = examples [iB, (i+1)B),
 * β sign flipped when rng.next() < ½ at the start of a batch).
 */
import { Rng } from '../../graph/rng.js';
import { denseWeights, rateClassOf } from '../../graph/compile.js';
import type { CompiledTopology } from '../../graph/types.js';
import type { TrainConfig } from '../../engine/config.js';
import type { Dataset } from '../../engine/mnist.js';

const rho = (v: number) => Math.min(1, Math.max(0, v));
const clip = rho;

export interface OracleNet {
  sizes: number[];
  N: number;
  /** Layer of every neuron. */
  layer: Int32Array;
  /** N × N, symmetric, zero diagonal, float64. */
  W: Float64Array;
  /** 1 where a connection exists. */
  mask: Uint8Array;
  b: Float64Array;
}

export function oracleNet(compiled: CompiledTopology): OracleNet {
  const { N, sizes, offsets } = compiled;
  const layer = new Int32Array(N);
  for (let l = 0; l < sizes.length; l++) for (let v = offsets[l]; v < offsets[l] + sizes[l]; v++) layer[v] = l;
  const W32 = denseWeights(compiled);
  const mask = new Uint8Array(N * N);
  // The mask comes from the compiled blocks' masks and the skip list, not from W ≠ 0.
  for (const block of compiled.blocks) {
    for (let r = 0; r < block.rows; r++) for (let c = 0; c < block.cols; c++) {
      if (!block.mask[r * block.cols + c]) continue;
      const i = offsets[block.from] + r, j = offsets[block.to] + c;
      mask[i * N + j] = mask[j * N + i] = 1;
    }
  }
  for (let e = 0; e < compiled.skip.count; e++) mask[compiled.skip.src[e] * N + compiled.skip.dst[e]] = mask[compiled.skip.dst[e] * N + compiled.skip.src[e]] = 1;
  return { sizes: [...sizes], N, layer, W: Float64Array.from(W32), mask, b: Float64Array.from(compiled.biases) };
}

/**
 * One state update of one example, in place. s: length N (input part = x).
 * Free: s_j ← clip(s_j + ε(Σ_i rho(s_i) W_ij + b_j − rho(s_j))) for non-input j, all from the old s.
 * Clamped (beta ≠ 0), SPEC §2's order: the energy step s' unclipped, then s'_out + 2εβ(y − s'_out)
 * on the output neurons, then one clip.
 */
export function oracleStep(net: OracleNet, s: Float64Array, epsilon: number, beta = 0, y?: Float64Array): void {
  const { N, W, b, layer } = net;
  const K = net.sizes.length - 1;
  const old = Float64Array.from(s);
  const outStart = N - net.sizes[K];
  for (let j = 0; j < N; j++) {
    if (layer[j] === 0) continue;
    let u = b[j];
    for (let i = 0; i < N; i++) u += rho(old[i]) * W[i * N + j];
    const energyStep = old[j] + epsilon * (u - rho(old[j]));
    const nudged = beta !== 0 && layer[j] === K ? energyStep + 2 * epsilon * beta * (y![j - outStart] - energyStep) : energyStep;
    s[j] = clip(nudged);
  }
}

export interface OracleRun {
  net: OracleNet;
  /** Free equilibria (non-input neurons, B × (N − n_0) row-major) stored per batch index. */
  particles: Float64Array[];
  /** Sign of β used by each batch, in order. */
  signs: number[];
}

/** Trains `batches` batches (wrapping around the dataset) the way SPEC §2–3 reads. */
export function oracleTrain(compiled: CompiledTopology, config: TrainConfig, data: Dataset, batches: number): OracleRun {
  const net = oracleNet(compiled);
  const { N, sizes, layer } = net;
  const n0 = sizes[0], K = sizes.length - 1, nOut = sizes[K];
  const B = config.batchSize;
  const perEpoch = Math.floor(data.count / B);
  const rng = new Rng(config.seed);
  const rate = (cls: number) => (config.learningRates.length === 1 ? config.learningRates[0] : config.learningRates[cls]);
  // SPEC §3, the authors' code: with per-layer rates only adjacent-layer weights are scaled.
  const authorsCode = config.ratesAs === 'authors-code' && config.learningRates.length > 1;
  const weightRate = (li: number, lj: number) => (authorsCode && Math.abs(li - lj) !== 1 ? 1 : rate(rateClassOf(li, lj)));
  const biasRate = (l: number) => (authorsCode ? 1 : rate(l - 1));
  const particles = Array.from({ length: perEpoch }, () => new Float64Array(B * (N - n0)));
  const signs: number[] = [];
  let sign = 1;
  for (let t = 0; t < batches; t++) {
    const i = t % perEpoch;
    if (config.randomBetaSign && rng.next() < 0.5) sign = -sign;
    const beta = sign * config.beta;
    signs.push(sign);
    const free: Float64Array[] = [], clamped: Float64Array[] = [];
    for (let e = 0; e < B; e++) {
      const ex = i * B + e;
      const s = new Float64Array(N);
      for (let v = 0; v < n0; v++) s[v] = data.images[ex * n0 + v];
      s.set(particles[i].subarray(e * (N - n0), (e + 1) * (N - n0)), n0);
      for (let k = 0; k < config.freeSteps; k++) oracleStep(net, s, config.epsilon);
      particles[i].set(s.subarray(n0), e * (N - n0));
      free.push(Float64Array.from(s));
      const y = new Float64Array(nOut);
      y[data.labels[ex]] = 1;
      for (let k = 0; k < config.clampedSteps; k++) oracleStep(net, s, config.epsilon, beta, y);
      clamped.push(s);
    }
    // ΔW_ij = (η_ij/β) mean_batch[rho(s_c,i) rho(s_c,j) − rho(s_f,i) rho(s_f,j)] on existing connections.
    const newW = Float64Array.from(net.W);
    for (let i2 = 0; i2 < N; i2++) for (let j = 0; j < N; j++) {
      if (!net.mask[i2 * N + j]) continue;
      let m = 0;
      for (let e = 0; e < B; e++) m += rho(clamped[e][i2]) * rho(clamped[e][j]) - rho(free[e][i2]) * rho(free[e][j]);
      const eta = weightRate(layer[i2], layer[j]);
      newW[i2 * N + j] += (eta / beta) * (m / B);
    }
    net.W = newW;
    for (let j = 0; j < N; j++) {
      if (layer[j] === 0) continue;
      let m = 0;
      for (let e = 0; e < B; e++) m += rho(clamped[e][j]) - rho(free[e][j]);
      net.b[j] += (biasRate(layer[j]) / beta) * (m / B);
    }
  }
  return { net, particles, signs };
}

/** Free equilibrium of one input under the oracle dynamics, iterated until it stops moving. */
export function oracleEquilibrium(net: OracleNet, x: ArrayLike<number>, epsilon: number, maxSteps = 20000, tolerance = 1e-14): Float64Array {
  const s = new Float64Array(net.N);
  for (let v = 0; v < net.sizes[0]; v++) s[v] = x[v];
  for (let k = 0; k < maxSteps; k++) {
    const before = Float64Array.from(s);
    oracleStep(net, s, epsilon);
    let change = 0;
    for (let v = 0; v < net.N; v++) change = Math.max(change, Math.abs(s[v] - before[v]));
    if (change < tolerance) return s;
  }
  throw new Error(`oracle: free phase did not converge in ${maxSteps} steps`);
}
