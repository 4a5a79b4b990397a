/**
 * Diabetes (442 examples, 10 features, a real-valued target: regression) and Wine (178 examples,
 * 13 features, 3 classes), the scikit-learn distributions of these public sets, prepared as the
 * journal version did: features (and Diabetes' target) min–max scaled to [0, 1] over the whole
 * set, the examples shuffled once with TABULAR_SHUFFLE_SEED, then the first `trainMax` train and
 * the next `testMax` test (Diabetes 400 / 40, Wine 150 / 25; the rest is unused).
 *
 * The CSVs ship in datasets/sklearn/ (PROVENANCE.md, LICENSE); EQPROP_SKLEARN_DATA may name another
 * folder with the same files (e.g. Debian's python3-sklearn data folder).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../../lib/index.js';
import type { Dataset, MnistSplits } from '../mnist.js';
import { checkCount } from '../mnist.js';
import { shuffledIndices } from '../shuffle.js';
import { minMaxScaleColumns } from './tabular.js';

/** The seed of the one shuffle of each tabular set (the engine's Rng; engine/shuffle.ts). */
export const TABULAR_SHUFFLE_SEED = 1;

export interface TabularSet {
  name: 'diabetes' | 'wine';
  examples: number;
  features: number;
  /** 'regression': one real target; else the number of classes. */
  classes: number | 'regression';
  trainMax: number;
  testMax: number;
}

export const DIABETES: TabularSet = {
  name: 'diabetes',
  examples: 442,
  features: 10,
  classes: 'regression',
  trainMax: 400,
  testMax: 40,
};
export const WINE: TabularSet = { name: 'wine', examples: 178, features: 13, classes: 3, trainMax: 150, testMax: 25 };

const MISSING =
  'the scikit-learn CSVs shipped in datasets/sklearn/ (or EQPROP_SKLEARN_DATA naming a folder with ' +
  'diabetes_data_raw.csv.gz, diabetes_target.csv.gz and wine_data.csv, e.g. ' +
  '/usr/lib/python3/dist-packages/sklearn/datasets/data)';

/** The folder with the CSVs: EQPROP_SKLEARN_DATA, else datasets/sklearn above this file (src or dist). */
export function defaultSklearnDir(): string {
  if (process.env.EQPROP_SKLEARN_DATA) return process.env.EQPROP_SKLEARN_DATA;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'datasets', 'sklearn'))) return join(dir, 'datasets', 'sklearn');
    const up = dirname(dir);
    if (up === dir) return join('datasets', 'sklearn');
    dir = up;
  }
}

function readText(dir: string, file: string): string {
  const path = join(dir, file);
  try {
    const bytes = readFileSync(path);
    return (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new InputError('engine/datasets', file, `cannot read ${path} (${code})`, MISSING);
  }
}

/** Rows of numbers split by `separator` (blank lines skipped); every row must have `width` finite values. */
export function parseNumberRows(text: string, separator: RegExp, width: number, file: string): number[][] {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.map((line, i) => {
    const values = line.split(separator).map(Number);
    if (values.length !== width || !values.every(Number.isFinite)) {
      throw new InputError(
        'engine/datasets',
        file,
        `line ${i + 1} is ${JSON.stringify(line.slice(0, 80))}`,
        `${width} numbers per line`,
      );
    }
    return values;
  });
}

function checkRows(set: TabularSet, file: string, rows: unknown[]): void {
  if (rows.length !== set.examples) {
    throw new InputError('engine/datasets', file, `${rows.length} rows`, `${set.examples} (the ${set.name} set)`);
  }
}

/** Diabetes: raw features and targets, each row the features then the target, unscaled. */
function diabetesTable(dir: string): number[][] {
  const features = parseNumberRows(
    readText(dir, 'diabetes_data_raw.csv.gz'),
    /\s+/,
    DIABETES.features,
    'diabetes_data_raw.csv.gz',
  );
  const targets = parseNumberRows(readText(dir, 'diabetes_target.csv.gz'), /\s+/, 1, 'diabetes_target.csv.gz');
  checkRows(DIABETES, 'diabetes_data_raw.csv.gz', features);
  checkRows(DIABETES, 'diabetes_target.csv.gz', targets);
  return features.map((row, i) => [...row, targets[i][0]]);
}

/** Wine: a header line "178,13,class_0,…", then 13 features and the class per row. */
function wineTable(dir: string): number[][] {
  const [header, ...body] = readText(dir, 'wine_data.csv').split('\n');
  if (!header?.startsWith(`${WINE.examples},${WINE.features},`)) {
    throw new InputError(
      'engine/datasets',
      'wine_data.csv',
      `header ${JSON.stringify(header?.slice(0, 80))}`,
      `"${WINE.examples},${WINE.features},class_0,class_1,class_2"`,
    );
  }
  const rows = parseNumberRows(body.join('\n'), /,/, WINE.features + 1, 'wine_data.csv');
  checkRows(WINE, 'wine_data.csv', rows);
  rows.forEach((r, i) => {
    const c = r[WINE.features];
    if (!(Number.isInteger(c) && c >= 0 && c < (WINE.classes as number))) {
      throw new InputError('engine/datasets', 'wine_data.csv', `class ${c} on row ${i + 1}`, 'a class 0, 1 or 2');
    }
  });
  return rows;
}

/** Rows `from` … `from + count` of the shuffled, scaled table as a Dataset. */
function rowsAsDataset(
  set: TabularSet,
  scaled: number[][],
  raw: number[][],
  order: number[],
  from: number,
  count: number,
): Dataset {
  const dims = set.features;
  const images = new Float32Array(count * dims);
  const labels = new Uint8Array(count);
  const targets = set.classes === 'regression' ? new Float32Array(count) : undefined;
  for (let k = 0; k < count; k++) {
    const row = order[from + k];
    for (let f = 0; f < dims; f++) images[k * dims + f] = scaled[row][f];
    if (targets) targets[k] = scaled[row][dims];
    else labels[k] = raw[row][dims];
  }
  return { count, dims, images, labels, ...(targets ? { targets } : {}) };
}

export interface TabularOptions {
  /** How many of the training examples (default all: Diabetes 400, Wine 150). */
  train?: number;
  /** How many of the test examples evaluate every epoch (default all: Diabetes 40, Wine 25). */
  eval?: number;
  /** Folder with the CSVs (default defaultSklearnDir()). */
  dir?: string;
}

/** Diabetes or Wine as train (the first `train` of the training part) and eval (of the test part). */
export function loadTabular(set: TabularSet, o: TabularOptions = {}): MnistSplits {
  const train = checkCount('train', o.train, set.trainMax);
  const evalCount = checkCount('eval', o.eval, set.testMax);
  const dir = o.dir ?? defaultSklearnDir();
  const raw = set.name === 'diabetes' ? diabetesTable(dir) : wineTable(dir);
  // Wine's class column is not a feature: scale the features (and Diabetes' target) only.
  const scaled =
    set.classes === 'regression'
      ? minMaxScaleColumns(raw)
      : minMaxScaleColumns(raw.map((r) => r.slice(0, set.features)));
  const order = shuffledIndices(set.examples, TABULAR_SHUFFLE_SEED);
  return {
    train: rowsAsDataset(set, scaled, raw, order, 0, train),
    eval: rowsAsDataset(set, scaled, raw, order, set.trainMax, evalCount),
  };
}
