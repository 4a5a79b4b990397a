/**
 * The explorer's compact view of a topology. The paper network has 1.27 M connections, almost
 * all in dense adjacent-layer and intralayer blocks; drawing those one by one helps nobody. So the
 * browser gets: the layer sizes, one aggregate per connected layer pair (count, possible pairs,
 * density — drawn as a bundle), every layer-skipping connection individually (the interesting,
 * sparse part), and each neuron's degree by kind. Pure functions over the Topology typed arrays.
 */
import type { EdgeKind, Topology } from '../graph/index.js';
import type { Incidence } from './incidence.js';
import { EDGE_KIND_CODE } from '../graph/index.js';

export interface BlockAggregate {
  /** Layers a ≤ b. */
  from: number;
  to: number;
  kind: EdgeKind;
  count: number;
  /** Pairs that could be connected between (or within) the two layers. */
  possible: number;
  density: number;
}

export interface GraphView {
  sizes: number[];
  offsets: number[];
  N: number;
  blocks: BlockAggregate[];
  /** Layer-skipping connections, global neuron indices, src < dst. */
  skip: { src: number[]; dst: number[] };
  /** Per neuron, indexed globally. */
  degree: { adjacent: number[]; intralayer: number[]; skip: number[] };
}

/** layerOf[i] for every neuron i. */
export function layerIndex(topology: Pick<Topology, 'offsets' | 'N' | 'sizes'>): Uint8Array | Uint16Array {
  const out = topology.sizes.length <= 255 ? new Uint8Array(topology.N) : new Uint16Array(topology.N);
  for (let l = 0; l < topology.sizes.length; l++) out.fill(l, topology.offsets[l], topology.offsets[l + 1]);
  return out;
}

const KIND_BY_CODE: Record<number, EdgeKind> = {
  [EDGE_KIND_CODE.adjacent]: 'adjacent',
  [EDGE_KIND_CODE.intralayer]: 'intralayer',
  [EDGE_KIND_CODE.skip]: 'skip',
};

export function possiblePairs(sizes: readonly number[], a: number, b: number): number {
  return a === b ? (sizes[a]! * (sizes[a]! - 1)) / 2 : sizes[a]! * sizes[b]!;
}

export function graphView(topology: Topology): GraphView {
  const { sizes, N, edges } = topology;
  const K = sizes.length;
  const layerOf = layerIndex(topology);
  const pairCount = new Float64Array(K * K);
  const degree = {
    adjacent: new Array<number>(N).fill(0),
    intralayer: new Array<number>(N).fill(0),
    skip: new Array<number>(N).fill(0),
  };
  const skipSrc: number[] = [];
  const skipDst: number[] = [];
  for (let e = 0; e < edges.count; e++) {
    const s = edges.src[e]!;
    const d = edges.dst[e]!;
    const ls = layerOf[s]!;
    const ld = layerOf[d]!;
    const a = Math.min(ls, ld);
    const b = Math.max(ls, ld);
    pairCount[a * K + b]!++;
    // Kind from the layers themselves (span 0, 1, ≥ 2), which is what EDGE_KIND_CODE encodes.
    const kind = KIND_BY_CODE[edges.kind[e]!] ?? (b === a ? 'intralayer' : b === a + 1 ? 'adjacent' : 'skip');
    degree[kind][s]!++;
    degree[kind][d]!++;
    if (kind === 'skip') {
      skipSrc.push(Math.min(s, d));
      skipDst.push(Math.max(s, d));
    }
  }
  const blocks: BlockAggregate[] = [];
  for (let a = 0; a < K; a++) {
    for (let b = a; b < K; b++) {
      const count = pairCount[a * K + b]!;
      if (count === 0) continue;
      const possible = possiblePairs(sizes, a, b);
      blocks.push({
        from: a,
        to: b,
        kind: b === a ? 'intralayer' : b === a + 1 ? 'adjacent' : 'skip',
        count,
        possible,
        density: count / possible,
      });
    }
  }
  return { sizes: [...sizes], offsets: [...topology.offsets], N, blocks, skip: { src: skipSrc, dst: skipDst }, degree };
}

export interface NeuronNeighbour {
  neuron: number;
  layer: number;
  index: number;
  weight: number;
}

export interface NeuronView {
  neuron: number;
  layer: number;
  index: number;
  bias: number;
  degree: { adjacent: number; intralayer: number; skip: number; total: number };
  /** Connections per neighbouring layer, by kind. */
  byLayer: { layer: number; kind: EdgeKind; count: number }[];
  /** Layer-skipping neighbours, listed individually (up to `limit`). */
  skipNeighbours: NeuronNeighbour[];
  skipNeighboursTruncated: boolean;
}

/** One neuron's connections; with `incidence` only its own edges are visited. */
export function neuronView(topology: Topology, neuron: number, limit = 500, incidence?: Incidence): NeuronView {
  const { offsets, edges } = topology;
  const layerOf = layerIndex(topology);
  const layer = layerOf[neuron]!;
  const counts = new Map<string, { layer: number; kind: EdgeKind; count: number }>();
  const degree = { adjacent: 0, intralayer: 0, skip: 0, total: 0 };
  const skipNeighbours: NeuronNeighbour[] = [];
  let truncated = false;
  const from = incidence ? incidence.start[neuron]! : 0;
  const to = incidence ? incidence.start[neuron + 1]! : edges.count;
  for (let k = from; k < to; k++) {
    const e = incidence ? incidence.edges[k]! : k;
    const s = edges.src[e]!;
    const d = edges.dst[e]!;
    if (s !== neuron && d !== neuron) continue;
    const other = s === neuron ? d : s;
    const otherLayer = layerOf[other]!;
    const span = Math.abs(otherLayer - layer);
    const kind: EdgeKind = span === 0 ? 'intralayer' : span === 1 ? 'adjacent' : 'skip';
    degree[kind]++;
    degree.total++;
    const key = `${otherLayer}:${kind}`;
    const entry = counts.get(key) ?? { layer: otherLayer, kind, count: 0 };
    entry.count++;
    counts.set(key, entry);
    if (kind === 'skip') {
      if (skipNeighbours.length < limit)
        skipNeighbours.push({
          neuron: other,
          layer: otherLayer,
          index: other - offsets[otherLayer]!,
          weight: edges.weight[e]!,
        });
      else truncated = true;
    }
  }
  return {
    neuron,
    layer,
    index: neuron - offsets[layer]!,
    bias: topology.biases[neuron] ?? 0,
    degree,
    byLayer: [...counts.values()].sort((x, y) => x.layer - y.layer || x.kind.localeCompare(y.kind)),
    skipNeighbours,
    skipNeighboursTruncated: truncated,
  };
}
