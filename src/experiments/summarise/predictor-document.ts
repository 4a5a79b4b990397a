/**
 * The predictor ranking as one JSON document, the same from `eqprop predictors --json` and
 * `GET /api/predictors`: { runs, topologies, control, pooled, rows: [...], configurations: [...] },
 * rows sorted by |Spearman|.
 */
import type { Store } from '../../store/contract.js';
import { rankPredictors, type PredictorOptions, type PredictorTable } from '../../stats/index.js';
import { collectPredictorRuns, type PredictorSelection } from './predictor-runs.js';

export type PredictorDocument = PredictorTable;

export async function predictorDocument(
  store: Store,
  selection: PredictorSelection,
  options: PredictorOptions = {},
): Promise<PredictorDocument> {
  const runs = await collectPredictorRuns(store, selection);
  return rankPredictors(runs, options);
}
