/**
 * Validation of a TopologySpec and p ↔ n resolution. Errors name the fields exactly like the
 * CLI flags (`--sizes`, `--mode`, `--n`, `--p`, `--seed`) so the CLI and the API report the same
 * thing.
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
import { InputError } from './errors.js';
import { TOPOLOGY_MODES, type ResolvedSpec, type TopologySpec } from './types.js';
import { adjacentCount, connectionsWithIntralayer, freePairCount } from './layout.js';
import { nToP, pToN } from './p-n.js';
import { isRestricted, meanGlorotBound, rulePairCount, skipRuleOf } from './skip-rule.js';

const MODULE = 'topology';
/** Largest layer size accepted: Uint8 layer codes and Int32 indices stay far from their limits. */
export const MAX_LAYERS = 255;

function checkSizes(sizes: unknown): number[] {
  const expected = 'at least 2 comma-separated positive integers, e.g. 784,500,500,500,10';
  if (!Array.isArray(sizes))
    throw new InputError(MODULE, '--sizes', `${JSON.stringify(sizes)} is not a list of layer sizes`, expected);
  if (sizes.length < 2) throw new InputError(MODULE, '--sizes', `${sizes.length} layer(s) given`, expected);
  if (sizes.length > MAX_LAYERS)
    throw new InputError(MODULE, '--sizes', `${sizes.length} layers given`, `at most ${MAX_LAYERS} layers`);
  for (const s of sizes) {
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 1) {
      throw new InputError(MODULE, '--sizes', `layer size ${JSON.stringify(s)} is not a positive integer`, expected);
    }
  }
  const N = (sizes as number[]).reduce((a, b) => a + b, 0);
  // The pair bitset has N² bits; 2^31 bits (256 MB) is far beyond any net this lab trains.
  if (N * N > 2 ** 31)
    throw new InputError(
      MODULE,
      '--sizes',
      `${N} neurons in total`,
      `at most ${Math.floor(Math.sqrt(2 ** 31))} neurons`,
    );
  return [...(sizes as number[])];
}

function optionalNumber(value: unknown, field: string, expected: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new InputError(MODULE, field, `${JSON.stringify(value)} is not a number`, expected);
  return value;
}

/** Modes whose p is a per-connection probability and n its expected count (not a whole number). */
const isPerConnection = (mode: unknown) => mode === 'per-connection' || mode === 'no-intralayer';

/** n and p agree as validateSpec itself would fill them in. */
function consistent(mode: unknown, n: number, p: number, No: number): boolean {
  if (mode === 'layered') return n === 0 && p === 0;
  if (isPerConnection(mode)) return Math.abs(n - p * No) <= 1e-9 * Math.max(1, No);
  return Math.abs(nToP(n, No) - p) <= 1e-12;
}

export function validateSpec(spec: TopologySpec): ResolvedSpec {
  if (typeof spec !== 'object' || spec === null)
    throw new InputError(MODULE, 'spec', 'not an object', 'an object with sizes, mode, seed and n or p');
  const sizes = checkSizes(spec.sizes);
  const mode = spec.mode;
  if (!(TOPOLOGY_MODES as readonly unknown[]).includes(mode)) {
    throw new InputError(
      MODULE,
      '--mode',
      `unknown mode ${JSON.stringify(mode)}`,
      `one of ${TOPOLOGY_MODES.join(', ')}`,
    );
  }
  const seed = spec.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new InputError(
      MODULE,
      '--seed',
      `${JSON.stringify(seed)} is not a non-negative integer`,
      'an integer in [0, 2^53)',
    );
  }
  const restriction = checkRestriction(spec, sizes, mode);
  const skipBound = checkSkipBound(spec.skipBound, sizes, mode);
  const rule = skipRuleOf({ ...restriction, mode, sizes });
  const No = mode === 'no-intralayer' ? adjacentCount(sizes) : connectionsWithIntralayer(sizes);
  // Every pair a rule accepts joins layers ≥ 2 apart, so none is connected before the rewiring.
  const free = rule ? rulePairCount(sizes, rule) : freePairCount(sizes);
  const nRange = `an integer in [0, ${free}] (the free pairs of ${sizes.join('-')})`;
  let n = optionalNumber(spec.n, '--n', nRange);
  let p = optionalNumber(spec.p, '--p', 'a number in [0, 1]');
  if (n !== undefined && (n < 0 || (!Number.isInteger(n) && !(isPerConnection(mode) && p !== undefined))))
    throw new InputError(MODULE, '--n', `${n} is not a non-negative integer`, nRange);
  if (p !== undefined && !(p >= 0 && p <= 1))
    throw new InputError(MODULE, '--p', `${p} is outside [0, 1]`, 'a number in [0, 1]');
  if (n !== undefined && p !== undefined) {
    // A resolved spec (both filled in by this function) is accepted again unchanged, so
    // validateSpec(validateSpec(x)) = validateSpec(x) and buildTopology takes a ResolvedSpec.
    if (!consistent(mode, n, p, No))
      throw new InputError(MODULE, '--n', 'both --n and --p given', 'exactly one of --n and --p');
    // keep the one that determines the build: p for per-connection, n otherwise
    if (isPerConnection(mode)) n = undefined;
    else p = undefined;
  }

  if (mode === 'layered') {
    if ((n ?? 0) !== 0)
      throw new InputError(
        MODULE,
        '--n',
        `layered mode takes no rewirings (got ${n})`,
        '0 or no --n for --mode layered',
      );
    if ((p ?? 0) !== 0)
      throw new InputError(
        MODULE,
        '--p',
        `layered mode takes no rewirings (got ${p})`,
        '0 or no --p for --mode layered',
      );
    return { sizes, mode, n: 0, p: 0, seed };
  }
  if (n === undefined && p === undefined)
    throw new InputError(MODULE, '--n', `--mode ${mode} needs --n or --p`, 'exactly one of --n and --p');

  if (isPerConnection(mode)) {
    if (n !== undefined) {
      if (n > No)
        throw new InputError(
          MODULE,
          '--n',
          `${n} is more than the ${No} connections`,
          `an integer in [0, ${No}] for --mode ${mode}`,
        );
      p = No === 0 ? 0 : n / No;
    }
    if (p! > 0 && free === 0)
      throw new InputError(MODULE, '--p', `${sizes.join('-')} has no free pair to rewire to`, '0 for this net');
    if (rule && p! * No > free) {
      throw new InputError(
        MODULE,
        '--p',
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
      throw new InputError(
        MODULE,
        '--p',
        `${p} needs ${n} rewirings but ${sizes.join('-')} has only ${free} free pairs`,
        `a number in [0, ${pMax.toPrecision(6)}]`,
      );
    }
  }
  if (n! > free) throw new InputError(MODULE, '--n', `${n} is more than the free pairs`, nRange);
  // p is always recomputed from the whole number n, so a resolved spec is self-consistent.
  return { sizes, mode, n: n!, p: nToP(n!, No), seed, ...restriction };
}

function checkRestriction(
  spec: TopologySpec,
  sizes: number[],
  mode: unknown,
): Pick<TopologySpec, 'spanMin' | 'spanMax' | 'targetLayer'> {
  if (!isRestricted(spec)) return {};
  const K = sizes.length - 1;
  if (mode === 'layered')
    throw new InputError(
      MODULE,
      '--mode',
      'layered mode adds no connections to restrict',
      'a random mode (replace, add, per-connection, no-intralayer) with --span-min, --span-max or --skip-target',
    );
  const layerIndex = (value: unknown, field: string, min: number, what: string): number | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > K) {
      throw new InputError(
        MODULE,
        field,
        `${JSON.stringify(value)} is not ${what}`,
        `an integer in [${min}, ${K}] for ${sizes.length} layers`,
      );
    }
    return value;
  };
  const spanMin = layerIndex(spec.spanMin, '--span-min', 2, 'a layer-skipping span');
  const spanMax = layerIndex(spec.spanMax, '--span-max', 2, 'a layer-skipping span');
  const targetLayer = layerIndex(spec.targetLayer, '--skip-target', 0, 'a layer index');
  if (spanMin !== undefined && spanMax !== undefined && spanMin > spanMax) {
    throw new InputError(
      MODULE,
      '--span-max',
      `${spanMax} is less than --span-min ${spanMin}`,
      `an integer in [${spanMin}, ${K}]`,
    );
  }
  const rule = skipRuleOf({ spanMin, spanMax, targetLayer, mode: 'no-intralayer', sizes });
  if (rule && rulePairCount(sizes, rule) === 0) {
    throw new InputError(
      MODULE,
      '--skip-target',
      `no pair of ${sizes.join('-')} satisfies the restriction`,
      'a target layer at least --span-min layers from another layer',
    );
  }
  return {
    ...(spanMin !== undefined ? { spanMin } : {}),
    ...(spanMax !== undefined ? { spanMax } : {}),
    ...(targetLayer !== undefined ? { targetLayer } : {}),
  };
}

/** U[−a, a] of no-intralayer skips: given (0 < a ≤ 10) or the mean per-layer Glorot bound. */
function checkSkipBound(value: unknown, sizes: number[], mode: unknown): { skipBound?: number } {
  if (mode !== 'no-intralayer') {
    if (value === undefined || value === null) return {};
    throw new InputError(
      MODULE,
      '--skip-bound',
      `given for --mode ${String(mode)}`,
      "no --skip-bound (it sets the no-intralayer family's a), or --mode no-intralayer",
    );
  }
  if (value === undefined || value === null) return { skipBound: meanGlorotBound(sizes) };
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 10) {
    throw new InputError(
      MODULE,
      '--skip-bound',
      `${JSON.stringify(value)} is not in (0, 10]`,
      'a number in (0, 10] (U[−a, a] of the layer-skipping weights)',
    );
  }
  return { skipBound: value };
}
