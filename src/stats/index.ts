/**
 * The statistics layer: correlations, intervals, partial correlations, cross-validation and the
 * predictor ranking, pure TypeScript (no Node imports) so the CLI, the server and the web app
 * compute identical numbers.
 */
export { pearson, spearman, averageRanks, mean, sampleSd, isConstant, MIN_PAIRS } from './correlation.js';
export { bootstrapInterval, quantileSorted, DEFAULT_BOOTSTRAP, type Interval } from './bootstrap.js';
export { partialSpearman, type Covariates } from './partial.js';
export { crossValidatedR2 } from './cross-validation.js';
export { earlyPredictors, DEFAULT_EARLY_BATCHES, EARLY_METRICS, type RateSample } from './early.js';
export {
  rankPredictors,
  groupConfigurations,
  configurationKey,
  OUTCOMES,
  CONTROL_METRIC,
  type PredictorRun,
  type PredictorRow,
  type PredictorTable,
  type Configuration,
  type PredictorOptions,
} from './predictors.js';
export { seedStatistic, type SeedStatistic } from './seed-statistic.js';
