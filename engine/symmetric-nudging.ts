/**
 * Symmetric nudging (beyond the paper; TrainConfig.symmetricNudging): a second weakly-clamped
 * phase at −β from the same free state. The rule's (s⁺ᵀs⁺ − s⁻ᵀs⁻) / (2β) is the one-sided rule
 * with the phase at −β in the free state's place and 2β for β (the sign of β drops out), so the
 * learning update (engine/learning.ts) serves both.
 */
import type { PhaseResult } from './phases.js';

/** The two states the learning rule contrasts, and the β it divides by. */
export interface ContrastedPhases {
  /** The state the rule subtracts: the free equilibrium, or the phase at −β. */
  low: Float32Array;
  /** The weakly-clamped state at +β. */
  high: Float32Array;
  betaSigned: number;
}

/** What the learning rule compares for a batch whose phases ran at `betaSigned` (mirrored or not). */
export function contrastedPhases(result: PhaseResult, betaSigned: number): ContrastedPhases {
  const symmetric = result.clampedMirror !== null;
  return {
    low: symmetric ? result.clampedMirror! : result.free,
    high: result.clamped!,
    betaSigned: symmetric ? 2 * betaSigned : betaSigned,
  };
}
