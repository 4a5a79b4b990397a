/**
 * The discretised dynamics of SPEC §2, structure-aware:
 *
 *     s ← clip( s + ε · (rho(s) · W + b − rho(s)), 0, 1 )        (rho(s) = s: states stay in [0, 1])
 *
 * rewritten per non-input layer l as
 *
 *     s_l ← clip( S_l · (ε W_{·,l}) + ε (x · W_{0,l} + b_l) + (1 − ε) s_l , 0, 1 )
 *
 where S_l is the concatenation of the layers that share a block with l. The input term is a
 * constant "drive" computed once per batch (input neurons never change); the (1 − ε) s_l term is
 * folded into the matrix as (1 − ε) I on the diagonal block when layer l has intralayer
 * connections (the block is dense anyway), else added separately. No N × N product anywhere.
 *
 * Two layouts of the same arithmetic, chosen per topology by estimated cost (chooseLayout):
 *  - 'blocks': per layer, one product S_l · W_l (plus concat, addN, clip): few multiply-adds,
 *    3–5 ops per layer per step. Best for layered nets, where most layer pairs share no connection.
 *  - 'fused': all non-input layers as one B × M state H (M = N − n_0) and one M × M matrix
 *    (every block, (1 − ε) I on the whole diagonal): H ← clip(H · W_M + drive), 3 ops per step.
 *    Best when nearly every block among non-input layers exists anyway (intralayer + skip nets:
 *    the paper's p = 7.56 % net executes 2.28 M multiply-adds per row either way) and for small nets.
 * Both equal the dense formulation up to float32 rounding (test/engine/structured.test.ts).
 *
 * Weakly-clamped step (SPEC §2, the authors' order): the same update WITHOUT its clip, s', then on
 * the output layer only s'_out ← s'_out + 2 ε β (y − s'_out) = (1 − 2εβ) s'_out + 2εβ y, then one
 * clip of the whole state to [0, 1]. (Clipping s' before the nudge agrees only when 2εβ = 1 or 2εβ ≤ 0.)
 *
 * States are arrays indexed by layer: state[0] is the input x (never updated), state[l] is B × n_l.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Network } from './network.js';
import { settle, type AdaptiveFreePhase, type Iteration } from './adaptive.js';

export type State = tf.Tensor2D[];

export type StepLayout = 'blocks' | 'fused';

/** The per-batch linear operators of the recurrent part (fixed while the weights are). */
export interface Operators {
  layout: StepLayout;
  /** 'fused' only: ε W among non-input layers + (1 − ε) I, M × M. */
  fusedMatrix: tf.Tensor2D | null;
  /** Sizes of layers 1 … K (to split the fused state). */
  layerSizes: number[];
  /** sources[l]: the non-input layers whose states feed layer l, ascending. */
  sources: number[][];
  /** stacked[l]: ε · [W_{a,l} for a in sources[l]] stacked by rows (null when sources[l] is empty). */
  stacked: (tf.Tensor2D | null)[];
  /** folded[l]: the (1 − ε) s_l term is inside stacked[l]. */
  folded: boolean[];
  /** Scalar 1 − ε. */
  keep: tf.Scalar;
}

/** The nudge of the weakly-clamped phase for one batch. */
export interface Clamp {
  /** 2εβ. */
  strength: number;
  /** Scalar 1 − 2εβ. */
  keep: tf.Scalar;
  /** 2εβ y, B × n_K. */
  pull: tf.Tensor2D;
  /**
   * Target feedback into hidden layers (engine/feedback.ts), or null: per non-input layer l the
   * term s_K · G_l + g_l added to its unclipped step, with G_l = −2εβ B_l (n_K × n_l) and
   * g_l = 2εβ y B_l (B × n_l), i.e. 2εβ (y − s_K) B_l from the state the step reads. null where B_l = 0.
   */
  feedback: { matrix: (tf.Tensor2D | null)[]; offset: (tf.Tensor2D | null)[] } | null;
}

export function blockIndex(network: Network): Map<string, number> {
  return new Map(network.blocks.map((block, i) => [`${block.a}-${block.b}`, i]));
}

/**
 * Per-row cost of one step in multiply-adds, counting each op's fixed overhead as `opOverhead`
 * multiply-adds (default OP_OVERHEAD: ≈ 20 µs per op at ≈ 15 GFLOPS and batch 20, measured on
 * tfjs-wasm). With opOverhead 0: the multiply-adds each layout's products execute.
 */
const OP_OVERHEAD = 12_000;

export function layoutCosts(network: Network, opOverhead = OP_OVERHEAD): Record<StepLayout, number> {
  const { K, sizes } = network;
  const index = blockIndex(network);
  let blocks = 0;
  for (let l = 1; l <= K; l++) {
    let rows = 0,
      sources = 0,
      folded = false;
    for (let a = 1; a <= K; a++) {
      const i = index.get(`${Math.min(a, l)}-${Math.max(a, l)}`);
      if (i === undefined || network.blocks[i].maskCount === 0) continue;
      rows += sizes[a];
      sources++;
      if (a === l) folded = true;
    }
    // Ops: concat (several sources), matMul, mul by (1 − ε) (not folded), addN (several terms), clip.
    const terms = 1 + (sources > 0 ? 1 : 0) + (folded ? 0 : 1);
    const opCount = (sources > 1 ? 1 : 0) + (sources > 0 ? 1 : 0) + (folded ? 0 : 1) + (terms > 1 ? 1 : 0) + 1;
    blocks += rows * sizes[l] + opOverhead * opCount;
  }
  const M = network.N - sizes[0];
  return { blocks, fused: M * M + 3 * opOverhead };
}

export function chooseLayout(network: Network): StepLayout {
  const cost = layoutCosts(network);
  return cost.fused <= cost.blocks ? 'fused' : 'blocks';
}

/** Builds the operators from the current weights (one tensor per block, same order as network.blocks). */
export function buildOperators(
  network: Network,
  weights: tf.Tensor2D[],
  epsilon: number,
  layout: StepLayout | 'auto' = 'auto',
): Operators {
  const { K, sizes } = network;
  const chosen = layout === 'auto' ? chooseLayout(network) : layout;
  if (chosen === 'fused') return buildFusedOperators(network, weights, epsilon);
  const index = blockIndex(network);
  const sources: number[][] = [[]];
  const stacked: (tf.Tensor2D | null)[] = [null];
  const folded: boolean[] = [false];
  for (let l = 1; l <= K; l++) {
    const src: number[] = [];
    for (let a = 1; a <= K; a++) {
      const i = index.get(`${Math.min(a, l)}-${Math.max(a, l)}`);
      if (i !== undefined && network.blocks[i].maskCount > 0) src.push(a);
    }
    sources.push(src);
    folded.push(src.includes(l));
    if (src.length === 0) {
      stacked.push(null);
      continue;
    }
    stacked.push(
      tf.tidy(() => {
        const pieces = src.map((a) => {
          const W = weights[index.get(`${Math.min(a, l)}-${Math.max(a, l)}`)!];
          if (a < l) return tf.mul(W, epsilon);
          if (a > l) return tf.mul(tf.transpose(W), epsilon);
          return tf.add(tf.mul(W, epsilon), tf.mul(tf.eye(sizes[l]), 1 - epsilon));
        });
        return (pieces.length === 1 ? pieces[0] : tf.concat(pieces, 0)) as tf.Tensor2D;
      }),
    );
  }
  return {
    layout: 'blocks',
    fusedMatrix: null,
    layerSizes: sizes.slice(1),
    sources,
    stacked,
    folded,
    keep: tf.scalar(1 - epsilon),
  };
}

function buildFusedOperators(network: Network, weights: tf.Tensor2D[], epsilon: number): Operators {
  const { K, sizes } = network;
  const fusedMatrix = tf.tidy(() => {
    // Block rows of the M × M matrix, each piece already scaled: row band a holds εW_{a,b} (a ≤ b)
    // or εW_{b,a}ᵀ, and the diagonal pieces also (1 − ε) I (small identities, not an M × M one).
    const index = blockIndex(network);
    const bands: tf.Tensor2D[] = [];
    for (let a = 1; a <= K; a++) {
      const pieces: tf.Tensor2D[] = [];
      for (let b = 1; b <= K; b++) {
        const i = index.get(`${Math.min(a, b)}-${Math.max(a, b)}`);
        let piece: tf.Tensor2D;
        if (i === undefined)
          piece = a === b ? (tf.mul(tf.eye(sizes[a]), 1 - epsilon) as tf.Tensor2D) : tf.zeros([sizes[a], sizes[b]]);
        else {
          piece = tf.mul(a <= b ? weights[i] : tf.transpose(weights[i]), epsilon) as tf.Tensor2D;
          if (a === b) piece = tf.add(piece, tf.mul(tf.eye(sizes[a]), 1 - epsilon)) as tf.Tensor2D;
        }
        pieces.push(piece);
      }
      bands.push(pieces.length === 1 ? pieces[0] : tf.concat(pieces, 1));
    }
    return (bands.length === 1 ? bands[0] : tf.concat(bands, 0)) as tf.Tensor2D;
  });
  return {
    layout: 'fused',
    fusedMatrix,
    layerSizes: sizes.slice(1),
    sources: [],
    stacked: [],
    folded: [],
    keep: tf.scalar(1 - epsilon),
  };
}

export function disposeOperators(ops: Operators): void {
  for (const t of ops.stacked) t?.dispose();
  ops.fusedMatrix?.dispose();
  ops.keep.dispose();
}

/** ε (x · W_{0,l} + b_l) for every non-input layer l (index 0 unused, an empty placeholder). */
export function buildDrive(
  network: Network,
  weights: tf.Tensor2D[],
  biases: tf.Tensor1D[],
  x: tf.Tensor2D,
  epsilon: number,
): tf.Tensor2D[] {
  return tf.tidy(() => {
    const drive: tf.Tensor2D[] = [tf.zeros([0, 0])];
    for (let l = 1; l <= network.K; l++) {
      let d: tf.Tensor = tf.mul(tf.ones([x.shape[0], 1]), biases[l]);
      network.blocks.forEach((block, i) => {
        if (block.a === 0 && block.b === l && block.maskCount > 0) d = tf.add(d, tf.matMul(x, weights[i]));
      });
      drive.push(tf.mul(d, epsilon) as tf.Tensor2D);
    }
    return drive;
  });
}

/**
 * The nudge of one weakly-clamped phase. `feedback` (n_K × M host matrix B over the non-input
 * neurons, layer 1 first; zero outside the layers that receive it) adds target feedback.
 */
export function makeClamp(
  target: tf.Tensor2D,
  epsilon: number,
  betaSigned: number,
  layerSizes: number[],
  feedback: Float32Array | null = null,
): Clamp {
  const strength = 2 * epsilon * betaSigned;
  const pull = tf.tidy(() => tf.mul(target, strength)) as tf.Tensor2D;
  return {
    strength,
    keep: tf.scalar(1 - strength),
    pull,
    feedback: feedback && feedbackTerms(target, strength, layerSizes, feedback),
  };
}

function feedbackTerms(
  target: tf.Tensor2D,
  strength: number,
  layerSizes: number[],
  B: Float32Array,
): Clamp['feedback'] {
  const nOut = target.shape[1],
    M = layerSizes.reduce((a, b) => a + b, 0);
  const matrix: (tf.Tensor2D | null)[] = [null],
    offset: (tf.Tensor2D | null)[] = [null];
  let column = 0;
  for (const n of layerSizes) {
    const slice = new Float32Array(nOut * n);
    let any = false;
    for (let r = 0; r < nOut; r++) {
      for (let c = 0; c < n; c++) {
        const v = B[r * M + column + c];
        slice[r * n + c] = v;
        if (v !== 0) any = true;
      }
    }
    column += n;
    if (!any) {
      matrix.push(null);
      offset.push(null);
      continue;
    }
    const Bl = tf.tensor2d(slice, [nOut, n]);
    matrix.push(tf.mul(Bl, -strength) as tf.Tensor2D);
    offset.push(tf.tidy(() => tf.mul(tf.matMul(target, Bl), strength)) as tf.Tensor2D);
    Bl.dispose();
  }
  return { matrix, offset };
}

export function disposeClamp(clamp: Clamp): void {
  clamp.keep.dispose();
  clamp.pull.dispose();
  if (clamp.feedback)
    tf.dispose([...clamp.feedback.matrix, ...clamp.feedback.offset].filter((t): t is tf.Tensor2D => t !== null));
}

/** One synchronous update of every non-input layer from the old state (call inside tf.tidy). */
export function step(ops: Operators, drive: tf.Tensor2D[], state: State, clamp?: Clamp): State {
  const K = state.length - 1;
  const concatenated = new Map<string, tf.Tensor2D>();
  const next: State = [state[0]];
  for (let l = 1; l <= K; l++) {
    const src = ops.sources[l];
    // Terms of the pre-activation, summed by one AddN (one op instead of two chained adds).
    const terms: tf.Tensor2D[] = [drive[l]];
    if (src.length > 0) {
      const key = src.join(',');
      let X = concatenated.get(key);
      if (!X) {
        X =
          src.length === 1
            ? state[src[0]]
            : tf.concat(
                src.map((a) => state[a]),
                1,
              );
        concatenated.set(key, X);
      }
      terms.unshift(tf.matMul(X, ops.stacked[l]!));
    }
    if (!ops.folded[l]) terms.push(tf.mul(state[l], ops.keep));
    const fbMatrix = clamp?.feedback?.matrix[l];
    if (fbMatrix) terms.push(tf.matMul(state[K], fbMatrix), clamp!.feedback!.offset[l]!);
    const pre = terms.length === 1 ? terms[0] : tf.addN(terms);
    // SPEC §2: the nudge acts on the unclipped energy step; one clip follows.
    const nudged = clamp && l === K ? tf.add(tf.mul(pre, clamp.keep), clamp.pull) : pre;
    next.push(tf.clipByValue(nudged, 0, 1) as tf.Tensor2D);
  }
  return next;
}

/** Disposes the non-input layers of a state (state[0] is the caller's input tensor). */
export function disposeState(state: State): void {
  for (let l = 1; l < state.length; l++) state[l].dispose();
}

/**
 * Runs `steps` updates from `initial` (left untouched; the caller still owns it) and returns the
 * final state. Only two states are alive at any time.
 */
export function runPhase(ops: Operators, drive: tf.Tensor2D[], initial: State, steps: number, clamp?: Clamp): State {
  if (ops.layout === 'fused') return runFusedPhase(ops, drive, initial, steps, clamp);
  let state = initial;
  for (let k = 0; k < steps; k++) {
    const next = tf.tidy(() => step(ops, drive, state, clamp));
    if (state !== initial) disposeState(state);
    state = next;
  }
  return state;
}

/**
 * The fused layout: H ← clip(H · W_M + drive). The clamped nudge acts on the output columns only
 * through a per-column factor (1 on hidden columns, 1 − 2εβ on output columns) and an offset
 * (0 on hidden columns, 2εβ y on output columns) applied to the unclipped step before its one
 * clip: H ← clip((H · W_M + drive) ⊙ factor + offset).
 */
function runFusedPhase(ops: Operators, drive: tf.Tensor2D[], initial: State, steps: number, clamp?: Clamp): State {
  const driveAll = tf.concat(drive.slice(1), 1) as tf.Tensor2D;
  const nudge = clamp ? clampColumns(ops.layerSizes, clamp, initial[0].shape[0]) : null;
  // Target feedback: its G_l blocks join the matrix (rows of the output layer), its g_l the offset.
  const matrix = nudge?.band ? fusedWithFeedback(ops, nudge.band) : ops.fusedMatrix!;
  let H = tf.concat(initial.slice(1), 1) as tf.Tensor2D;
  for (let k = 0; k < steps; k++) {
    const next = tf.tidy(() => {
      const pre = tf.add(tf.matMul(H, matrix), driveAll);
      // SPEC §2: the nudge acts on the unclipped energy step; one clip follows.
      return tf.clipByValue(nudge ? tf.add(tf.mul(pre, nudge.factor), nudge.offset) : pre, 0, 1) as tf.Tensor2D;
    });
    H.dispose();
    H = next;
  }
  const layers = ops.layerSizes.length === 1 ? [H] : (tf.split(H, ops.layerSizes, 1) as tf.Tensor2D[]);
  if (ops.layerSizes.length > 1) H.dispose();
  tf.dispose([driveAll, ...(nudge ? [nudge.factor, nudge.offset, ...(nudge.band ? [nudge.band] : [])] : [])]);
  if (matrix !== ops.fusedMatrix) matrix.dispose();
  return [initial[0], ...layers];
}

/**
 * The weakly-clamped step's general form over all M non-input columns (layer 1 first), which the
 * fused layout and the ONNX Runtime phases (engine/onnx/) both run:
 *
 *     H ← clip((H · (W + band in the output layer's rows) + drive) ⊙ factor + offset, 0, 1)
 *
 * factor: 1 × M, 1 on hidden columns and 1 − 2εβ on output columns; offset: rows × M, 2εβ y on
 * output columns and the feedback's g_l = 2εβ y B_l on hidden ones (where the factor is 1, so
 * adding after the factor is the same); band: n_K × M, the feedback's G_l = −2εβ B_l side by side,
 * or null without feedback.
 */
export interface ClampColumns {
  factor: tf.Tensor2D;
  offset: tf.Tensor2D;
  band: tf.Tensor2D | null;
}

export function clampColumns(layerSizes: number[], clamp: Clamp, rows: number): ClampColumns {
  const M = layerSizes.reduce((a, b) => a + b, 0);
  const nOut = layerSizes[layerSizes.length - 1];
  const [factor, offset, band] = tf.tidy(() => {
    const factor = tf.concat([tf.ones([1, M - nOut]), tf.fill([1, nOut], 1 - clamp.strength)], 1) as tf.Tensor2D;
    let offset = tf.concat([tf.zeros([rows, M - nOut]), clamp.pull], 1) as tf.Tensor2D;
    if (!clamp.feedback) return [factor, offset];
    const fb = clamp.feedback;
    offset = tf.add(
      offset,
      tf.concat(
        layerSizes.map((n, i) => fb.offset[i + 1] ?? tf.zeros([rows, n])),
        1,
      ),
    );
    return [
      factor,
      offset,
      tf.concat(
        layerSizes.map((n, i) => fb.matrix[i + 1] ?? tf.zeros([nOut, n])),
        1,
      ) as tf.Tensor2D,
    ];
  });
  return { factor, offset, band: band ?? null };
}

/** The fused matrix plus the feedback band G in the output layer's rows. */
function fusedWithFeedback(ops: Operators, band: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const M = ops.layerSizes.reduce((a, b) => a + b, 0);
    const nOut = ops.layerSizes[ops.layerSizes.length - 1];
    const extra = tf.concat([tf.zeros([M - nOut, M]), band], 0);
    return tf.add(ops.fusedMatrix!, extra) as tf.Tensor2D;
  });
}

/**
 * A free phase under the adaptive rule (engine/adaptive.ts): up to `cap` steps, rows leaving the
 * computation as they settle. Returns the final free states (rows × M, host) and the steps each
 * row used.
 */
export function runAdaptiveFreePhase(
  ops: Operators,
  drive: tf.Tensor2D[],
  initial: State,
  cap: number,
  rule: AdaptiveFreePhase,
): { final: Float32Array; steps: Int32Array } {
  const rows = initial[0].shape[0];
  const M = ops.layerSizes.reduce((a, b) => a + b, 0);
  const K = ops.layerSizes.length;
  const nOut = ops.layerSizes[K - 1];
  if (ops.layout === 'fused') {
    let driveAll = tf.concat(drive.slice(1), 1) as tf.Tensor2D;
    const H0 = tf.concat(initial.slice(1), 1) as tf.Tensor2D;
    const it: Iteration<tf.Tensor2D> = {
      rows,
      width: M,
      step: (H) => tf.clipByValue(tf.add(tf.matMul(H, ops.fusedMatrix!), driveAll), 0, 1) as tf.Tensor2D,
      dispose: (H) => H.dispose(),
      rowDelta: (a, b) => tf.mean(tf.abs(tf.sub(b, a)), 1) as tf.Tensor1D,
      prediction: (H) => tf.argMax(tf.slice(H, [0, M - nOut], [H.shape[0], nOut]), 1) as tf.Tensor1D,
      gather: (H, idx) => tf.gather(H, idx) as tf.Tensor2D,
      flat: (H) => H,
      compact: (idx) => {
        const kept = tf.gather(driveAll, idx) as tf.Tensor2D;
        driveAll.dispose();
        driveAll = kept;
      },
    };
    const result = settle(it, H0, cap, rule);
    tf.dispose([driveAll, H0]);
    return result;
  }
  let rowDrive = drive.map((d, l) => (l === 0 ? d : tf.clone(d)));
  const it: Iteration<State> = {
    rows,
    width: M,
    step: (s) => step(ops, rowDrive, s),
    dispose: disposeState,
    rowDelta: (a, b) =>
      tf.div(tf.addN(a.slice(1).map((layer, i) => tf.sum(tf.abs(tf.sub(b[i + 1], layer)), 1))), M) as tf.Tensor1D,
    prediction: (s) => tf.argMax(s[K], 1) as tf.Tensor1D,
    // Layer 0 (the input) is not read by the recurrent step (its drive is), so it is not gathered.
    gather: (s, idx) => [s[0], ...s.slice(1).map((layer) => tf.gather(layer, idx) as tf.Tensor2D)],
    flat: (s) => (K === 1 ? s[1] : (tf.concat(s.slice(1), 1) as tf.Tensor2D)),
    compact: (idx) => {
      const kept = rowDrive.map((d, l) => (l === 0 ? d : (tf.gather(d, idx) as tf.Tensor2D)));
      tf.dispose(rowDrive.slice(1));
      rowDrive = kept;
    },
  };
  const result = settle(it, initial, cap, rule);
  tf.dispose(rowDrive.slice(1));
  return result;
}
