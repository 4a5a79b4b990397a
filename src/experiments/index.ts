/**
 * The surface of src/experiments/, the domain of runs and sweeps: run configurations and settings,
 * sweep planning and execution, presets and the paper's claims, run bundles, run queries and
 * summaries. Other layers (server/, cli/) import from here only (test/architecture/layers.test.ts).
 */
export { describeBeyondPaper, epochNote, removalEpoch } from './plan/beyond-paper.js';
export { TopologyInUseError, deleteTopologyWithRuns } from './execute/delete-topology.js';
export { errorKindOf, formatError, type ErrorKind } from './summarise/error-kind.js';
export { EXIT_ORPHANED, errorEvent, type TrainEvent } from './execute/events.js';
export { type ExecuteContext, resumeRun, startRun } from './execute/execute-run.js';
export type { JobOutcome } from './execute/executor.js';
export { ID_EXPECTED, ID_PATTERN, topologyIdFor } from './plan/ids.js';
export {
  JOURNAL_PRESET,
  JOURNAL_SCALES,
  journalPresetGroup,
  journalSummary,
  journalTable,
  type JournalScale,
} from './plan/journal-presets.js';
export { LocalProcessExecutor, defaultWorkers } from './execute/local-executor.js';
export { measureJobTopologies } from './execute/measure-topologies.js';
export { parseMetricRangeEntry, parseMetricRanges } from './summarise/metric-ranges.js';
export { listTopologiesNewestFirst } from './summarise/newest-topologies.js';
export { fig4Runs, fig5Runs, fig5RunsWithTwins } from './summarise/paper-claims-runs.js';
export { claimsMarkdown, fig4Claims, fig5Claims } from './summarise/paper-claims.js';
export { predictorDocument } from './summarise/predictor-document.js';
export { parseOutcomes } from './summarise/predictor-options.js';
export type { PredictorSelection } from './summarise/predictor-runs.js';
export { presetGroupForStore } from './plan/preset-store.js';
export { FIGURES, SCALES, presetGroup, type Figure, type PresetGroup, type Scale } from './plan/presets.js';
export { exportRuns, importBundle, parseBundle } from './reuse/run-bundle.js';
export {
  dataSizesSchema,
  parseRunRequest,
  runConfigOf,
  type DataSizes,
  type RunConfig,
  type RunRequest,
} from './plan/run-config.js';
export { configDifferences, flatConfig } from './summarise/run-diff.js';
export {
  RUN_COLUMNS,
  matchesQuery,
  parseMetricRange,
  parseSort,
  sortRuns,
  type MetricRange,
  type RunQuery,
} from './summarise/run-query.js';
export {
  DECIMAL,
  checkedTrainConfig,
  dataSizesOf,
  parseRunSettings,
  runRequestOf,
  runSettingsFields,
  trainingSettingsFields,
  trainingSettingsSchema,
  type RunSettingsInput,
  type TrainingSettings,
} from './plan/run-settings.js';
export { formatP, summariseRuns, type RunSummary } from './summarise/run-summary.js';
export {
  SWEPT_MODES,
  planSweep,
  type SweepDefinition,
  type SweepPlan,
  type SweptMode,
  type TrainingJob,
} from './plan/sweep-plan.js';
export { executeJobs, fileSweep, storedConfigOf, sweepStatus, type SweepResult } from './execute/sweep-run.js';
export { adoptFinishedTwins } from './reuse/finished-twins.js';
export {
  parseSweepSettings,
  sweepDefinitionOf,
  sweepSettingsFields,
  type SweepSettings,
} from './plan/sweep-settings.js';
export { percent, textTable } from './summarise/table.js';
