/**
 * The training options beyond the paper (README "Beyond the paper") in words and where they act,
 * for `runs show`, the reports and the web run page alike. Pure and free of Node imports (type-only
 * imports are erased), so the web UI uses these very functions on the run records the API returns.
 */
import type { ExtraInit, TargetFeedback, TrainConfig } from '../../../engine/index.js';

/** The parts of a stored TrainConfig these descriptions read (all optional: old runs lack them). */
export type BeyondPaperConfig = Partial<
  Pick<TrainConfig, 'symmetricNudging' | 'targetFeedback' | 'removeSkipsAfter' | 'removeIntralayer' | 'extraInit'>
>;

/** The parts of a stored RunConfig the removal marks need. */
export interface RemovalRunConfig {
  epochs?: number;
  data?: { train?: number };
  train?: { batchSize?: number } & BeyondPaperConfig;
}

function feedbackText(f: TargetFeedback): string {
  return `target feedback ${f.layers.map((l) => `h${l}`).join(',')} density ${f.density} scale ${f.scale}`;
}

function extraInitText(e: ExtraInit): string {
  if (e.kind === 'uniform') return `extra init uniform ±${e.a}`;
  return `extra init ${e.kind}`;
}

/**
 * One phrase per option that is set, in the README's order: "nudging symmetric", "target feedback
 * h1,h2 density 0.1 scale 0.05", "remove skips after epoch 1 (+ intralayer)", "extra init zero".
 * Empty for a run with the paper's behaviour.
 */
export function describeBeyondPaper(train: BeyondPaperConfig | undefined): string[] {
  if (!train) return [];
  const out: string[] = [];
  if (train.symmetricNudging) out.push('nudging symmetric');
  if (train.targetFeedback) out.push(feedbackText(train.targetFeedback));
  if (typeof train.removeSkipsAfter === 'number') {
    out.push(`remove skips after epoch ${train.removeSkipsAfter}${train.removeIntralayer ? ' (+ intralayer)' : ''}`);
  }
  if (train.extraInit) out.push(extraInitText(train.extraInit));
  return out;
}

/**
 * The first epoch trained without the removed connections (removeSkipsAfter + 1), or null when
 * the run never removes them (no option, or the removal would come after its last epoch).
 */
export function removalEpoch(config: RemovalRunConfig): number | null {
  const after = config.train?.removeSkipsAfter;
  if (typeof after !== 'number') return null;
  if (typeof config.epochs === 'number' && after >= config.epochs) return null;
  return after + 1;
}

/** What the epoch table says on the first epoch after the removal ("skips removed"); null on every other epoch. */
export function epochNote(config: RemovalRunConfig, epoch: number): string | null {
  if (removalEpoch(config) !== epoch) return null;
  return config.train?.removeIntralayer ? 'skips and intralayer removed' : 'skips removed';
}

/**
 * The global batch index (0-based, as rate points count them) of the first batch trained after
 * the removal: removeSkipsAfter × batches per epoch, batches per epoch = floor(train / batchSize)
 * (the engine drops a ragged last batch). Null when nothing is removed.
 */
export function removalBatch(config: RemovalRunConfig): number | null {
  const epoch = removalEpoch(config);
  const train = config.data?.train,
    batchSize = config.train?.batchSize;
  if (epoch === null || typeof train !== 'number' || typeof batchSize !== 'number' || batchSize < 1) return null;
  return (epoch - 1) * Math.floor(train / batchSize);
}
