/**
 * `eqprop sweep`'s definition flags → a validated SweepDefinition. Pure (no store, no processes),
 * so the HTTP API checks a sweep body with the very function the CLI runs, before it starts a job.
 */
import { InputError } from '../../graph/errors.js';
import {
  checkBatches,
  datasetOf,
  parseDataSizes,
  parseEpochs,
  parseMode,
  parseTrainConfig,
  type TrainingFlags,
} from './flags.js';
import { readFileSync } from 'node:fs';
import { parseFamily } from '../../graph/family.js';
import { parseId, parseList, parseNumber, parseValues } from './parse.js';
import { SWEPT_MODES, type SweepDefinition, type SweptMode } from './sweep-plan.js';
import { checkDatasetShape } from './validate-run.js';

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

/** The families of a study: comma-separated keys, each parsed (errors name --families). */
function parseFamilies(raw: string): string[] {
  const keys = raw.split(',').map((k) => k.trim());
  for (const key of keys) parseFamily(key, '--families');
  if (new Set(keys).size !== keys.length)
    throw new InputError('cli', '--families', 'a family appears twice', 'distinct family keys');
  return keys;
}

/** Flags → a sweep definition (every check done before any store is opened). */
export function sweepDefinitionFromFlags(o: SweepDefinitionFlags): SweepDefinition {
  if (o.sizes === undefined) throw new InputError('cli', '--sizes', 'missing', 'layer sizes like 784,500,500,500,10');
  const architectures = o.sizes.split(';').map((one) => parseList('--sizes', one, { integer: true, min: 1 }));
  const sizes = architectures[0];
  const families = o.families === undefined ? undefined : parseFamilies(o.families);
  if (families && o.mode !== undefined)
    throw new InputError('cli', '--mode', 'given with --families', 'one of them (a family key names its mode)');
  const mode = families ? parseFamily(families[0]).mode : parseMode(o.mode, o);
  if (!(SWEPT_MODES as readonly string[]).includes(mode)) {
    throw new InputError(
      'cli',
      '--mode',
      `${mode} has nothing to sweep`,
      `one of ${SWEPT_MODES.join(', ')} (add --baseline for the layered net)`,
    );
  }
  if ((o.p === undefined) === (o.n === undefined)) {
    throw new InputError(
      'cli',
      '--p',
      o.p === undefined ? 'neither --p nor --n given' : 'both --p and --n given',
      'exactly one of --p <values> and --n <values> (a list a,b,c or a range start:end:step)',
    );
  }
  const parameter = o.p !== undefined ? 'p' : 'n';
  const values =
    parameter === 'p'
      ? parseValues('--p', o.p!, { min: 0, max: 1 })
      : parseValues('--n', o.n!, { integer: true, min: 0 });
  const seeds = parseValues('--seeds', o.seeds ?? '1', { integer: true, min: 0, max: 2 ** 32 - 1 });
  const data = parseDataSizes(o);
  const { seed: _seed, ...train } = parseTrainConfig(o, sizes.length - 1, 0);
  checkBatches(data, train.batchSize);
  for (const arch of architectures) {
    checkDatasetShape(arch, datasetOf(data));
    if (arch.length !== sizes.length) {
      throw new InputError(
        'cli',
        '--sizes',
        `architectures of ${sizes.length} and ${arch.length} layers`,
        'architectures of the same depth (the learning rates are per adjacent pair)',
      );
    }
  }
  const name = o.name === undefined ? null : parseId('--name', o.name);
  const samples =
    o.smallWorld === undefined ? 0 : parseNumber('--small-world', o.smallWorld, { integer: true, min: 0, max: 20 });
  const niter = parseNumber('--niter', o.niter ?? '1', { min: 0, minExclusive: true, max: 10 });
  return {
    name,
    sizes,
    mode: mode as SweptMode,
    parameter,
    values,
    seeds,
    baseline: Boolean(o.baseline),
    epochs: parseEpochs(o.epochs, 1),
    data,
    train,
    ...(families ? { families } : {}),
    ...(architectures.length > 1 ? { architectures } : {}),
    ...(samples > 0 ? { smallWorld: { samples, niter } } : {}),
  };
}

/**
 * `eqprop sweep --definition study.json`: a JSON object whose keys are the sweep's flags in
 * camelCase (`sizes`, `families`, `n`, `seeds`, `freeSteps`, …); numbers and lists as JSON
 * (`"sizes": [[784,100,10], [784,50,50,10]]` for several architectures). Flags typed on the
 * command line win. Returned as flag strings, so it is validated exactly like flags.
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
