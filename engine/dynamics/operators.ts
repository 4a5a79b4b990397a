/**
 * The per-batch linear operators of the recurrent part of SPEC §2's step, rewritten per non-input
 * layer l as
 *
 *     s_l ← clip( S_l · (ε W_{·,l}) + ε (x · W_{0,l} + b_l) + (1 − ε) s_l , 0, 1 )
 *
 * where S_l is the concatenation of the layers that share a block with l. The input term is a
 * constant "drive" computed once per batch (input neurons never change); the (1 − ε) s_l term is
 * folded into the matrix as (1 − ε) I on the diagonal block when layer l has intralayer
 * connections (the block is dense anyway), else added separately. No N × N product anywhere.
 * The layout ('blocks' or 'fused') is chosen by engine/dynamics/layout-cost.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Network } from '../network.js';
import { blockIndex, chooseLayout, type StepLayout } from './layout-cost.js';

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
