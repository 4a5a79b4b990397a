/**
 * The CLI's vocabulary: flags. Below the CLI, errors name field paths (`topology.p`, `train`,
 * `sqlitePath`); each command has a table of its flags and the field each one sets, and shows a
 * field error to its users under the flag's name (`--p`, `--train`, `--db / EQPROP_DB`), the
 * fields its message mentions too. The tables are the only place that knows which flag is which
 * field.
 */
import { InputError, nameFromTable } from '../lib/index.js';

/** One row per flag: the flag and the field path it sets (a flag may set more than one field). */
export type FlagTable = readonly (readonly [flag: string, field: string])[];

/** The flag of a field (or of the closest field containing it), by a table. */
export function flagNamer(table: FlagTable): (field: string) => string | undefined {
  const byField = new Map<string, string>();
  for (const [flag, field] of table) if (!byField.has(field)) byField.set(field, flag);
  return nameFromTable(byField);
}

/** An error (any InputError) with its field and the fields it mentions named as flags. */
export function withFlags(e: unknown, table: FlagTable | ((field: string) => string | undefined)): unknown {
  if (!(e instanceof InputError)) return e;
  return e.renamed(typeof table === 'function' ? table : flagNamer(table));
}

/** Runs fn; an InputError it throws names the flags of `table` instead of fields. */
export function namingFlags<T>(table: FlagTable, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw withFlags(e, table);
  }
}

/** namingFlags for asynchronous work (a stored topology is read from the store). */
export async function namingFlagsAsync<T>(table: FlagTable, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw withFlags(e, table);
  }
}

/**
 * Settings every command shares (flag, environment variable or config file, src/config.ts): the
 * stores and the queue name them by their setting, the CLI by how its users set them.
 */
export const SETTING_FLAGS: FlagTable = [
  ['--db / EQPROP_DB', 'sqlitePath'],
  ['--checkpoint-dir / EQPROP_CHECKPOINT_DIR', 'checkpointDir'],
  ['--store / EQPROP_STORE', 'store'],
  ['--redis', 'redisUrl'],
  ['--pool', 'pool'],
  ['--host / EQPROP_HOST', 'host'],
  ['--port / EQPROP_PORT', 'port'],
  ['--token / EQPROP_TOKEN', 'token'],
  ['--config / EQPROP_CONFIG', 'configFile'],
];

/**
 * The training flags `train` and `sweep` share → fields of the run and sweep settings
 * (src/experiments/plan/run-settings.ts).
 */
export const TRAINING_FLAGS: FlagTable = [
  ['--dataset', 'dataset'],
  ['--train', 'train'],
  ['--eval', 'eval'],
  ['--test', 'test'],
  ['--shuffle-batches', 'shuffleBatches'],
  ['--epochs', 'epochs'],
  ['--lr', 'rate'],
  ['--per-layer', 'rates'],
  ['--rates-as', 'ratesAs'],
  ['--epsilon', 'epsilon'],
  ['--beta', 'beta'],
  ['--fixed-beta-sign', 'fixedBetaSign'],
  ['--nudging', 'nudging'],
  ['--target-feedback', 'targetFeedback'],
  ['--remove-skips-after', 'removeSkipsAfter'],
  ['--remove-intralayer', 'removeIntralayer'],
  ['--extra-init', 'extraInit'],
  ['--free-steps', 'freeSteps'],
  ['--adaptive', 'adaptive'],
  ['--clamped-steps', 'clampedSteps'],
  ['--batch-size', 'batchSize'],
  ['--rate-every', 'rateEvery'],
  ['--checkpoint-every', 'checkpointEvery'],
  ['--backend', 'backend'],
];

/** The spec flags of `topology build` → fields of the topology spec (graph/spec.ts). */
export const SPEC_FLAGS: FlagTable = [
  ['--sizes', 'sizes'],
  ['--mode', 'mode'],
  ['--n', 'n'],
  ['--p', 'p'],
  ['--seed', 'seed'],
  ['--span-min', 'spanMin'],
  ['--span-max', 'spanMax'],
  ['--skip-target', 'targetLayer'],
  ['--skip-bound', 'skipBound'],
];

/** `eqprop train`'s flags → fields of the run settings; the inline topology is `topology`. */
export const TRAIN_FLAGS: FlagTable = [
  ['--topology', 'topologyId'],
  ['--sizes', 'topology'],
  ...SPEC_FLAGS.map(([flag, field]) =>
    field === 'seed' ? (['--topology-seed', 'topology.seed'] as const) : ([flag, `topology.${field}`] as const),
  ),
  ['--seed', 'seed'],
  ['--run-id', 'runId'],
  ['--sweep', 'sweepId'],
  ...TRAINING_FLAGS,
];

/** `eqprop sweep`'s flags → fields of the sweep settings (src/experiments/plan/sweep-settings.ts). */
export const SWEEP_FLAGS: FlagTable = [
  ['--name', 'name'],
  ['--sizes', 'sizes'],
  ['--mode', 'mode'],
  ['--families', 'families'],
  ['--p', 'p'],
  ['--n', 'n'],
  ['--seeds', 'seeds'],
  ['--baseline', 'baseline'],
  ['--small-world', 'smallWorld'],
  ['--niter', 'niter'],
  ...TRAINING_FLAGS,
];

/**
 * `eqprop train --request <json>`: a field of the request that a flag of `train` sets to the same
 * value is shown as that flag (so a request is refused in the words of the flags that would have
 * written it); the envelope (not an object, the format) as --request; anything else by its path
 * inside the request (`--request config.train.learningRates`).
 */
const REQUEST_FLAGS: FlagTable = [
  ['--epochs', 'config.epochs'],
  ['--dataset', 'config.data.dataset'],
  ['--train', 'config.data.train'],
  ['--eval', 'config.data.eval'],
  ['--test', 'config.data.test'],
  ['--backend', 'config.backend'],
  ['--epsilon', 'config.train.epsilon'],
  ['--beta', 'config.train.beta'],
  ['--free-steps', 'config.train.freeSteps'],
  ['--clamped-steps', 'config.train.clampedSteps'],
  ['--batch-size', 'config.train.batchSize'],
  ['--seed', 'config.train.seed'],
  ['--rate-every', 'config.train.rateEvery'],
  ['--checkpoint-every', 'config.train.checkpointEvery'],
];
const REQUEST_ENVELOPE = new Set(['request', 'config', 'config.format']);

/** The name of a field of a `--request` JSON (see REQUEST_FLAGS). */
export function requestFlagOf(field: string): string {
  if (REQUEST_ENVELOPE.has(field)) return '--request';
  return flagNamer(REQUEST_FLAGS)(field) ?? `--request ${field}`;
}
