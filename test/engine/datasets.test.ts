/**
 * The journal version's datasets from their real files: Diabetes and Wine (the shipped scikit-learn
 * CSVs) against their raw rows — min–max scaling over the whole set, the seeded shuffle, the split —
 * MNIST's official split, and Fashion-MNIST from Debian's dataset-fashion-mnist (skipped outside CI
 * when the package is missing, saying why; a failure under CI=true).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  DATASETS,
  defaultFashionMnistDir,
  defaultMnistDir,
  defaultSklearnDir,
  DIABETES,
  loadDataset,
  loadTabular,
  TABULAR_SHUFFLE_SEED,
  WINE,
} from '../../engine/index.js';
import { shuffledIndices } from '../../engine/shuffle.js';
import { InputError } from '../../lib/errors.js';

const sklearn = defaultSklearnDir();
const numbers = (line: string, sep: RegExp) => line.trim().split(sep).map(Number);
const gunzipLines = (file: string) =>
  gunzipSync(readFileSync(join(sklearn, file)))
    .toString()
    .trim()
    .split('\n');

/** Per column: (v − min) / (max − min) over all rows, in float64. */
function scaledColumn(rows: number[][], c: number): number[] {
  const column = rows.map((r) => r[c]);
  const min = Math.min(...column),
    max = Math.max(...column);
  return column.map((v) => (v - min) / (max - min));
}

describe('Diabetes (regression)', () => {
  const features = gunzipLines('diabetes_data_raw.csv.gz').map((l) => numbers(l, /\s+/));
  const targets = gunzipLines('diabetes_target.csv.gz').map((l) => Number(l));
  const splits = loadTabular(DIABETES);

  it('the raw file is the scikit-learn set: 442 rows of 10 features, the first row known', () => {
    assert.equal(features.length, 442);
    assert.deepEqual(features[0], [59, 2, 32.1, 101, 157, 93.2, 38, 4, 4.8598, 87]);
    assert.equal(targets[0], 151);
    assert.equal(Math.min(...targets), 25);
    assert.equal(Math.max(...targets), 346);
  });

  it('400 train / the next 40 test, shuffled once with the documented seed, scaled to [0, 1] over all 442', () => {
    assert.equal(splits.train.count, 400);
    assert.equal(splits.eval.count, 40);
    assert.equal(splits.train.dims, 10);
    const order = shuffledIndices(442, TABULAR_SHUFFLE_SEED);
    assert.notDeepEqual(order.slice(0, 10), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'the examples are shuffled');
    const columns = Array.from({ length: 10 }, (_, c) => scaledColumn(features, c));
    const scaledTargets = targets.map((t) => (t - 25) / (346 - 25));
    for (const [set, from] of [
      [splits.train, 0],
      [splits.eval, 400],
    ] as const) {
      for (let k = 0; k < set.count; k++) {
        const row = order[from + k];
        for (let c = 0; c < 10; c++) assert.equal(set.images[k * 10 + c], Math.fround(columns[c][row]));
        assert.equal(set.targets![k], Math.fround(scaledTargets[row]));
        assert.equal(set.labels[k], 0);
      }
    }
    const all = [...splits.train.targets!, ...splits.eval.targets!];
    assert.ok(all.every((t) => t >= 0 && t <= 1));
  });

  it('asking for more than the split has names the field', () => {
    assert.throws(
      () => loadTabular(DIABETES, { train: 401 }),
      (e: unknown) => e instanceof InputError && e.field === 'train',
    );
    assert.throws(
      () => loadTabular(DIABETES, { eval: 41 }),
      (e: unknown) => e instanceof InputError && e.field === 'eval',
    );
  });

  it('a missing file is an InputError naming it and where the files come from', () => {
    const empty = mkdtempSync(join(tmpdir(), 'eqprop-sklearn-'));
    try {
      assert.throws(
        () => loadTabular(DIABETES, { dir: empty }),
        (e: unknown) =>
          e instanceof InputError && e.field === 'diabetes_data_raw.csv.gz' && /datasets\/sklearn/.test(e.message),
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('Wine (3 classes)', () => {
  const lines = readFileSync(join(sklearn, 'wine_data.csv'), 'utf8').trim().split('\n');
  const rows = lines.slice(1).map((l) => numbers(l, /,/));
  const splits = loadTabular(WINE);

  it('150 train / the next 25 test, classes from the file, features scaled over all 178', () => {
    assert.equal(lines[0], '178,13,class_0,class_1,class_2');
    assert.deepEqual(rows[0].slice(0, 3), [14.23, 1.71, 2.43]);
    assert.equal(splits.train.count, 150);
    assert.equal(splits.eval.count, 25);
    assert.equal(splits.train.dims, 13);
    assert.equal(splits.train.targets, undefined, 'a class set has no regression targets');
    const order = shuffledIndices(178, TABULAR_SHUFFLE_SEED);
    const columns = Array.from({ length: 13 }, (_, c) => scaledColumn(rows, c));
    for (const [set, from] of [
      [splits.train, 0],
      [splits.eval, 150],
    ] as const) {
      for (let k = 0; k < set.count; k++) {
        const row = order[from + k];
        assert.equal(set.labels[k], rows[row][13]);
        for (let c = 0; c < 13; c++) assert.equal(set.images[k * 13 + c], Math.fround(columns[c][row]));
      }
    }
    // Alcohol of the file's first row, by hand: (14.23 − 11.03) / (14.83 − 11.03).
    const first = order.indexOf(0);
    const set = first < 150 ? splits.train : first < 175 ? splits.eval : null;
    if (set) assert.equal(set.images[(first < 150 ? first : first - 150) * 13], Math.fround((14.23 - 11.03) / 3.8));
    assert.deepEqual(new Set(splits.train.labels), new Set([0, 1, 2]));
  });
});

describe('MNIST, official split', () => {
  it('train = the first images of the 60,000-image file, eval = the first of the 10,000 test images', () => {
    const splits = loadDataset('mnist-official', { train: 60, eval: 30, test: 0 });
    const trainLabels = readFileSync(join(defaultMnistDir(), 't10k-labels-idx1-ubyte'));
    const testImages = readFileSync(join(defaultMnistDir(), 't10k-images-idx3-ubyte'));
    assert.equal(splits.train.count, 60);
    assert.deepEqual([...splits.eval.labels], [...trainLabels.subarray(8, 38)]);
    assert.equal(splits.eval.images[200], testImages[16 + 200] / 255);
    assert.equal(DATASETS['mnist-official'].trainMax, 60_000);
    assert.throws(
      () => loadDataset('mnist-official', { train: 60_001, eval: 10, test: 0 }),
      (e: unknown) => e instanceof InputError && e.field === 'train',
    );
  });
});

const fashionDir = defaultFashionMnistDir();
const fashionMissing = existsSync(join(fashionDir, 'train-labels-idx1-ubyte.gz'))
  ? false
  : `skipped: Fashion-MNIST is not in ${fashionDir} (apt-get install dataset-fashion-mnist; .ci/run installs it)`;
if (fashionMissing && process.env.CI === 'true') {
  throw new Error(`CI=true and ${fashionMissing.replace('skipped: ', '')}`);
}

describe('Fashion-MNIST, official split (Debian dataset-fashion-mnist)', { skip: fashionMissing }, () => {
  it('the gzipped IDX files: labels and pixels / 255 of both files', () => {
    const splits = loadDataset('fashion-mnist', { train: 50, eval: 20, test: 0 });
    const labels = gunzipSync(readFileSync(join(fashionDir, 'train-labels-idx1-ubyte.gz')));
    const testLabels = gunzipSync(readFileSync(join(fashionDir, 't10k-labels-idx1-ubyte.gz')));
    const images = gunzipSync(readFileSync(join(fashionDir, 'train-images-idx3-ubyte.gz')));
    assert.equal(labels.readUInt32BE(4), 60_000);
    assert.deepEqual([...splits.train.labels], [...labels.subarray(8, 58)]);
    assert.deepEqual([...splits.eval.labels], [...testLabels.subarray(8, 28)]);
    assert.equal(splits.train.dims, 784);
    for (const i of [0, 400, 784 * 49 + 500]) assert.equal(splits.train.images[i], images[16 + i] / 255);
    // Fashion-MNIST's first training label is 9 (ankle boot), MNIST's is 5.
    assert.equal(splits.train.labels[0], 9);
  });

  it('a folder without the files says which package provides them', () => {
    const empty = mkdtempSync(join(tmpdir(), 'eqprop-fashion-'));
    const before = process.env.EQPROP_FASHION_MNIST_DIR;
    process.env.EQPROP_FASHION_MNIST_DIR = empty;
    try {
      assert.throws(
        () => loadDataset('fashion-mnist', { train: 20, eval: 20, test: 0 }),
        (e: unknown) => e instanceof InputError && /dataset-fashion-mnist/.test(e.message),
      );
    } finally {
      if (before === undefined) delete process.env.EQPROP_FASHION_MNIST_DIR;
      else process.env.EQPROP_FASHION_MNIST_DIR = before;
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
