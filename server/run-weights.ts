/**
 * A run's trained weights for the explorer, read from its checkpoint (the store keeps no weights):
 * every layer-skipping connection with its weight, strongest first, at most `limit` of them and only
 * those with |w| ≥ minAbs, plus the mean and largest |w| of each block, so a researcher can see which
 * skip connections the training used. The checkpoint's arrays stay on the server: the answer is
 * bounded by `limit` whatever the network's size.
 */
import { readTrainerCheckpoint, type SavedTrainer } from '../engine/index.js';
import type { RunRecord } from '../src/store/index.js';
import { HttpError } from './http-errors.js';

export interface BlockWeightSummary {
  from: number;
  to: number;
  kind: 'adjacent' | 'intralayer' | 'skip';
  count: number;
  meanAbs: number;
  maxAbs: number;
}

export interface RunWeights {
  runId: string;
  /** Epochs completed when the checkpoint was written (the run's last epoch when it is done). */
  epoch: number;
  blocks: BlockWeightSummary[];
  /** Skip connections with |w| ≥ minAbs, strongest first; global neuron indices, src < dst. */
  skip: { src: number[]; dst: number[]; weight: number[] };
  /** How many skip connections passed the threshold (more than listed when truncated). */
  matched: number;
  totalSkip: number;
  truncated: boolean;
}

function summary(
  from: number,
  to: number,
  kind: BlockWeightSummary['kind'],
  values: Iterable<number>,
): BlockWeightSummary {
  let count = 0,
    sum = 0,
    max = 0;
  for (const w of values) {
    const a = Math.abs(w);
    count++;
    sum += a;
    if (a > max) max = a;
  }
  return { from, to, kind, count, meanAbs: count ? sum / count : 0, maxAbs: max };
}

function* masked(weights: Float32Array, mask: Uint8Array): Generator<number> {
  for (let k = 0; k < weights.length; k++) if (mask[k]) yield weights[k]!;
}

export function runWeights(run: RunRecord, minAbs: number, limit: number): RunWeights {
  if (!run.checkpoint) {
    throw new HttpError(
      409,
      `eqprop/server: id: run ${run.id} has no checkpoint yet, so no trained weights; ` +
        'expected a run that has finished at least one epoch',
      'id',
      'a run with a checkpoint',
    );
  }
  let saved: SavedTrainer;
  try {
    saved = readTrainerCheckpoint(run.checkpoint);
  } catch (e) {
    // A deleted or damaged file is the run's state, not a server fault: 409 naming the run.
    const why = e instanceof Error ? e.message : String(e);
    throw new HttpError(
      409,
      `eqprop/server: id: the checkpoint of run ${run.id} cannot be read (${why})`,
      'id',
      'a run whose checkpoint file is intact',
    );
  }
  const { meta, section } = saved;
  const blocks = meta.topology.blocks.map((b, i) =>
    summary(
      b.from,
      b.to,
      b.kind,
      masked(section<Float32Array>(`block.${i}.weights`), section<Uint8Array>(`block.${i}.mask`)),
    ),
  );
  const src = section<Int32Array>('skip.src');
  const dst = section<Int32Array>('skip.dst');
  const srcLayer = section<Uint8Array>('skip.srcLayer');
  const dstLayer = section<Uint8Array>('skip.dstLayer');
  const weight = section<Float32Array>('skip.weight');
  const count = meta.topology.skipCount;
  const bySkipPair = new Map<string, number[]>();
  const passing: number[] = [];
  for (let e = 0; e < count; e++) {
    const a = Math.min(srcLayer[e]!, dstLayer[e]!),
      b = Math.max(srcLayer[e]!, dstLayer[e]!);
    const key = `${a}-${b}`;
    if (!bySkipPair.has(key)) bySkipPair.set(key, []);
    bySkipPair.get(key)!.push(weight[e]!);
    if (Math.abs(weight[e]!) >= minAbs) passing.push(e);
  }
  for (const [key, values] of [...bySkipPair].sort(([x], [y]) => x.localeCompare(y, undefined, { numeric: true }))) {
    const [a, b] = key.split('-').map(Number) as [number, number];
    blocks.push(summary(a, b, 'skip', values));
  }
  passing.sort((x, y) => Math.abs(weight[y]!) - Math.abs(weight[x]!));
  const listed = passing.slice(0, limit);
  return {
    runId: run.id,
    epoch: meta.counters.epoch,
    blocks,
    skip: {
      src: listed.map((e) => Math.min(src[e]!, dst[e]!)),
      dst: listed.map((e) => Math.max(src[e]!, dst[e]!)),
      weight: listed.map((e) => weight[e]!),
    },
    matched: passing.length,
    totalSkip: count,
    truncated: passing.length > listed.length,
  };
}
