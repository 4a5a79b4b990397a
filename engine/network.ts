/**
 * The engine's own view of a topology: one dense block per pair of layers (a ≤ b) that share a
 * connection, with a 0/1 mask, and one bias vector per layer. Adjacent and intralayer blocks come
 * from the compiled topology as they are; skip connections (span ≥ 2) are densified per layer
 * pair. Measured on tfjs-wasm, a masked 500 × 500 block costs ≈ 0.7 ms per 20-row product, about
 * what a gather/scatter of the ~10 k connections between two hidden layers costs in op overhead
 * alone, and it uses only kernels every backend has (see README "## Engine").
 *
 * This module is host-side (typed arrays, no tensors): conversion in both directions.
 */
import type { CompiledTopology } from '../graph/index.js';
import { EqpropError, InputError } from '../lib/index.js';

export type BlockKind = 'adjacent' | 'intralayer' | 'skip';

export interface PairBlock {
  kind: BlockKind;
  /** Layer of the rows (a) and of the columns (b), a ≤ b. */
  a: number;
  b: number;
  rows: number;
  cols: number;
  /** rows × cols row-major, 0 where no connection. Intralayer blocks symmetric with zero diagonal. */
  weights: Float32Array;
  mask: Uint8Array;
  rateClass: number;
  /** Number of connections in the block (mask entries; an intralayer connection counts twice). */
  maskCount: number;
}

export interface Network {
  sizes: number[];
  offsets: number[];
  N: number;
  /** Index of the output layer (number of adjacent pairs). */
  K: number;
  blocks: PairBlock[];
  /** biases[l] for l = 0 … K (biases[0], the input layer's, is never used or trained). */
  biases: Float32Array[];
}

/** Canonical block order: by (a, b), so that every later loop over blocks is deterministic. */
function compareBlocks(x: PairBlock, y: PairBlock): number {
  return x.a - y.a || x.b - y.b;
}

export function networkFromCompiled(compiled: CompiledTopology): Network {
  const { sizes, offsets, N } = compiled;
  const K = sizes.length - 1;
  if (K < 1)
    throw new InputError(
      'engine',
      'topology.sizes',
      `${sizes.length} layer(s)`,
      'at least an input and an output layer',
    );
  const blocks: PairBlock[] = compiled.blocks.map((block) => ({
    kind: block.kind,
    a: block.from,
    b: block.to,
    rows: block.rows,
    cols: block.cols,
    weights: Float32Array.from(block.weights),
    mask: Uint8Array.from(block.mask),
    rateClass: block.rateClass,
    maskCount: countOnes(block.mask),
  }));
  const skipBlocks = new Map<string, PairBlock>();
  const { skip } = compiled;
  for (let e = 0; e < skip.count; e++) {
    const a = skip.srcLayer[e],
      b = skip.dstLayer[e];
    if (!(b >= a + 2))
      throw new EqpropError(
        'engine',
        `skip connection ${e} joins layers ${a} and ${b}; compiled skip lists hold spans ≥ 2 only`,
      );
    const key = `${a}-${b}`;
    let block = skipBlocks.get(key);
    if (!block) {
      block = {
        kind: 'skip',
        a,
        b,
        rows: sizes[a],
        cols: sizes[b],
        weights: new Float32Array(sizes[a] * sizes[b]),
        mask: new Uint8Array(sizes[a] * sizes[b]),
        rateClass: skip.rateClass[e],
        maskCount: 0,
      };
      skipBlocks.set(key, block);
    }
    const k = (skip.src[e] - offsets[a]) * block.cols + (skip.dst[e] - offsets[b]);
    block.weights[k] = skip.weight[e];
    block.mask[k] = 1;
  }
  for (const block of skipBlocks.values()) block.maskCount = countOnes(block.mask);
  blocks.push(...skipBlocks.values());
  blocks.sort(compareBlocks);
  const biases: Float32Array[] = [];
  for (let l = 0; l <= K; l++) biases.push(compiled.biases.slice(offsets[l], offsets[l] + sizes[l]));
  biases[0].fill(0);
  return { sizes: [...sizes], offsets: [...offsets], N, K, blocks, biases };
}

/**
 * The compiled topology with the network's current weights and biases. `template` supplies the
 * structure (block order, skip connection order) the topology layer chose.
 */
export function compiledFromNetwork(network: Network, template: CompiledTopology): CompiledTopology {
  const find = (a: number, b: number) => network.blocks.find((block) => block.a === a && block.b === b);
  const blocks = template.blocks.map((block) => {
    const mine = find(block.from, block.to);
    return {
      ...block,
      weights: mine ? Float32Array.from(mine.weights) : new Float32Array(block.weights.length),
      mask: Uint8Array.from(block.mask),
    };
  });
  const { skip } = template;
  const weight = new Float32Array(skip.count);
  for (let e = 0; e < skip.count; e++) {
    const a = skip.srcLayer[e],
      b = skip.dstLayer[e];
    const block = find(a, b)!;
    weight[e] = block.weights[(skip.src[e] - network.offsets[a]) * block.cols + (skip.dst[e] - network.offsets[b])];
  }
  const biases = new Float32Array(network.N);
  for (let l = 1; l <= network.K; l++) biases.set(network.biases[l], network.offsets[l]);
  return {
    sizes: [...template.sizes],
    offsets: [...template.offsets],
    N: template.N,
    blocks,
    skip: {
      ...skip,
      src: Int32Array.from(skip.src),
      dst: Int32Array.from(skip.dst),
      srcLayer: Uint8Array.from(skip.srcLayer),
      dstLayer: Uint8Array.from(skip.dstLayer),
      rateClass: Uint8Array.from(skip.rateClass),
      weight,
    },
    biases,
    biasRateClass: Int8Array.from(template.biasRateClass),
  };
}

function countOnes(mask: Uint8Array): number {
  let n = 0;
  for (let k = 0; k < mask.length; k++) n += mask[k];
  return n;
}

/**
 * Multiply-adds per example per state update over existing connections among non-input neurons:
 * each connection feeds both of its neurons (an intralayer block already stores both directions).
 * Input connections are excluded: their drive is computed once per batch.
 */
export function recurrentMultiplyAdds(network: Network): number {
  let count = 0;
  for (const block of network.blocks) {
    if (block.a === 0) continue;
    count += block.kind === 'intralayer' ? block.maskCount : 2 * block.maskCount;
  }
  return count;
}
