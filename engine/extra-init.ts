/**
 * Re-initialising the connections a topology adds to the layered net (intralayer and layer-skipping
 * blocks; beyond the paper, which draws them U[−0.05, 0.05] and suspects this hurts at small p):
 * U[−a, a], zeros, or Glorot-uniform U[±√(6 / (n_a + n_b))] per block of layers a, b. Only
 * existing connections (mask 1) get a value; intralayer blocks stay symmetric with a zero diagonal.
 */
import { runStream } from './run-streams.js';
import type { Network } from './network.js';
import type { ExtraInit } from './config.js';

/** The bound a of U[−a, a] for a block of layers a and b. */
function bound(init: ExtraInit, rows: number, cols: number): number {
  if (init.kind === 'zero') return 0;
  if (init.kind === 'uniform') return init.a;
  return Math.sqrt(6 / (rows + cols));
}

/** Overwrites the host weights of every intralayer and skip block in place; seeded by the run. */
export function applyExtraInit(network: Network, init: ExtraInit | null | undefined, seed: number): void {
  if (!init) return;
  const rng = runStream(seed, 'extra-init');
  for (const block of network.blocks) {
    if (block.kind === 'adjacent') continue;
    const a = bound(init, block.rows, block.cols);
    const { weights, mask, cols } = block;
    for (let i = 0; i < block.rows; i++) {
      // Intralayer: draw the upper triangle and mirror it (the block is symmetric, zero diagonal).
      for (let j: number = block.kind === 'intralayer' ? i + 1 : 0; j < cols; j++) {
        const k = i * cols + j;
        const v = mask[k] ? (a === 0 ? 0 : rng.uniform(-a, a)) : 0;
        weights[k] = v;
        if (block.kind === 'intralayer') weights[j * cols + i] = mask[j * cols + i] ? v : 0;
      }
    }
  }
}
