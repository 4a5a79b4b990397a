/**
 * MNIST and Fashion-MNIST with the official split (the journal version's): the first `train` of
 * the 60,000 images of the training file train, the first `eval` of the 10,000 of the test file
 * evaluate every epoch. Pixels / 255, as engine/mnist.ts reads the paper's 50,000 / 10,000 split.
 * Both sets have the same IDX format, file names and sizes; Fashion-MNIST's come gzipped.
 */
import { checkCount, FILES, loadPair, slice, type MnistSplits } from '../mnist.js';

/** Images in the official training and test files of both sets. */
export const OFFICIAL_TRAIN_IMAGES = 60_000;
export const OFFICIAL_TEST_IMAGES = 10_000;

/** Where Debian's package `dataset-fashion-mnist` puts the four gzipped IDX files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
export const FASHION_MISSING =
  'the Fashion-MNIST IDX files of the Debian package dataset-fashion-mnist ' +
  `(apt-get install dataset-fashion-mnist puts them in ${DEBIAN_FASHION_MNIST_DIR}), ` +
  'or EQPROP_FASHION_MNIST_DIR naming a folder that holds them';

/** The Fashion-MNIST folder: EQPROP_FASHION_MNIST_DIR, else the Debian package's. */
export function defaultFashionMnistDir(): string {
  return process.env.EQPROP_FASHION_MNIST_DIR || DEBIAN_FASHION_MNIST_DIR;
}

export interface OfficialSplitOptions {
  /** Folder with the four IDX files (plain or .gz). */
  dir: string;
  /** How many of the 60,000 training images (default all). */
  train?: number;
  /** How many of the 10,000 test images evaluate (default all). */
  eval?: number;
  /** What a missing file should have been, for the error. */
  missing?: string;
}

export function loadOfficialSplit(o: OfficialSplitOptions): MnistSplits {
  const train = checkCount('train', o.train, OFFICIAL_TRAIN_IMAGES);
  const evalCount = checkCount('eval', o.eval, OFFICIAL_TEST_IMAGES);
  const training = loadPair(o.dir, FILES.trainImages, FILES.trainLabels, o.missing);
  const testing = loadPair(o.dir, FILES.testImages, FILES.testLabels, o.missing);
  checkCount('train', train, training.count);
  checkCount('eval', evalCount, testing.count);
  return { train: slice(training, 0, train), eval: slice(testing, 0, evalCount) };
}
