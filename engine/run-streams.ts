/**
 * Random streams a run derives from its seed besides the β-sign stream (which the Trainer seeds
 * with the seed itself, so runs that use none of these draw exactly what they always drew). Each
 * stream is a fork of a fresh Rng(seed), taken after skipping the forks of the streams before it.
 */
import { Rng } from '../graph/index.js';

const STREAMS = ['feedback', 'extra-init'] as const;
export type RunStream = (typeof STREAMS)[number];

export function runStream(seed: number, name: RunStream): Rng {
  const base = new Rng(seed);
  for (let k = 0; k < STREAMS.indexOf(name); k++) base.fork();
  return base.fork();
}
