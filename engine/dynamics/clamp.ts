/**
 * The nudge of the weakly-clamped phase, with target feedback into hidden layers
 * (engine/feedback.ts). SPEC §2, the authors' order: the step's update WITHOUT its clip, s', then
 * on the output layer only s'_out ← s'_out + 2 ε β (y − s'_out) = (1 − 2εβ) s'_out + 2εβ y, then
 * one clip of the whole state to [0, 1]. (Clipping s' before the nudge agrees only when 2εβ = 1
 * or 2εβ ≤ 0.)
 */
import * as tf from '@tensorflow/tfjs-core';

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
