/**
 * Where each neuron sits: layer offsets, the layer of every global index, and the pair
 * arithmetic every builder shares (which pairs are allowed, how many there are).
 * Neurons are numbered globally, input layer first (SPEC §1).
 */
export interface Layout {
  sizes: number[];
  /** offsets[l] = first global index of layer l; offsets[K+1] = N. */
  offsets: number[];
  N: number;
  /** Layer of each neuron. */
  layerOf: Uint8Array;
  /** Index of the output layer (K). */
  outputLayer: number;
}

export function makeLayout(sizes: readonly number[]): Layout {
  const offsets = [0];
  for (const s of sizes) offsets.push(offsets[offsets.length - 1] + s);
  const N = offsets[offsets.length - 1];
  const layerOf = new Uint8Array(N);
  for (let l = 0; l < sizes.length; l++) layerOf.fill(l, offsets[l], offsets[l + 1]);
  return { sizes: [...sizes], offsets, N, layerOf, outputLayer: sizes.length - 1 };
}

const pairs = (k: number) => (k * (k - 1)) / 2;

/** Connections of the layered net: every pair in adjacent layers. */
export function adjacentCount(sizes: readonly number[]): number {
  let total = 0;
  for (let l = 0; l + 1 < sizes.length; l++) total += sizes[l] * sizes[l + 1];
  return total;
}

/** Connections within hidden layers (every pair of each hidden layer; not input, not output). */
export function intralayerCount(sizes: readonly number[]): number {
  let total = 0;
  for (let l = 1; l + 1 < sizes.length; l++) total += pairs(sizes[l]);
  return total;
}

/** N_o of SPEC §4: connections after intralayer edges are added (1,271,250 for the paper's net). */
export function connectionsWithIntralayer(sizes: readonly number[]): number {
  return adjacentCount(sizes) + intralayerCount(sizes);
}

/** Unordered pairs a connection may join: all pairs except self, input–input and output–output. */
export function allowedPairCount(sizes: readonly number[]): number {
  const N = sizes.reduce((a, b) => a + b, 0);
  return pairs(N) - pairs(sizes[0]) - pairs(sizes[sizes.length - 1]);
}

/** Pairs still free after intralayer edges are added: the most layer-skipping connections a net can take. */
export function freePairCount(sizes: readonly number[]): number {
  return allowedPairCount(sizes) - connectionsWithIntralayer(sizes);
}

/** Kind code by layer span: 0 → intralayer, 1 → adjacent, ≥ 2 → skip (EDGE_KIND_CODE). */
export function kindCodeOfSpan(span: number): 0 | 1 | 2 {
  return span === 0 ? 1 : span === 1 ? 0 : 2;
}
