/**
 * Where a builder may put a new connection. Unrestricted replace/add/per-connection builds take any
 * allowed pair (SPEC §4); no-intralayer builds take pairs in non-adjacent layers; a restriction
 * (spanMin, spanMax, targetLayer) narrows either to layer-skipping pairs of a given span or ending
 * in a given layer. Such families move the distances and path counts to the output at a fixed
 * number of rewirings, while L and C barely move: what separates the graph statistics.
 */
import type { Layout } from './layout.js';
import type { SkipRestriction, TopologyMode } from './types.js';

/** The accepted span range and target of new connections. */
export interface SkipRule {
  spanMin: number;
  spanMax: number;
  /** null: any layer. */
  targetLayer: number | null;
}

/** True when the spec narrows where new connections go beyond what its mode allows. */
export function isRestricted(spec: SkipRestriction): boolean {
  return spec.spanMin !== undefined || spec.spanMax !== undefined || spec.targetLayer !== undefined;
}

/**
 * The rule of a spec, or null when new connections may be any allowed pair (the paper's modes
 * unrestricted: their draws must stay exactly as they were).
 */
export function skipRuleOf(spec: SkipRestriction & { mode: TopologyMode; sizes: readonly number[] }): SkipRule | null {
  if (spec.mode !== 'no-intralayer' && !isRestricted(spec)) return null;
  const K = spec.sizes.length - 1;
  return { spanMin: spec.spanMin ?? 2, spanMax: spec.spanMax ?? K, targetLayer: spec.targetLayer ?? null };
}

export function ruleAcceptsLayers(rule: SkipRule, a: number, b: number): boolean {
  const span = Math.abs(a - b);
  if (span < rule.spanMin || span > rule.spanMax) return false;
  return rule.targetLayer === null || a === rule.targetLayer || b === rule.targetLayer;
}

/** The rule as a test on global neuron indices (for the pair sampler). */
export function ruleAcceptsPair(rule: SkipRule, layout: Layout): (i: number, j: number) => boolean {
  const { layerOf } = layout;
  return (i, j) => ruleAcceptsLayers(rule, layerOf[i], layerOf[j]);
}

/** How many unordered neuron pairs the rule accepts (every accepted pair joins two different layers). */
export function rulePairCount(sizes: readonly number[], rule: SkipRule): number {
  let total = 0;
  for (let a = 0; a < sizes.length; a++) {
    for (let b = a + 1; b < sizes.length; b++) if (ruleAcceptsLayers(rule, a, b)) total += sizes[a] * sizes[b];
  }
  return total;
}

/** The journal's a: the mean of the per-layer Glorot bounds √6/√(n_l + n_{l+1}) (0.168 for 784-100×5-10). */
export function meanGlorotBound(sizes: readonly number[]): number {
  let sum = 0;
  for (let l = 0; l + 1 < sizes.length; l++) sum += Math.sqrt(6) / Math.sqrt(sizes[l] + sizes[l + 1]);
  return sum / (sizes.length - 1);
}
