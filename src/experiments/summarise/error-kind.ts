/**
 * What a run's stored errors (EpochResult trainError / evalError / testError) mean: the
 * misclassified fraction ('class') or, for a regression dataset, the mean over examples of
 * (output − target)² ('mse'). Decided by the dataset in the run's configuration; runs stored
 * before datasets existed trained on MNIST, so anything without one is 'class'.
 */
import { DATASETS, DATASET_NAMES, type DatasetName, type ErrorKind } from '../../../engine/index.js';

export type { ErrorKind };

/** The dataset a stored run configuration names (absent or unknown: the paper's MNIST). */
export function datasetOfStored(config: unknown): DatasetName {
  const name = (config as { data?: { dataset?: unknown } } | null)?.data?.dataset;
  const known = typeof name === 'string' && (DATASET_NAMES as readonly string[]).includes(name);
  return known ? (name as DatasetName) : 'mnist';
}

/** The error kind of a stored run configuration (RunRecord.config). */
export function errorKindOf(config: unknown): ErrorKind {
  return DATASETS[datasetOfStored(config)].errorKind;
}

/** An error value for people: "12.3 %" for a class error, "0.0123 MSE" for a regression's. */
export function formatError(value: number | null | undefined, kind: ErrorKind, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return kind === 'mse' ? `${value.toPrecision(3)} MSE` : `${(value * 100).toFixed(digits)}%`;
}

/** The name of the error for headings and axis titles. */
export function errorName(kind: ErrorKind): string {
  return kind === 'mse' ? 'mean squared error' : 'error';
}
