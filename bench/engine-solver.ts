/**
 * Does a better solver for the same fixed point (damping, or Anderson acceleration) pay for the
 * free phase? The free phase iterates the map
 *     g(s) = clip(s + ε(s·W + b − s), 0, 1)
 * whose fixed points are the equilibria the theory needs. On one batch of the paper network
 * (replace p = 7.56 %, initial weights, or after --train batches of one-thread training), from
 * zeros, this prints how the fixed-point residual mean |g(s) − s| falls with the step count for:
 *   - plain iteration at the paper's ε = 0.5 (the engine's free phase),
 *   - more damping (ε = 0.25) and less (ε = 0.75): the same fixed points, other iterations,
 *   - Anderson acceleration (type II, memory m, per example, the extrapolated state clipped to
 *     [0, 1]) on the ε = 0.5 map,
 * and how far each is, after the step budget, from a reference equilibrium (plain iteration run
 * to 5,000 steps). The residual is measured with the same map for all of them, so the columns compare.
 *
 *     npx tsx bench/engine-solver.ts [--train 0] [--memory 5] [--steps 500] [--rows 20]
 */
import * as tf from '@tensorflow/tfjs-core';
import { buildTopology, compileTopology, PAPER } from '../graph/index.js';
import { initBackend, loadMnist, networkFromCompiled, paperTrainConfig } from '../engine/index.js';
import { Trainer } from '../engine/trainer.js';
import { buildDrive, buildOperators } from '../engine/dynamics/operators.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const backend = await initBackend('auto');
const trainBatches = Number(flag('train', '0'));
const memory = Number(flag('memory', '5'));
const budget = Number(flag('steps', '500'));
const rows = Number(flag('rows', '20'));
const checkpoints = [25, 50, 100, 200, 300, 500, 1000].filter((k) => k <= budget);

const config = paperTrainConfig(false);
const data = loadMnist({ train: Math.max(config.batchSize * Math.max(trainBatches, 1), rows), eval: config.batchSize });
const compiled = compileTopology(buildTopology({ sizes: [...PAPER.sizes], mode: 'replace', n: PAPER.n, seed: 1 }));
const trainer = await Trainer.create(compiled, config, data);
let done = 0;
if (trainBatches > 0) await trainer.trainEpoch({ onBatch: () => void done++, shouldStop: () => done >= trainBatches });
const network = networkFromCompiled(trainer.exportCompiled());
trainer.dispose();

const n0 = network.sizes[0],
  M = network.N - n0;
const weights = network.blocks.map((b) => tf.tensor2d(b.weights, [b.rows, b.cols]));
const biases = network.biases.map((b) => tf.tensor1d(b));
const x = tf.tensor2d(data.train.images.slice(0, rows * n0), [rows, n0]);

/** The map g for a given ε on host states (rows × M), through the engine's fused operators. */
function makeMap(epsilon: number): { apply: (s: Float32Array) => Float32Array; dispose: () => void } {
  const ops = buildOperators(network, weights, epsilon, 'fused');
  const drive = tf.tidy(() => tf.concat(buildDrive(network, weights, biases, x, epsilon).slice(1), 1) as tf.Tensor2D);
  return {
    apply: (s) =>
      tf.tidy(
        () =>
          tf
            .clipByValue(tf.add(tf.matMul(tf.tensor2d(s, [rows, M]), ops.fusedMatrix!), drive), 0, 1)
            .dataSync() as Float32Array,
      ),
    dispose: () => tf.dispose([ops.fusedMatrix!, ops.keep, drive]),
  };
}

const g = makeMap(config.epsilon);
const residual = (s: Float32Array) => {
  const gs = g.apply(s);
  let sum = 0;
  for (let k = 0; k < s.length; k++) sum += Math.abs(gs[k] - s[k]);
  return sum / s.length;
};
/** Mean and max |a − b|, and how many values differ by more than 0.1. */
const distance = (a: Float32Array, b: Float32Array) => {
  let worst = 0,
    sum = 0,
    far = 0;
  for (let k = 0; k < a.length; k++) {
    const d = Math.abs(a[k] - b[k]);
    worst = Math.max(worst, d);
    sum += d;
    if (d > 0.1) far++;
  }
  return `${(sum / a.length).toExponential(1)} / ${worst.toFixed(2)} / ${far}`;
};

/** Plain iteration of the map with step size ε; residuals (of the ε = 0.5 map) at the checkpoints. */
function plain(epsilon: number, steps: number): { residuals: Map<number, number>; final: Float32Array } {
  const map = epsilon === config.epsilon ? g : makeMap(epsilon);
  let s: Float32Array = new Float32Array(rows * M);
  const residuals = new Map<number, number>();
  for (let k = 1; k <= steps; k++) {
    s = map.apply(s);
    if (checkpoints.includes(k)) residuals.set(k, residual(s));
  }
  if (map !== g) map.dispose();
  return { residuals, final: s };
}

/**
 * Anderson acceleration (type II) per example: with f_k = g(s_k) − s_k and the last m differences
 * ΔF, ΔG of residuals and images, s_{k+1} = g(s_k) − ΔG γ where γ solves min |f_k − ΔF γ| (normal
 * equations with a small ridge). The result is clipped to [0, 1] (the states' box).
 */
function anderson(m: number, steps: number): { residuals: Map<number, number>; final: Float32Array } {
  let s: Float32Array = new Float32Array(rows * M);
  const residuals = new Map<number, number>();
  const histF: Float32Array[] = [],
    histG: Float32Array[] = [];
  let prevF: Float32Array | null = null,
    prevG: Float32Array | null = null;
  for (let k = 1; k <= steps; k++) {
    const gs = g.apply(s);
    const f = new Float32Array(gs.length);
    for (let i = 0; i < f.length; i++) f[i] = gs[i] - s[i];
    if (prevF && prevG) {
      const dF = new Float32Array(f.length),
        dG = new Float32Array(f.length);
      for (let i = 0; i < f.length; i++) {
        dF[i] = f[i] - prevF[i];
        dG[i] = gs[i] - prevG[i];
      }
      histF.push(dF);
      histG.push(dG);
      if (histF.length > m) {
        histF.shift();
        histG.shift();
      }
    }
    prevF = f;
    prevG = gs;
    const next = Float32Array.from(gs);
    const h = histF.length;
    for (let r = 0; h > 0 && r < rows; r++) {
      const o = r * M;
      // Normal equations (ΔFᵀΔF + λI) γ = ΔFᵀ f for this row, solved by Gaussian elimination.
      const A = Array.from({ length: h }, () => new Float64Array(h + 1));
      for (let i = 0; i < h; i++) {
        for (let j = i; j < h; j++) {
          let dot = 0;
          for (let c = 0; c < M; c++) dot += histF[i][o + c] * histF[j][o + c];
          A[i][j] = A[j][i] = dot;
        }
        let rhs = 0;
        for (let c = 0; c < M; c++) rhs += histF[i][o + c] * f[o + c];
        A[i][h] = rhs;
      }
      const scale = Math.max(1e-30, ...A.map((row, i) => row[i]));
      for (let i = 0; i < h; i++) A[i][i] += 1e-10 * scale;
      for (let i = 0; i < h; i++) {
        let pivot = i;
        for (let j = i + 1; j < h; j++) if (Math.abs(A[j][i]) > Math.abs(A[pivot][i])) pivot = j;
        [A[i], A[pivot]] = [A[pivot], A[i]];
        if (Math.abs(A[i][i]) < 1e-300) continue;
        for (let j = i + 1; j < h; j++) {
          const factor = A[j][i] / A[i][i];
          for (let c = i; c <= h; c++) A[j][c] -= factor * A[i][c];
        }
      }
      const gamma = new Float64Array(h);
      for (let i = h - 1; i >= 0; i--) {
        let v = A[i][h];
        for (let j = i + 1; j < h; j++) v -= A[i][j] * gamma[j];
        gamma[i] = Math.abs(A[i][i]) < 1e-300 ? 0 : v / A[i][i];
      }
      for (let c = 0; c < M; c++) {
        let v = gs[o + c];
        for (let i = 0; i < h; i++) v -= gamma[i] * histG[i][o + c];
        next[o + c] = Math.min(1, Math.max(0, v));
      }
    }
    s = next;
    if (checkpoints.includes(k)) residuals.set(k, residual(s));
  }
  return { residuals, final: s };
}

console.log(
  `backend ${backend}; paper net, replace p = ${(PAPER.p * 100).toFixed(2)} %, ` +
    `${trainBatches === 0 ? 'initial weights' : `after ${trainBatches} training batches`}; ${rows} examples from ` +
    `zeros; residual = mean |g(s) − s| of the ε = ${config.epsilon} map`,
);
const long = plain(config.epsilon, 5000);
const reference = long.final;
console.log(`reference: plain iteration to 5,000 steps, residual there ${residual(reference).toExponential(1)}`);
const rowsOut: string[] = [
  `| solver | ${checkpoints.map((k) => `${k} steps`).join(' | ')} | distance to the 5,000-step state after ` +
    `${budget} steps: mean / max / values off by > 0.1 (of ${rows * M}) |`,
  `|---|${checkpoints.map(() => '---|').join('')}---|`,
];
const report = (name: string, r: { residuals: Map<number, number>; final: Float32Array }) => {
  const line =
    `| ${name} | ${checkpoints.map((k) => r.residuals.get(k)!.toExponential(1)).join(' | ')} | ` +
    `${distance(r.final, reference)} |`;
  rowsOut.push(line);
  console.log(line);
};
report(`plain, ε = ${config.epsilon} (the paper)`, plain(config.epsilon, budget));
report('plain, ε = 0.25 (more damping)', plain(0.25, budget));
report('plain, ε = 0.75 (less damping)', plain(0.75, budget));
const t = performance.now();
report(`Anderson, m = ${memory}, on the ε = ${config.epsilon} map`, anderson(memory, budget));
console.log(
  `(Anderson's host-side extrapolation: ${((performance.now() - t) / budget).toFixed(1)} ms ` +
    'per step including the map)',
);
console.log(`\n${rowsOut.join('\n')}`);
g.dispose();
tf.dispose([...weights, ...biases, x]);
