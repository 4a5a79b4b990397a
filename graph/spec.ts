/**
 * The topology spec as a domain object: one zod schema (topologySpecSchema) that checks a spec,
 * documents it (the API's OpenAPI document is generated from it) and names the field that is
 * wrong by its path (`sizes[1]`, `p`, `spanMin`; `topology.p` when the spec sits under
 * `topology`), and p ↔ n resolution (validateSpec).
 *
 * Resolution rules:
 * - layered: n = p = 0 (n or p other than 0 is an error).
 * - replace / add: give n or p; n = the whole number nearest to what p asks, then
 *   p = 1 − ((N_o−1)/N_o)^n exactly (so 0.0756 on the paper net resolves to n = 99,933,
 *   p = 0.0756003…). Both may be given only when they agree (a ResolvedSpec validates as itself).
 *   n may not exceed the free pairs (allowed pairs − N_o): add would run out of pairs, and
 *   replace is then past any meaningful p.
 * - per-connection: p is the per-connection probability; n = p · N_o, the expected number of
 *   replaced connections (not rounded). Given n, p = n / N_o.
 * - no-intralayer: as per-connection, over the adjacent connections only (N_o = the layered
 *   net's count); skipBound (a) defaults to the mean per-layer Glorot bound and is always filled in.
 * - A skip restriction (spanMin, spanMax, targetLayer; graph/skip-rule.ts) is accepted by every
 *   random mode; n (or the expected n) may not exceed the pairs it allows.
 */
import { z } from 'zod';
import { joinText, ref, text, type MessageText } from '../lib/index.js';
import { TOPOLOGY_MODES, type ResolvedSpec, type TopologyMode, type TopologySpec } from './types.js';
import { adjacentCount, connectionsWithIntralayer, freePairCount } from './layout.js';
import { nToP, pToN } from './p-n.js';
import { isRestricted, meanGlorotBound, rulePairCount, skipRuleOf } from './skip-rule.js';
import { addProblem, parseInput, WHEN_FIELDS_VALID } from './schema.js';

const MODULE = 'topology';
/** Largest layer size accepted: Uint8 layer codes and Int32 indices stay far from their limits. */
export const MAX_LAYERS = 255;
/** The pair bitset has N² bits; 2^31 bits (256 MB) is far beyond any net this lab trains. */
const MAX_NEURONS = Math.floor(Math.sqrt(2 ** 31));

const SIZES_EXPECTED = 'at least 2 positive integers (the layer sizes, input first), e.g. 784, 500, 500, 500, 10';
const SPAN_EXPECTED = 'an integer ≥ 2 (how many layers apart), at most the number of layers − 1';

/**
 * The fields of a spec, each with its own check and description. Limits that depend on other
 * fields (the free pairs of the sizes, layer indices below the depth) are checked by
 * checkTopologySpec. A layer that reads specs with tighter limits (the API) replaces a field
 * and keeps the cross-field check.
 */
export const topologySpecFields = {
  sizes: z
    .array(
      z
        .int({ error: SIZES_EXPECTED })
        .min(1, { error: SIZES_EXPECTED })
        .max(2 ** 31, { error: SIZES_EXPECTED }),
      { error: SIZES_EXPECTED },
    )
    .min(2, { error: SIZES_EXPECTED })
    .max(MAX_LAYERS, { error: `at most ${MAX_LAYERS} layers` })
    .describe('Layer sizes, input first, e.g. [784, 500, 500, 500, 10].'),
  mode: z
    .enum(TOPOLOGY_MODES as [TopologyMode, ...TopologyMode[]], { error: `one of ${TOPOLOGY_MODES.join(', ')}` })
    .describe(
      "'layered' (adjacent and intralayer connections only), 'replace' (Algorithm 1: n connections moved to " +
        "layer-skipping pairs), 'add' (n layer-skipping connections added), 'per-connection' (each connection " +
        "replaced with probability p) or 'no-intralayer' (the journal's family: no intralayer connections)",
    ),
  n: z
    .number({ error: 'an integer ≥ 0 (the rewirings)' })
    .min(0, { error: 'an integer ≥ 0 (the rewirings)' })
    .optional()
    .describe('Rewirings (replace, add) or the expected number of replaced connections; not with p.'),
  p: z
    .number({ error: 'a number in [0, 1]' })
    .min(0, { error: 'a number in [0, 1]' })
    .max(1, { error: 'a number in [0, 1]' })
    .optional()
    .describe('Fraction of connections rewired (replace, add) or the per-connection probability; not with n.'),
  seed: z
    .int({ error: 'an integer in [0, 2^53)' })
    .min(0, { error: 'an integer in [0, 2^53)' })
    .describe('Seed of the graph: the same spec and seed is always the same graph.'),
  spanMin: z
    .int({ error: SPAN_EXPECTED })
    .min(2, { error: SPAN_EXPECTED })
    .optional()
    .describe('Skip restriction: new connections only between layers at least this many apart (≥ 2).'),
  spanMax: z
    .int({ error: SPAN_EXPECTED })
    .min(2, { error: SPAN_EXPECTED })
    .optional()
    .describe('Skip restriction: new connections only between layers at most this many apart.'),
  targetLayer: z
    .int({ error: 'a layer index ≥ 0' })
    .min(0, { error: 'a layer index ≥ 0' })
    .optional()
    .describe('Skip restriction: new connections must end in this layer (an index; the output is sizes.length − 1).'),
  skipBound: z
    .number({ error: 'a number in (0, 10]' })
    .gt(0, { error: 'a number in (0, 10]' })
    .max(10, { error: 'a number in (0, 10]' })
    .optional()
    .describe('no-intralayer: U[−a, a] of the layer-skipping weights (default: the mean per-layer Glorot bound).'),
};

/** A problem with a spec: the field (relative to the spec) and the texts. */
interface SpecProblem {
  problem: { path: string[]; problem: MessageText; expected: MessageText };
}

/** Modes whose p is a per-connection probability and n its expected count (not a whole number). */
const isPerConnection = (mode: unknown) => mode === 'per-connection' || mode === 'no-intralayer';

/** n and p agree as resolution itself would fill them in. */
function consistent(mode: unknown, n: number, p: number, No: number): boolean {
  if (mode === 'layered') return n === 0 && p === 0;
  if (isPerConnection(mode)) return Math.abs(n - p * No) <= 1e-9 * Math.max(1, No);
  return Math.abs(nToP(n, No) - p) <= 1e-12;
}

const fail = (field: string, problem: MessageText, expected: MessageText): SpecProblem => ({
  problem: { path: [field], problem, expected },
});

/**
 * Resolves a spec whose fields passed their own checks: the ResolvedSpec, or the first problem
 * (the one function behind both the schema's cross-field check and validateSpec).
 */
function resolve(spec: TopologySpec): ResolvedSpec | SpecProblem {
  const { sizes, mode, seed } = spec;
  const N = sizes.reduce((a, b) => a + b, 0);
  if (N > MAX_NEURONS) return fail('sizes', `${N} neurons in total`, `at most ${MAX_NEURONS} neurons`);
  const restriction = checkRestriction(spec);
  if ('problem' in restriction) return restriction;
  const skipBound = checkSkipBound(spec);
  if ('problem' in skipBound) return skipBound;
  const rule = skipRuleOf({ ...restriction, mode, sizes });
  const No = mode === 'no-intralayer' ? adjacentCount(sizes) : connectionsWithIntralayer(sizes);
  // Every pair a rule accepts joins layers ≥ 2 apart, so none is connected before the rewiring.
  const free = rule ? rulePairCount(sizes, rule) : freePairCount(sizes);
  const nRange = `an integer in [0, ${free}] (the free pairs of ${sizes.join('-')})`;
  let { n, p } = spec;
  if (n !== undefined && !Number.isInteger(n) && !(isPerConnection(mode) && p !== undefined))
    return fail('n', `${n} is not a non-negative integer`, nRange);
  if (n !== undefined && p !== undefined) {
    // A resolved spec (both filled in by resolution) is accepted again unchanged, so
    // validateSpec(validateSpec(x)) = validateSpec(x) and buildTopology takes a ResolvedSpec.
    if (!consistent(mode, n, p, No))
      return fail('n', text`both ${ref('n')} and ${ref('p')} given`, text`exactly one of ${ref('n')} and ${ref('p')}`);
    // keep the one that determines the build: p for per-connection, n otherwise
    if (isPerConnection(mode)) n = undefined;
    else p = undefined;
  }

  if (mode === 'layered') {
    if ((n ?? 0) !== 0)
      return fail(
        'n',
        `layered mode takes no rewirings (got ${n})`,
        text`0 or no ${ref('n')} for ${ref('mode')} layered`,
      );
    if ((p ?? 0) !== 0)
      return fail(
        'p',
        `layered mode takes no rewirings (got ${p})`,
        text`0 or no ${ref('p')} for ${ref('mode')} layered`,
      );
    return { sizes, mode, n: 0, p: 0, seed };
  }
  if (n === undefined && p === undefined)
    return fail(
      'n',
      text`${ref('mode')} ${mode} needs ${ref('n')} or ${ref('p')}`,
      text`exactly one of ${ref('n')} and ${ref('p')}`,
    );

  if (isPerConnection(mode)) {
    if (n !== undefined) {
      if (n > No)
        return fail(
          'n',
          `${n} is more than the ${No} connections`,
          text`an integer in [0, ${No}] for ${ref('mode')} ${mode}`,
        );
      p = No === 0 ? 0 : n / No;
    }
    if (p! > 0 && free === 0) return fail('p', `${sizes.join('-')} has no free pair to rewire to`, '0 for this net');
    if (rule && p! * No > free) {
      return fail(
        'p',
        `${p} rewires ${p! * No} connections on average but only ${free} pairs are allowed`,
        `a number in [0, ${(free / No).toPrecision(6)}]`,
      );
    }
    return { sizes, mode, n: p! * No, p: p!, seed, ...restriction, ...skipBound };
  }

  // replace / add
  if (p !== undefined) {
    n = pToN(p, No);
    if (n > free) {
      const pMax = nToP(free, No);
      return fail(
        'p',
        `${p} needs ${n} rewirings but ${sizes.join('-')} has only ${free} free pairs`,
        `a number in [0, ${pMax.toPrecision(6)}]`,
      );
    }
  }
  if (n! > free) return fail('n', `${n} is more than the free pairs`, nRange);
  // p is always recomputed from the whole number n, so a resolved spec is self-consistent.
  return { sizes, mode, n: n!, p: nToP(n!, No), seed, ...restriction };
}

function checkRestriction(spec: TopologySpec): Pick<TopologySpec, 'spanMin' | 'spanMax' | 'targetLayer'> | SpecProblem {
  if (!isRestricted(spec)) return {};
  const { sizes, mode } = spec;
  const K = sizes.length - 1;
  if (mode === 'layered')
    return fail(
      'mode',
      'layered mode adds no connections to restrict',
      joinText(
        'a random mode (replace, add, per-connection, no-intralayer) with ',
        text`${ref('spanMin')}, ${ref('spanMax')} or ${ref('targetLayer')}`,
      ),
    );
  for (const [field, min, what] of [
    ['spanMin', 2, 'a layer-skipping span'],
    ['spanMax', 2, 'a layer-skipping span'],
    ['targetLayer', 0, 'a layer index'],
  ] as const) {
    const value = spec[field];
    if (value !== undefined && value > K)
      return fail(field, `${value} is not ${what}`, `an integer in [${min}, ${K}] for ${sizes.length} layers`);
  }
  const { spanMin, spanMax, targetLayer } = spec;
  if (spanMin !== undefined && spanMax !== undefined && spanMin > spanMax)
    return fail(
      'spanMax',
      text`${spanMax} is less than ${ref('spanMin')} ${spanMin}`,
      `an integer in [${spanMin}, ${K}]`,
    );
  const rule = skipRuleOf({ spanMin, spanMax, targetLayer, mode: 'no-intralayer', sizes });
  if (rule && rulePairCount(sizes, rule) === 0) {
    return fail(
      'targetLayer',
      `no pair of ${sizes.join('-')} satisfies the restriction`,
      text`a target layer at least ${ref('spanMin')} layers from another layer`,
    );
  }
  return {
    ...(spanMin !== undefined ? { spanMin } : {}),
    ...(spanMax !== undefined ? { spanMax } : {}),
    ...(targetLayer !== undefined ? { targetLayer } : {}),
  };
}

/** U[−a, a] of no-intralayer skips: given (0 < a ≤ 10) or the mean per-layer Glorot bound. */
function checkSkipBound(spec: TopologySpec): { skipBound?: number } | SpecProblem {
  if (spec.mode !== 'no-intralayer') {
    if (spec.skipBound === undefined) return {};
    return fail(
      'skipBound',
      text`given for ${ref('mode')} ${spec.mode}`,
      text`no ${ref('skipBound')} (it sets the no-intralayer family's a), or ${ref('mode')} no-intralayer`,
    );
  }
  return { skipBound: spec.skipBound ?? meanGlorotBound(spec.sizes) };
}

/** The cross-field check of the schema: resolution must succeed (p or n within the free pairs, …). */
export function checkTopologySpec(spec: TopologySpec, ctx: z.RefinementCtx): void {
  const resolved = resolve(spec);
  if ('problem' in resolved)
    addProblem(ctx, resolved.problem.path, resolved.problem.problem, resolved.problem.expected);
}

/** The topology spec: its fields, then everything that depends on several of them. */
export const topologySpecSchema = z.object(topologySpecFields).superRefine(checkTopologySpec, WHEN_FIELDS_VALID);

/** Optional fields given as null (JSON from older writers) count as left out. */
function withoutNulls(spec: unknown): unknown {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return spec;
  return Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== null));
}

/** Validates a spec and fills in n and p (and a no-intralayer spec's skipBound); errors name the spec's fields. */
export function validateSpec(spec: TopologySpec): ResolvedSpec {
  const parsed = parseInput(topologySpecSchema, withoutNulls(spec), MODULE, 'spec') as TopologySpec;
  const resolved = resolve(parsed);
  if ('problem' in resolved) throw new Error('eqprop/topology: a spec passed its schema but did not resolve');
  return resolved;
}

/**
 * A spec's n and p reduced to the one that determines the build (p for per-connection and
 * no-intralayer, n otherwise, neither for layered), as buildableSpec does; anything that is not a
 * spec passes unchanged. A stored ResolvedSpec is checked this way: by what builds it.
 */
export function reducedSpec(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const { n, p, ...rest } = value as Record<string, unknown>;
  const mode = rest.mode;
  if (mode === 'layered') return rest;
  if (mode === 'per-connection' || mode === 'no-intralayer') return p === undefined ? { ...rest, n } : { ...rest, p };
  if (mode === 'replace' || mode === 'add') return n === undefined ? { ...rest, p } : { ...rest, n };
  return value;
}

/** The topology spec of a resolved spec as a run configuration stores it: checked by what builds it. */
export const resolvedSpecSchema = z.preprocess(reducedSpec, topologySpecSchema);

/** A resolved spec (n and p both filled in) as the builder takes it: exactly the amount that defines the graph. */
export function buildableSpec(spec: ResolvedSpec): TopologySpec {
  const { sizes, mode, seed, spanMin, spanMax, targetLayer, skipBound } = spec;
  if (mode === 'layered') return { sizes, mode, seed };
  const extra = Object.fromEntries(
    Object.entries({ spanMin, spanMax, targetLayer, skipBound }).filter(([, v]) => v !== undefined),
  );
  const perConnection = mode === 'per-connection' || mode === 'no-intralayer';
  return perConnection ? { sizes, mode, seed, p: spec.p, ...extra } : { sizes, mode, seed, n: spec.n, ...extra };
}
