/**
 * The graphology view of a topology, for the explorer, exporters and anyone who wants
 * graphology's algorithms on small nets. Built on demand: at 1.27 M edges a graphology graph
 * costs seconds and hundreds of MB, which is why metrics run on typed arrays instead.
 *
 * Nodes: key = global index as a string; attributes layer, index (within the layer), bias.
 * Edges: key = `${src}-${dst}`; attributes kind ('adjacent' | 'intralayer' | 'skip'), span
 * (layer distance), weight. Graph attributes: sizes ("784,500,…"), mode, n, p, seed — enough
 * for fromGraphology to rebuild the same Topology.
 */
import { UndirectedGraph } from 'graphology';
import type { AbstractGraph, Attributes } from 'graphology-types';
import { InputError } from '../lib/index.js';
import {
  EDGE_KINDS,
  EDGE_KIND_CODE,
  TOPOLOGY_MODES,
  type EdgeKind,
  type Topology,
  type TopologyMode,
} from './types.js';
import { makeLayout } from './layout.js';

export interface NodeAttributes {
  layer: number;
  index: number;
  bias: number;
}
export interface EdgeAttributes {
  kind: EdgeKind;
  span: number;
  weight: number;
}
export interface GraphAttributes {
  sizes: string;
  mode: TopologyMode;
  n: number;
  p: number;
  seed: number;
}
export type TopologyGraph = UndirectedGraph<NodeAttributes, EdgeAttributes, GraphAttributes>;

export function toGraphology(topology: Topology): TopologyGraph {
  const layout = makeLayout(topology.sizes);
  const graph: TopologyGraph = new UndirectedGraph<NodeAttributes, EdgeAttributes, GraphAttributes>({
    multi: false,
    allowSelfLoops: false,
  });
  graph.replaceAttributes({
    sizes: topology.sizes.join(','),
    mode: topology.spec.mode,
    n: topology.spec.n,
    p: topology.spec.p,
    seed: topology.spec.seed,
  });
  for (let v = 0; v < topology.N; v++) {
    const layer = layout.layerOf[v];
    graph.addNode(String(v), { layer, index: v - layout.offsets[layer], bias: topology.biases[v] });
  }
  const { src, dst, weight, kind } = topology.edges;
  for (let e = 0; e < topology.edges.count; e++) {
    graph.addUndirectedEdgeWithKey(`${src[e]}-${dst[e]}`, String(src[e]), String(dst[e]), {
      kind: EDGE_KINDS[kind[e] === EDGE_KIND_CODE.adjacent ? 0 : kind[e] === EDGE_KIND_CODE.intralayer ? 1 : 2],
      span: layout.layerOf[dst[e]] - layout.layerOf[src[e]],
      weight: weight[e],
    });
  }
  return graph;
}

const MODULE = 'graphology';

/**
 * Rebuilds the Topology from a graph in toGraphology's shape (also one parsed back from
 * GraphML or GEXF, where numbers may arrive as strings). Edges are put in canonical order.
 */
export function fromGraphology(graph: AbstractGraph<Attributes, Attributes, Attributes>): Topology {
  const attrs = graph.getAttributes() as Record<string, unknown>;
  const sizes = String(attrs.sizes ?? '')
    .split(',')
    .map(Number);
  if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new InputError(
      MODULE,
      'sizes',
      `graph attribute sizes ${JSON.stringify(attrs.sizes)} is not a list of layer sizes`,
      'comma-separated positive integers',
    );
  }
  const mode = String(attrs.mode) as TopologyMode;
  if (!TOPOLOGY_MODES.includes(mode))
    throw new InputError(MODULE, 'mode', `unknown mode ${JSON.stringify(attrs.mode)}`, TOPOLOGY_MODES.join(', '));
  const layout = makeLayout(sizes);
  if (graph.order !== layout.N)
    throw new InputError(MODULE, 'nodes', `${graph.order} nodes for sizes ${sizes.join(',')}`, `${layout.N} nodes`);
  const biases = new Float32Array(layout.N);
  graph.forEachNode((key, a) => {
    const v = Number(key);
    if (!Number.isInteger(v) || v < 0 || v >= layout.N)
      throw new InputError(MODULE, 'node', `node key ${JSON.stringify(key)}`, `integers 0 … ${layout.N - 1}`);
    biases[v] = Number(a.bias ?? 0);
  });
  const pairs: [number, number, number][] = [];
  graph.forEachEdge((_key, a, s, t) => {
    const i = Number(s),
      j = Number(t);
    pairs.push(i < j ? [i, j, Number(a.weight)] : [j, i, Number(a.weight)]);
  });
  pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const count = pairs.length;
  const src = new Int32Array(count),
    dst = new Int32Array(count),
    weight = new Float32Array(count),
    kind = new Uint8Array(count);
  pairs.forEach(([i, j, w], e) => {
    src[e] = i;
    dst[e] = j;
    weight[e] = w;
    const span = layout.layerOf[j] - layout.layerOf[i];
    kind[e] = span === 0 ? EDGE_KIND_CODE.intralayer : span === 1 ? EDGE_KIND_CODE.adjacent : EDGE_KIND_CODE.skip;
  });
  return {
    spec: { sizes, mode, n: Number(attrs.n ?? 0), p: Number(attrs.p ?? 0), seed: Number(attrs.seed ?? 0) },
    sizes,
    offsets: layout.offsets,
    N: layout.N,
    edges: { count, src, dst, weight, kind },
    biases,
  };
}
