/**
 * The public surface of the engine layer (EqProp training on TensorFlow.js). Other layers import
 * from here only.
 */
export {
  initBackend,
  currentBackend,
  rowAlignment,
  backendTraits,
  BACKEND_TRAITS,
  BACKEND_ORDER,
  type BackendName,
  type BackendRequest,
} from './backend.js';
export { BACKEND_REQUESTS } from './backend-names.js';
export { setOrtSpinning } from './onnx/ort.js';
export { loadMnist, defaultMnistDir, parseIdx, type Dataset, type MnistSplits, type MnistOptions } from './mnist.js';
export {
  paperTrainConfig,
  validateTrainConfig,
  rateOfClass,
  weightRate,
  biasRate,
  RATES_AS,
  type TrainConfig,
  type RatesAs,
} from './config.js';
// The trainer pulls in the phases, the dynamics and every backend; most importers (the CLI's flag
// parsing, the stores, the server's schemas) need none of it, so it loads when training starts.
export type { Trainer } from './trainer.js';
/** The Trainer class, loaded on first use (27 modules a CLI start-up need not load). */
export async function loadTrainer(): Promise<typeof import('./trainer.js').Trainer> {
  return (await import('./trainer.js')).Trainer;
}
export type { TrainerOptions, ResumeOptions } from './trainer-options.js';
export type { BatchProgress, EpochHooks, EpochOutcome } from './epoch-hooks.js';
export type { TrainingData } from './training-data.js';
export { ERROR_BLOCK_BATCHES } from './error-blocks.js';
export type { PhaseCompileOptions } from './phase-runtime.js';
export { smoothRates, type RatePoint } from './rates.js';
export {
  networkFromCompiled,
  compiledFromNetwork,
  recurrentMultiplyAdds,
  type Network,
  type PairBlock,
} from './network.js';
export { chooseLayout, layoutCosts, type StepLayout } from './dynamics/layout-cost.js';
export { DEFAULT_ADAPTIVE, type AdaptiveFreePhase } from './adaptive.js';
export {
  DATASETS,
  DATASET_NAMES,
  loadDataset,
  type DatasetName,
  type DatasetInfo,
  type ErrorKind,
} from './datasets/registry.js';
export {
  loadOfficialSplit,
  defaultFashionMnistDir,
  OFFICIAL_TRAIN_IMAGES,
  OFFICIAL_TEST_IMAGES,
} from './datasets/official-split.js';
export { loadTabular, DIABETES, WINE, TABULAR_SHUFFLE_SEED, defaultSklearnDir } from './datasets/sklearn-sets.js';
export { batchVisitOrder, type BatchOrder } from './batch-order.js';
export { squaredErrorSum } from './batches.js';
export { checkpointFingerprint, configDifferences, type CheckpointFingerprint } from './checkpoint-fingerprint.js';
export { readCheckpointMeta } from './checkpoint.js';
export { checkTrainDepth, trainConfigSchema, type ExtraInit, type TargetFeedback } from './config.js';
export { TRAIN_RANGES, describeRange, type NumberRange } from './train-ranges.js';
export { readTrainerCheckpoint, type CheckpointMeta, type SavedTrainer } from './trainer-checkpoint.js';
