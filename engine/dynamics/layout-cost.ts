/**
 * The cost model that picks a step layout per topology. Two layouts of the same arithmetic
 * (engine/dynamics/operators.ts builds them, engine/dynamics/step.ts runs them):
 *  - 'blocks': per layer, one product S_l · W_l (plus concat, addN, clip): few multiply-adds,
 *    3–5 ops per layer per step. Best for layered nets, where most layer pairs share no connection.
 *  - 'fused': all non-input layers as one B × M state H (M = N − n_0) and one M × M matrix
 *    (every block, (1 − ε) I on the whole diagonal): H ← clip(H · W_M + drive), 3 ops per step.
 *    Best when nearly every block among non-input layers exists anyway (intralayer + skip nets:
 *    the paper's p = 7.56 % net executes 2.28 M multiply-adds per row either way) and for small nets.
 * Both equal the dense formulation up to float32 rounding (test/engine/structured.test.ts).
 */
import type { Network } from '../network.js';

export type StepLayout = 'blocks' | 'fused';

export function blockIndex(network: Network): Map<string, number> {
  return new Map(network.blocks.map((block, i) => [`${block.a}-${block.b}`, i]));
}

/**
 * Per-row cost of one step in multiply-adds, counting each op's fixed overhead as `opOverhead`
 * multiply-adds (default OP_OVERHEAD: ≈ 20 µs per op at ≈ 15 GFLOPS and batch 20, measured on
 * tfjs-wasm). With opOverhead 0: the multiply-adds each layout's products execute.
 */
const OP_OVERHEAD = 12_000;

export function layoutCosts(network: Network, opOverhead = OP_OVERHEAD): Record<StepLayout, number> {
  const { K, sizes } = network;
  const index = blockIndex(network);
  let blocks = 0;
  for (let l = 1; l <= K; l++) {
    let rows = 0,
      sources = 0,
      folded = false;
    for (let a = 1; a <= K; a++) {
      const i = index.get(`${Math.min(a, l)}-${Math.max(a, l)}`);
      if (i === undefined || network.blocks[i].maskCount === 0) continue;
      rows += sizes[a];
      sources++;
      if (a === l) folded = true;
    }
    // Ops: concat (several sources), matMul, mul by (1 − ε) (not folded), addN (several terms), clip.
    const terms = 1 + (sources > 0 ? 1 : 0) + (folded ? 0 : 1);
    const opCount = (sources > 1 ? 1 : 0) + (sources > 0 ? 1 : 0) + (folded ? 0 : 1) + (terms > 1 ? 1 : 0) + 1;
    blocks += rows * sizes[l] + opOverhead * opCount;
  }
  const M = network.N - sizes[0];
  return { blocks, fused: M * M + 3 * opOverhead };
}

export function chooseLayout(network: Network): StepLayout {
  const cost = layoutCosts(network);
  return cost.fused <= cost.blocks ? 'fused' : 'blocks';
}
