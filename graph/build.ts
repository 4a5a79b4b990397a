/**
 * buildTopology: validate the spec, build the connection set with the mode's builder, then put
 * it in canonical form — connections sorted by (src, dst), kind by layer span, initial weights
 * drawn in that order (SPEC §4: Glorot–Bengio for adjacent-layer connections, re-added ones
 * included; U[−0.05, 0.05] for intralayer and skip), biases 0.
 *
 * Randomness: Rng(seed) forks one stream for the structure and one for the weights, so the
 * same seed gives the same topology and weights on every machine.
 */
import { Rng } from './rng.js';
import { PAPER } from './paper.js';
import { makeLayout, kindCodeOfSpan, type Layout } from './layout.js';
import { validateSpec } from './spec.js';
import type { EdgeList, ResolvedSpec, Topology, TopologySpec } from './types.js';
import { EDGE_KIND_CODE } from './types.js';
import { buildLayeredEdges } from './builders/layered.js';
import { buildReplaceEdges } from './builders/replace.js';
import { buildAddEdges } from './builders/add.js';
import { buildPerConnectionEdges } from './builders/per-connection.js';
import { buildNoIntralayerEdges } from './builders/no-intralayer.js';
import type { WorkingEdges } from './builders/working-edges.js';
import { skipRuleOf } from './skip-rule.js';

function buildEdges(spec: ResolvedSpec, layout: Layout, rng: Rng): WorkingEdges {
  const rule = skipRuleOf(spec);
  switch (spec.mode) {
    case 'layered':
      return buildLayeredEdges(layout);
    case 'replace':
      return buildReplaceEdges(layout, spec.n, rng, rule);
    case 'add':
      return buildAddEdges(layout, spec.n, rng, rule);
    case 'per-connection':
      return buildPerConnectionEdges(layout, spec.p, rng, rule);
    case 'no-intralayer':
      return buildNoIntralayerEdges(layout, spec.p, rng, rule!);
  }
}

/** Glorot–Bengio bound √6 / √(n_a + n_b) for the adjacent pair (a, a+1). */
export function glorotBound(sizes: readonly number[], a: number): number {
  return Math.sqrt(6) / Math.sqrt(sizes[a] + sizes[a + 1]);
}

/**
 * Kind codes and initial weights of sorted pairs, drawn in edge order. Non-adjacent connections
 * start in U[−m, m]: the paper's 0.05, or the spec's skipBound (the no-intralayer family's a).
 */
export function initialEdgeList(
  layout: Layout,
  src: Int32Array,
  dst: Int32Array,
  rng: Rng,
  skipBound?: number,
): EdgeList {
  const count = src.length;
  const weight = new Float32Array(count);
  const kind = new Uint8Array(count);
  const bounds = layout.sizes.slice(0, -1).map((_, a) => glorotBound(layout.sizes, a));
  const m = skipBound ?? PAPER.nonAdjacentInitMagnitude;
  for (let e = 0; e < count; e++) {
    const a = layout.layerOf[src[e]];
    const code = kindCodeOfSpan(Math.abs(layout.layerOf[dst[e]] - a));
    kind[e] = code;
    const bound = code === EDGE_KIND_CODE.adjacent ? bounds[Math.min(a, layout.layerOf[dst[e]])] : m;
    weight[e] = rng.uniform(-bound, bound);
  }
  return { count, src, dst, weight, kind };
}

export function buildTopology(spec: TopologySpec): Topology {
  const resolved = validateSpec(spec);
  const layout = makeLayout(resolved.sizes);
  const root = new Rng(resolved.seed);
  const structureRng = root.fork();
  const weightRng = root.fork();
  const working = buildEdges(resolved, layout, structureRng);
  const { src, dst } = working.pairs.toSortedPairs(working.count);
  return {
    spec: resolved,
    sizes: [...layout.sizes],
    offsets: [...layout.offsets],
    N: layout.N,
    edges: initialEdgeList(layout, src, dst, weightRng, resolved.skipBound),
    biases: new Float32Array(layout.N),
  };
}
