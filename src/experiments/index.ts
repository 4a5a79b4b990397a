/**
 * The surface of src/experiments/, the domain of runs and sweeps: run configurations and settings,
 * sweep planning and execution, presets and the paper's claims, run bundles, run queries and
 * summaries. Other layers (server/, cli/) import from here only (test/architecture/layers.test.ts).
 */
export { describeBeyondPaper, epochNote, removalEpoch } from './beyond-paper.js';
export { TopologyInUseError, deleteTopologyWithRuns } from './delete-topology.js';
export { errorKindOf, formatError, type ErrorKind } from './error-kind.js';
export { EXIT_ORPHANED, errorEvent, type TrainEvent } from './events.js';
export { type ExecuteContext, resumeRun, startRun } from './execute-run.js';
export type { JobOutcome } from './executor.js';
export { ID_EXPECTED, ID_PATTERN, topologyIdFor } from './ids.js';
export {
  JOURNAL_PRESET,
  JOURNAL_SCALES,
  journalPresetGroup,
  journalSummary,
  journalTable,
  type JournalScale,
} from './journal-presets.js';
export { withLazilyLoadedStore } from './lazy-store.js';
export { LocalProcessExecutor, defaultWorkers } from './local-executor.js';
export { measureJobTopologies } from './measure-topologies.js';
export { parseMetricRangeEntry, parseMetricRanges } from './metric-ranges.js';
export { listTopologiesNewestFirst } from './newest-topologies.js';
export { fig4Runs, fig5Runs } from './paper-claims-runs.js';
export { claimsMarkdown, fig4Claims, fig5Claims } from './paper-claims.js';
export { predictorDocument } from './predictor-document.js';
export { parseOutcomes } from './predictor-options.js';
export type { PredictorSelection } from './predictor-runs.js';
export { presetGroupForStore } from './preset-store.js';
export { FIGURES, SCALES, type Figure, type PresetGroup, type Scale } from './presets.js';
export { exportRuns, importBundle, parseBundle } from './run-bundle.js';
export {
  dataSizesSchema,
  parseRunRequest,
  runConfigOf,
  type DataSizes,
  type RunConfig,
  type RunRequest,
} from './run-config.js';
export { configDifferences, flatConfig } from './run-diff.js';
export {
  RUN_COLUMNS,
  matchesQuery,
  parseMetricRange,
  parseSort,
  sortRuns,
  type MetricRange,
  type RunQuery,
} from './run-query.js';
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
} from './run-settings.js';
export { formatP, summariseRuns, type RunSummary } from './run-summary.js';
export {
  SWEPT_MODES,
  planSweep,
  type SweepDefinition,
  type SweepPlan,
  type SweptMode,
  type TrainingJob,
} from './sweep-plan.js';
export { executeJobs, fileSweep, storedConfigOf, sweepStatus, type SweepResult } from './sweep-run.js';
export { parseSweepSettings, sweepDefinitionOf, sweepSettingsFields, type SweepSettings } from './sweep-settings.js';
export { percent, textTable } from './table.js';
