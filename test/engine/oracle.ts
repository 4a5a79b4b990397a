/**
 * Test-only reference: SPEC §2–3 in plain float64 TypeScript, written as directly as the equations
 * read — a full dense N × N symmetric W (graph/compile.ts denseWeights), the whole state vector
 * s of every example, input columns held at x, no structure exploited. Independent of engine/:
 * it shares only the topology types, the Rng and the protocol (batch i = examples [iB, (i+1)B),
 * β sign flipped when rng.next() < ½ at the start of a batch; a once-shuffled batch order is
 * Fisher–Yates from the last position down with Rng(seed).int). A regression set (data.targets)
 * nudges its one output toward the target and its error is the mean over examples of (s_out − t)².
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
    for (let r = 0; r < block.rows; r++)
      for (let c = 0; c < block.cols; c++) {
        if (!block.mask[r * block.cols + c]) continue;
        const i = offsets[block.from] + r,
          j = offsets[block.to] + c;
        mask[i * N + j] = mask[j * N + i] = 1;
      }
  }
  for (let e = 0; e < compiled.skip.count; e++)
    mask[compiled.skip.src[e] * N + compiled.skip.dst[e]] = mask[compiled.skip.dst[e] * N + compiled.skip.src[e]] = 1;
  return { sizes: [...sizes], N, layer, W: Float64Array.from(W32), mask, b: Float64Array.from(compiled.biases) };
}

/**
 * One state update of one example, in place. s: length N (input part = x).
 * Free: s_j ← clip(s_j + ε(Σ_i rho(s_i) W_ij + b_j − rho(s_j))) for non-input j, all from the old s.
 * Clamped (beta ≠ 0), SPEC §2's order: the energy step s' unclipped, then s'_out + 2εβ(y − s'_out)
 * on the output neurons, then one clip.
 */
export function oracleStep(
  net: OracleNet,
  s: Float64Array,
  epsilon: number,
  beta = 0,
  y?: Float64Array,
  feedback?: Float32Array | null,
): void {
  const { N, W, b, layer } = net;
  const K = net.sizes.length - 1;
  const old = Float64Array.from(s);
  const n0 = net.sizes[0],
    M = N - n0,
    nOut = net.sizes[K];
  const outStart = N - nOut;
  for (let j = 0; j < N; j++) {
    if (layer[j] === 0) continue;
    let u = b[j];
    for (let i = 0; i < N; i++) u += rho(old[i]) * W[i * N + j];
    const energyStep = old[j] + epsilon * (u - rho(old[j]));
    let nudged =
      beta !== 0 && layer[j] === K ? energyStep + 2 * epsilon * beta * (y![j - outStart] - energyStep) : energyStep;
    // Target feedback (beyond the paper): hidden j gets 2εβ Σ_k (y_k − s_out,k) B_kj from the old state.
    if (beta !== 0 && feedback && layer[j] < K) {
      for (let k = 0; k < nOut; k++)
        nudged += 2 * epsilon * beta * (y![k] - old[outStart + k]) * feedback[k * M + j - n0];
    }
    s[j] = clip(nudged);
  }
}

export interface OracleRun {
  net: OracleNet;
  /** Free equilibria (non-input neurons, B × (N − n_0) row-major) stored per batch index. */
  particles: Float64Array[];
  /** Sign of β used by each batch, in order. */
  signs: number[];
  /** Eq. 2 rate of every adjacent pair, for every batch in order (SPEC §5). */
  rates: number[][];
  /** The dense weights after every batch, in order. */
  weightsAfter: Float64Array[];
  /** With an evaluation set: its error after each completed epoch, and its persistent particles. */
  evalErrors: number[];
  /** The training error of each completed epoch (class error or MSE), counted during the epoch. */
  trainErrors: number[];
  evalParticles: Float64Array[];
}

/**
 * SPEC §5 eq. 2: per adjacent pair (l, l+1), sqrt(Σ ΔW_ij² / (n_l n_{l+1})) over the whole
 * adjacent block (i in layer l, j in layer l+1; absent connections count as ΔW = 0).
 */
export function oracleRates(net: OracleNet, before: Float64Array, after: Float64Array): number[] {
  const { N, layer, sizes } = net;
  const sums = new Array<number>(sizes.length - 1).fill(0);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      if (layer[j] !== layer[i] + 1) continue;
      const d = after[i * N + j] - before[i * N + j];
      sums[layer[i]] += d * d;
    }
  return sums.map((sum, l) => Math.sqrt(sum / (sizes[l] * sizes[l + 1])));
}

/** Index of the largest output (the first on ties, as tf.argMax). */
function prediction(net: OracleNet, s: Float64Array): number {
  const nOut = net.sizes[net.sizes.length - 1],
    outStart = net.N - nOut;
  let best = 0;
  for (let k = 1; k < nOut; k++) if (s[outStart + k] > s[outStart + best]) best = k;
  return best;
}

/** The example's error: misclassified (0 or 1), or (s_out − t)² for a regression set. */
function exampleError(net: OracleNet, s: Float64Array, data: Dataset, ex: number): number {
  if (data.targets) return (s[net.N - 1] - data.targets[ex]) ** 2;
  return prediction(net, s) !== data.labels[ex] ? 1 : 0;
}

/** The visit order of an epoch's batches: identity, or the once-shuffled permutation. */
function visitOrder(batches: number, config: TrainConfig): number[] {
  const order = Array.from({ length: batches }, (_, i) => i);
  if (config.batchOrder?.kind !== 'shuffled-once') return order;
  const rng = new Rng(config.batchOrder.seed);
  for (let i = batches - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/**
 * SPEC §3 evaluation: each evaluation batch's free phase starts from ITS persistent particle
 * (the state it reached at the previous evaluation; zeros the first time) and stores the result
 * back. Returns the error fraction.
 */
export function oracleEvaluate(net: OracleNet, config: TrainConfig, data: Dataset, particles: Float64Array[]): number {
  const n0 = net.sizes[0],
    M = net.N - n0,
    B = config.batchSize;
  let errors = 0;
  particles.forEach((particle, i) => {
    for (let e = 0; e < B; e++) {
      const ex = i * B + e;
      const s = new Float64Array(net.N);
      for (let v = 0; v < n0; v++) s[v] = data.images[ex * n0 + v];
      s.set(particle.subarray(e * M, (e + 1) * M), n0);
      for (let k = 0; k < config.freeSteps; k++) oracleStep(net, s, config.epsilon);
      particle.set(s.subarray(n0), e * M);
      errors += exampleError(net, s, data, ex);
    }
  });
  return errors / (particles.length * B);
}

/**
 * Trains `batches` batches (wrapping around the dataset) the way SPEC §2–3 reads; with `evalData`,
 * evaluates after every completed epoch as the engine's trainEpoch does.
 */
export function oracleTrain(
  compiled: CompiledTopology,
  config: TrainConfig,
  data: Dataset,
  batches: number,
  evalData?: Dataset,
  feedback: Float32Array | null = null,
): OracleRun {
  const net = oracleNet(compiled);
  const { N, sizes, layer } = net;
  const n0 = sizes[0],
    K = sizes.length - 1,
    nOut = sizes[K];
  const B = config.batchSize;
  const perEpoch = Math.floor(data.count / B);
  const rng = new Rng(config.seed);
  const rate = (cls: number) =>
    config.learningRates.length === 1 ? config.learningRates[0] : config.learningRates[cls];
  // SPEC §3, the authors' code: with per-layer rates only adjacent-layer weights are scaled.
  const authorsCode = config.ratesAs === 'authors-code' && config.learningRates.length > 1;
  const weightRate = (li: number, lj: number) =>
    authorsCode && Math.abs(li - lj) !== 1 ? 1 : rate(rateClassOf(li, lj));
  const biasRate = (l: number) => (authorsCode ? 1 : rate(l - 1));
  const particles = Array.from({ length: perEpoch }, () => new Float64Array(B * (N - n0)));
  const signs: number[] = [];
  const rates: number[][] = [];
  const weightsAfter: Float64Array[] = [];
  const evalErrors: number[] = [];
  const evalParticles = evalData
    ? Array.from({ length: Math.floor(evalData.count / B) }, () => new Float64Array(B * (N - n0)))
    : [];
  const trainErrors: number[] = [];
  const visit = visitOrder(perEpoch, config);
  let sign = 1,
    epochErrors = 0;
  for (let t = 0; t < batches; t++) {
    const position = t % perEpoch,
      i = visit[position];
    // Add, train, remove (beyond the paper): from epoch removeSkipsAfter + 1 on, skip (and
    // intralayer) connections are gone.
    if (config.removeSkipsAfter != null && position === 0 && t / perEpoch >= config.removeSkipsAfter) {
      for (let i2 = 0; i2 < N; i2++)
        for (let j = 0; j < N; j++) {
          const span = Math.abs(layer[i2] - layer[j]);
          if (span >= 2 || (span === 0 && config.removeIntralayer)) {
            net.mask[i2 * N + j] = 0;
            net.W[i2 * N + j] = 0;
          }
        }
    }
    if (config.randomBetaSign && rng.next() < 0.5) sign = -sign;
    const beta = sign * config.beta;
    signs.push(sign);
    const free: Float64Array[] = [],
      clamped: Float64Array[] = [],
      mirrored: Float64Array[] = [];
    for (let e = 0; e < B; e++) {
      const ex = i * B + e;
      const s = new Float64Array(N);
      for (let v = 0; v < n0; v++) s[v] = data.images[ex * n0 + v];
      s.set(particles[i].subarray(e * (N - n0), (e + 1) * (N - n0)), n0);
      for (let k = 0; k < config.freeSteps; k++) oracleStep(net, s, config.epsilon);
      particles[i].set(s.subarray(n0), e * (N - n0));
      free.push(Float64Array.from(s));
      epochErrors += exampleError(net, s, data, ex);
      const y = new Float64Array(nOut);
      if (data.targets) y[0] = data.targets[ex];
      else y[data.labels[ex]] = 1;
      const m = Float64Array.from(s);
      for (let k = 0; k < config.clampedSteps; k++) oracleStep(net, s, config.epsilon, beta, y, feedback);
      clamped.push(s);
      // Symmetric nudging: a second weakly-clamped phase at −β from the same free state.
      for (let k = 0; config.symmetricNudging && k < config.clampedSteps; k++)
        oracleStep(net, m, config.epsilon, -beta, y, feedback);
      mirrored.push(m);
    }
    // Symmetric: ΔW = (η/2β) mean[rho(s⁺)rho(s⁺) − rho(s⁻)rho(s⁻)], s⁺ at β and s⁻ at −β (Laborieux et al. 2021).
    const low = config.symmetricNudging ? mirrored : free;
    const divisor = config.symmetricNudging ? 2 * beta : beta;
    // ΔW_ij = (η_ij/β) mean_batch[rho(s_c,i) rho(s_c,j) − rho(s_f,i) rho(s_f,j)] on existing connections.
    const newW = Float64Array.from(net.W);
    for (let i2 = 0; i2 < N; i2++)
      for (let j = 0; j < N; j++) {
        if (!net.mask[i2 * N + j]) continue;
        let m = 0;
        for (let e = 0; e < B; e++) m += rho(clamped[e][i2]) * rho(clamped[e][j]) - rho(low[e][i2]) * rho(low[e][j]);
        const eta = weightRate(layer[i2], layer[j]);
        newW[i2 * N + j] += (eta / divisor) * (m / B);
      }
    rates.push(oracleRates(net, net.W, newW));
    weightsAfter.push(newW);
    net.W = newW;
    for (let j = 0; j < N; j++) {
      if (layer[j] === 0) continue;
      let m = 0;
      for (let e = 0; e < B; e++) m += rho(clamped[e][j]) - rho(low[e][j]);
      net.b[j] += (biasRate(layer[j]) / divisor) * (m / B);
    }
    if (position === perEpoch - 1) {
      trainErrors.push(epochErrors / (perEpoch * B));
      epochErrors = 0;
      if (evalData) evalErrors.push(oracleEvaluate(net, config, evalData, evalParticles));
    }
  }
  return { net, particles, signs, rates, weightsAfter, evalErrors, trainErrors, evalParticles };
}

/** Free equilibrium of one input under the oracle dynamics, iterated until it stops moving. */
export function oracleEquilibrium(
  net: OracleNet,
  x: ArrayLike<number>,
  epsilon: number,
  maxSteps = 20000,
  tolerance = 1e-14,
): Float64Array {
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
