/**
 * `eqprop sweep`'s definition flags → a validated SweepDefinition. Pure (no store, no processes),
 * so the HTTP API checks a sweep body with the very function the CLI runs, before it starts a job.
 */
import { InputError } from '../../graph/errors.js';
import { checkBatches, datasetOf, parseDataSizes, parseEpochs, parseMode, parseTrainConfig, type TrainingFlags } from './flags.js';
import { parseId, parseList, parseValues } from './parse.js';
import { SWEPT_MODES, type SweepDefinition, type SweptMode } from './sweep-plan.js';
import { checkDatasetShape } from './validate-run.js';

/** The flags that define a sweep (commander's values: strings, true for switches). */
export interface SweepDefinitionFlags extends TrainingFlags {
  sizes?: string;
  mode?: string;
  p?: string;
  n?: string;
  seeds?: string;
  baseline?: boolean;
  name?: string;
}

/** Flags → a sweep definition (every check done before any store is opened). */
export function sweepDefinitionFromFlags(o: SweepDefinitionFlags): SweepDefinition {
  if (o.sizes === undefined) throw new InputError('cli', '--sizes', 'missing', 'layer sizes like 784,500,500,500,10');
  const sizes = parseList('--sizes', o.sizes, { integer: true, min: 1 });
  const mode = parseMode(o.mode, o);
  if (!(SWEPT_MODES as readonly string[]).includes(mode)) {
    throw new InputError('cli', '--mode', `${mode} has nothing to sweep`,
      `one of ${SWEPT_MODES.join(', ')} (add --baseline for the layered net)`);
  }
  if ((o.p === undefined) === (o.n === undefined)) {
    throw new InputError('cli', '--p', o.p === undefined ? 'neither --p nor --n given' : 'both --p and --n given',
      'exactly one of --p <values> and --n <values> (a list a,b,c or a range start:end:step)');
  }
  const parameter = o.p !== undefined ? 'p' : 'n';
  const values = parameter === 'p'
    ? parseValues('--p', o.p!, { min: 0, max: 1 })
    : parseValues('--n', o.n!, { integer: true, min: 0 });
  const seeds = parseValues('--seeds', o.seeds ?? '1', { integer: true, min: 0, max: 2 ** 32 - 1 });
  const data = parseDataSizes(o);
  const { seed: _seed, ...train } = parseTrainConfig(o, sizes.length - 1, 0);
  checkBatches(data, train.batchSize);
  checkDatasetShape(sizes, datasetOf(data));
  const name = o.name === undefined ? null : parseId('--name', o.name);
  return {
    name, sizes, mode: mode as SweptMode, parameter, values, seeds, baseline: Boolean(o.baseline),
    epochs: parseEpochs(o.epochs, 1), data, train,
  };
}
