/**
 * Target feedback into hidden layers (beyond the paper; its "future directions", SPEC §6): during
 * the weakly-clamped phase only, every chosen hidden layer l feels the target through a fixed
 * random matrix B_l (n_K × n_l), never trained:
 *
 *     s'_l ← s'_l + 2εβ (y − s_K) B_l          (s'_l: the unclipped energy step of layer l)
 *
 * with s_K the output state the step reads (the previous one), applied before the step's one clip,
 * like the output nudge s'_K ← s'_K + 2εβ (y − s'_K). B_l has each entry present with probability
 * `density`, drawn U[−scale, scale]. The free phase (and so evaluation) never sees B.
 */
import { runStream } from './run-streams.js';
import type { Network } from './network.js';
import type { TargetFeedback } from './config.js';

/**
 * B over all non-input neurons: n_K × M row-major (M columns, layer 1 first), zero outside the
 * chosen layers; null when `feedback` is null. Deterministic in (network sizes, feedback, seed).
 */
export function feedbackMatrix(
  network: Network,
  feedback: TargetFeedback | null | undefined,
  seed: number,
): Float32Array | null {
  if (!feedback) return null;
  const nOut = network.sizes[network.K],
    M = network.N - network.sizes[0];
  const B = new Float32Array(nOut * M);
  const rng = runStream(seed, 'feedback');
  for (const l of feedback.layers) {
    const column = network.offsets[l] - network.sizes[0];
    for (let r = 0; r < nOut; r++) {
      for (let c = 0; c < network.sizes[l]; c++) {
        if (rng.next() < feedback.density) B[r * M + column + c] = rng.uniform(-feedback.scale, feedback.scale);
      }
    }
  }
  return B;
}
