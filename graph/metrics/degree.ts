/** Degree (number of connections) of each neuron, summarised per layer. */
import type { Csr } from './csr.js';

export interface DegreeStats {
  mean: number;
  min: number;
  max: number;
  std: number;
}

export function degreeStatsPerLayer(csr: Csr, offsets: readonly number[]): DegreeStats[] {
  const stats: DegreeStats[] = [];
  for (let l = 0; l + 1 < offsets.length; l++) {
    let sum = 0,
      sq = 0,
      min = Infinity,
      max = -Infinity;
    const n = offsets[l + 1] - offsets[l];
    for (let v = offsets[l]; v < offsets[l + 1]; v++) {
      const d = csr.offsets[v + 1] - csr.offsets[v];
      sum += d;
      sq += d * d;
      if (d < min) min = d;
      if (d > max) max = d;
    }
    const mean = sum / n;
    stats.push({ mean, min, max, std: Math.sqrt(Math.max(0, sq / n - mean * mean)) });
  }
  return stats;
}
