/**
 * `eqprop sweep`'s definition flags → the sweep settings (src/experiments/plan/sweep-settings.ts) → a
 * validated SweepDefinition, every error under its flag's name (cli/flag-names.ts). The
 * settings' schema is the one the HTTP API checks a sweep body with, so both refuse the same.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../lib/index.js';
import { parseSweepSettings, sweepDefinitionOf, type SweepSettings } from '../src/experiments/index.js';
import type { SweepDefinition } from '../src/experiments/index.js';
import { namingFlags, SWEEP_FLAGS, withFlags } from './flag-names.js';
import { parseNumber, parseValues } from './parse.js';
import { defaultMode, parseSizes, trainingSettingsOfFlags, type TrainingFlags } from './run-flags.js';

/** The flags that define a sweep (commander's values: strings, true for switches). */
export interface SweepDefinitionFlags extends TrainingFlags {
  /** One architecture `784,100,10`, or several separated by `;` (a study). */
  sizes?: string;
  mode?: string;
  p?: string;
  n?: string;
  seeds?: string;
  baseline?: boolean;
  name?: string;
  /** Topology families (graph/family.ts keys), comma-separated: a study. */
  families?: string;
  /** σ/ω reference graphs per topology, measured before training. */
  smallWorld?: string;
  niter?: string;
}

/** The flags as sweep settings (their syntax read: lists, ranges start:end:step, switches). */
export function sweepSettingsOfFlags(o: SweepDefinitionFlags): Record<string, unknown> {
  if (o.sizes === undefined) throw new InputError('cli', '--sizes', 'missing', 'layer sizes like 784,500,500,500,10');
  const architectures = o.sizes.split(';').map((one) => parseSizes('--sizes', one));
  const families = o.families?.split(',').map((k) => k.trim());
  const fields: Record<string, unknown> = {
    ...(o.name !== undefined ? { name: o.name } : {}),
    sizes: architectures.length === 1 ? architectures[0] : architectures,
    ...(families ? { families } : { mode: o.mode ?? defaultMode(o) }),
    ...(families && o.mode !== undefined ? { mode: o.mode } : {}),
    ...(o.p !== undefined ? { p: parseValues('--p', o.p) } : {}),
    ...(o.n !== undefined ? { n: parseValues('--n', o.n, { integer: true }) } : {}),
    ...(o.seeds !== undefined ? { seeds: parseValues('--seeds', o.seeds, { integer: true }) } : {}),
    ...(o.baseline ? { baseline: true } : {}),
    ...(o.smallWorld !== undefined ? { smallWorld: parseNumber('--small-world', o.smallWorld) } : {}),
    ...(o.niter !== undefined ? { niter: parseNumber('--niter', o.niter) } : {}),
    ...trainingSettingsOfFlags(o),
  };
  return fields;
}

/** Flags → checked sweep settings (every check done before any store is opened). */
export function sweepSettingsFromFlags(o: SweepDefinitionFlags): SweepSettings {
  return namingFlags(SWEEP_FLAGS, () => parseSweepSettings(sweepSettingsOfFlags(o)));
}

/** Flags → a sweep definition (every check done before any store is opened). */
export function sweepDefinitionFromFlags(o: SweepDefinitionFlags): SweepDefinition {
  return namingFlags(SWEEP_FLAGS, () => sweepDefinitionOf(parseSweepSettings(sweepSettingsOfFlags(o))));
}

/**
 * `eqprop sweep --request <json>`: the sweep settings as JSON (what the HTTP API hands its sweep
 * jobs: the body it checked, not flags) → the definition and the sweep's own backend, if it names
 * one. Errors name the field inside the request (`--request p`).
 */
export function sweepFromJson(raw: string): { definition: SweepDefinition; backend: SweepSettings['backend'] } {
  const expected = 'a JSON object of sweep settings, e.g. {"sizes": [784, 100, 10], "mode": "replace", "p": [0, 0.1]}';
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    throw new InputError('cli', '--request', `not valid JSON (${(e as Error).message})`, expected);
  }
  try {
    const settings = parseSweepSettings(value);
    return { definition: sweepDefinitionOf(settings), backend: settings.backend };
  } catch (e) {
    throw withFlags(e, (field) => (field === 'settings' ? '--request' : `--request ${field}`));
  }
}

/**
 * `eqprop sweep --definition study.json`: a JSON object whose keys are the sweep's flags in
 * camelCase (`sizes`, `families`, `n`, `seeds`, `freeSteps`, …); numbers and lists as JSON
 * (`"sizes": [[784,100,10], [784,50,50,10]]` for several architectures). Flags typed on the
 * command line win. Returned as flag strings, so it is read exactly like flags.
 */
export function flagsOfDefinitionFile(path: string, known: readonly string[]): SweepDefinitionFlags {
  const expected =
    'a JSON object of sweep flags in camelCase, e.g. {"sizes": [784,100,10], "families": ["replace"], "n": ' +
    '[100], "seeds": [1,2,3]}';
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError('cli', '--definition', `${path}: ${(e as Error).message}`, expected);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new InputError('cli', '--definition', `${path} is not a JSON object`, expected);
  const out: Record<string, string | boolean> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!known.includes(key))
      throw new InputError(
        'cli',
        '--definition',
        `${path}: unknown key ${JSON.stringify(key)}`,
        `keys among ${known.join(', ')}`,
      );
    if (typeof v === 'boolean') out[key] = v;
    else if (typeof v === 'number' || typeof v === 'string') out[key] = String(v);
    else if (Array.isArray(v))
      out[key] = v.map((x) => (Array.isArray(x) ? x.join(',') : String(x))).join(Array.isArray(v[0]) ? ';' : ',');
    else
      throw new InputError(
        'cli',
        '--definition',
        `${path}: ${key} is neither a number, a string, a boolean nor a list`,
        expected,
      );
  }
  return out as SweepDefinitionFlags;
}
