/**
 * The data types the topology layer hands to every other layer. These are the contract between
 * graph/ and engine/, src/store, server/ and web/: change them only with all of those in mind.
 */

/** How a topology is built (SPEC §4). */
export type TopologyMode = 'layered' | 'replace' | 'add' | 'per-connection' | 'no-intralayer';
export const TOPOLOGY_MODES: readonly TopologyMode[] = ['layered', 'replace', 'add', 'per-connection', 'no-intralayer'];

/**
 * Where new (layer-skipping) connections may go (graph/skip-rule.ts). Each field is optional and
 * absent from a spec that does not restrict: spans counted in layers (2 = skips one layer), the
 * target a layer index (the output layer is sizes.length − 1).
 */
export interface SkipRestriction {
  /** New connections join layers at least this many apart (≥ 2). */
  spanMin?: number;
  /** … and at most this many apart. */
  spanMax?: number;
  /** New connections have one end in this layer. */
  targetLayer?: number;
}

/** Kind of a connection, decided by the layers of its two neurons: span 0, 1 or ≥ 2. */
export type EdgeKind = 'intralayer' | 'adjacent' | 'skip';
/** Numeric codes used in typed arrays (EdgeList.kind). */
export const EDGE_KIND_CODE = { adjacent: 0, intralayer: 1, skip: 2 } as const;
export const EDGE_KINDS: readonly EdgeKind[] = ['adjacent', 'intralayer', 'skip'];

/** What the user asks for. Exactly one of n and p for the random modes; neither for layered. */
export interface TopologySpec extends SkipRestriction {
  sizes: number[];
  mode: TopologyMode;
  n?: number;
  p?: number;
  seed: number;
  /** no-intralayer only: layer-skipping weights start in U[−a, a] (default: mean per-layer Glorot bound). */
  skipBound?: number;
}

/** The spec after validation and p↔n conversion: both n and p are filled in. */
export interface ResolvedSpec extends SkipRestriction {
  sizes: number[];
  mode: TopologyMode;
  /** Number of rewiring (replace), additions (add) or, for per-connection, the expected count. */
  n: number;
  /** p = 1 − ((N_o − 1)/N_o)^n (SPEC §4); for per-connection and no-intralayer the per-edge probability. */
  p: number;
  seed: number;
  /** Filled in for no-intralayer (U[−a, a] of its layer-skipping weights); absent otherwise. */
  skipBound?: number;
}

/**
 * Connections as parallel typed arrays (a graphology view is built on demand: at 1.27 M edges
 * the typed arrays are what keep the paper network fast). Neurons are numbered globally,
 * input layer first. Every connection is stored once with src < dst; W is symmetric.
 */
export interface EdgeList {
  count: number;
  src: Int32Array;
  dst: Int32Array;
  /** Initial (or current) weight of each connection. */
  weight: Float32Array;
  /** EDGE_KIND_CODE of each connection. */
  kind: Uint8Array;
}

export interface Topology {
  spec: ResolvedSpec;
  /** Layer sizes, input first. */
  sizes: number[];
  /** offsets[l] = global index of the first neuron of layer l; offsets[K+1] = N. */
  offsets: number[];
  /** Total number of neurons. */
  N: number;
  edges: EdgeList;
  /** One bias per neuron (input biases are always 0 and never trained). */
  biases: Float32Array;
}

/** Connection counts by kind. */
export interface EdgeCounts {
  adjacent: number;
  intralayer: number;
  skip: number;
  total: number;
}

/**
 * The engine's weight format (output of graph/compile.ts).
 *
 * Layers a ≤ b that share at least one connection form a block. Adjacent (b = a + 1) and
 * intralayer (a = b) blocks are dense row-major `sizes[a] × sizes[b]` matrices with a 0/1 mask.
 * Skip connections (b ≥ a + 2) come as a sparse list in global indices; the engine may densify
 * them per layer pair when that is faster (its choice, by measurement).
 *
 * Learning-rate class of a connection between layers a ≤ b: min(a, b − 1) — the adjacent pair a
 * for skip and adjacent connections, the pair feeding layer l for intralayer ones (the same
 * class as the biases of that layer, SPEC §3).
 */
export interface DenseBlock {
  kind: 'adjacent' | 'intralayer';
  /** Layer of the rows. */
  from: number;
  /** Layer of the columns (from for intralayer, from + 1 for adjacent). */
  to: number;
  rows: number;
  cols: number;
  /** rows × cols, row-major; 0 where there is no connection. Intralayer blocks are symmetric, zero diagonal. */
  weights: Float32Array;
  /** rows × cols, 1 where a connection exists. */
  mask: Uint8Array;
  rateClass: number;
}

export interface SparseConnections {
  count: number;
  /** Global neuron indices, src < dst. */
  src: Int32Array;
  dst: Int32Array;
  /** Layer of src and dst. */
  srcLayer: Uint8Array;
  dstLayer: Uint8Array;
  weight: Float32Array;
  rateClass: Uint8Array;
}

export interface CompiledTopology {
  sizes: number[];
  offsets: number[];
  N: number;
  blocks: DenseBlock[];
  skip: SparseConnections;
  biases: Float32Array;
  /** Rate class of each neuron's bias: layer − 1 for non-input neurons, −1 for input neurons. */
  biasRateClass: Int8Array;
}
