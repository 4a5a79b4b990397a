/**
 * The datasets a run can train on, by name: their shapes, what their error means and how many
 * examples each split has. Pure data, free of Node imports: the web app reads it too (through
 * src/experiments/summarise/error-kind.ts). engine/datasets/registry.ts loads them.
 *
 * 'mnist' is the paper's (SPEC §6: 50,000 / 10,000 of the training file, the official test set
 * optional); the others are the journal version's, each with a train and a test split, the test
 * split being what every epoch evaluates.
 */
import { PAPER } from '../../graph/index.js';

/** Both official MNIST-format files: 60,000 training and 10,000 test images. */
const OFFICIAL_TRAIN_IMAGES = 60_000;
const OFFICIAL_TEST_IMAGES = 10_000;

export const DATASET_NAMES = ['mnist', 'mnist-official', 'fashion-mnist', 'diabetes', 'wine'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** What a run's error is: the misclassified fraction, or the mean squared error of a regression. */
export type ErrorKind = 'class' | 'mse';

export interface DatasetInfo {
  name: DatasetName;
  /** Input layer size (pixels or features). */
  inputs: number;
  /** Output layer size (classes, or 1 for a regression). */
  outputs: number;
  errorKind: ErrorKind;
  /** Most training examples, most evaluation examples, most official-test examples (0: none besides eval). */
  trainMax: number;
  evalMax: number;
  testMax: number;
  /** One line for help texts and docs. */
  description: string;
}

export const DATASETS: Record<DatasetName, DatasetInfo> = {
  mnist: {
    name: 'mnist',
    inputs: 784,
    outputs: 10,
    errorKind: 'class',
    trainMax: PAPER.trainExamples,
    evalMax: PAPER.evalExamples,
    testMax: OFFICIAL_TEST_IMAGES,
    description: 'MNIST as the paper split it: 50,000 train / the last 10,000 of the training file evaluate',
  },
  'mnist-official': {
    name: 'mnist-official',
    inputs: 784,
    outputs: 10,
    errorKind: 'class',
    trainMax: OFFICIAL_TRAIN_IMAGES,
    evalMax: OFFICIAL_TEST_IMAGES,
    testMax: 0,
    description: 'MNIST with the official split: 60,000 train / the 10,000 test images evaluate',
  },
  'fashion-mnist': {
    name: 'fashion-mnist',
    inputs: 784,
    outputs: 10,
    errorKind: 'class',
    trainMax: OFFICIAL_TRAIN_IMAGES,
    evalMax: OFFICIAL_TEST_IMAGES,
    testMax: 0,
    description: 'Fashion-MNIST with the official split: 60,000 train / 10,000 test (Debian dataset-fashion-mnist)',
  },
  diabetes: {
    name: 'diabetes',
    inputs: 10,
    outputs: 1,
    errorKind: 'mse',
    trainMax: 400,
    evalMax: 40,
    testMax: 0,
    description: 'Diabetes (scikit-learn), regression: 400 train / the next 40 test, features and target in [0, 1]',
  },
  wine: {
    name: 'wine',
    inputs: 13,
    outputs: 3,
    errorKind: 'class',
    trainMax: 150,
    evalMax: 25,
    testMax: 0,
    description: 'Wine (scikit-learn), 3 classes: 150 train / the next 25 test, features in [0, 1]',
  },
};
