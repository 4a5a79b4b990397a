/**
 * A run's trained weights in the explorer: fetched from GET /api/runs/:id/weights (read from the
 * run's checkpoint, strongest skip connections first, bounded by the server), turned into the view
 * state's map, and summarised per block (mean and largest |w|) for the side panel.
 */
import { api, qs } from '../api.js';
import { neuronKey } from './model.js';
import { skipKey, type TrainedSkipWeights } from './view-state.js';

/** Mirrors server/run-weights.ts RunWeights (not imported: that module is Node-only). */
export interface RunWeightsResponse {
  runId: string;
  epoch: number;
  blocks: {
    from: number;
    to: number;
    kind: 'adjacent' | 'intralayer' | 'skip';
    count: number;
    meanAbs: number;
    maxAbs: number;
  }[];
  skip: { src: number[]; dst: number[]; weight: number[] };
  matched: number;
  totalSkip: number;
  truncated: boolean;
}

/** At most this many skip weights travel to the browser (the strongest; the server bounds it too). */
export const WEIGHTS_LIMIT = 50_000;

export async function loadTrainedWeights(
  runId: string,
): Promise<{ response: RunWeightsResponse; state: TrainedSkipWeights }> {
  const response = await api<RunWeightsResponse>(
    `/api/runs/${encodeURIComponent(runId)}/weights${qs({ limit: WEIGHTS_LIMIT })}`,
  );
  const weights = new Map<string, number>();
  let maxAbs = 0;
  response.skip.src.forEach((s, e) => {
    const w = response.skip.weight[e]!;
    weights.set(skipKey(neuronKey(s), neuronKey(response.skip.dst[e]!)), w);
    maxAbs = Math.max(maxAbs, Math.abs(w));
  });
  return { response, state: { runId: response.runId, weights, maxAbs: maxAbs || 1, threshold: 0 } };
}
