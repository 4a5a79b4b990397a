/**
 * How a Topology maps onto the Neo4j graph model, as pure functions (no driver here):
 *
 *   (:Topology)-[:HAS_LAYER]->(:Layer {index, size, offset})-[:NEXT]->(:Layer)
 *   (:Layer)-[:HAS_NEURON]->(:Neuron {index, layer, bias})
 *   (:Neuron)-[:INTRALAYER|SKIP|ADJACENT {weight}]->(:Neuron)      from the lower index (src < dst)
 *   (:Layer)-[:HAS_BLOCK]->(:Block {kind: 'adjacent', from, to, count, connections})
 *
 * The relationship TYPE is the connection kind: Cypher filters on types through the per-type
 * relationship chains of dense nodes (every neuron here is dense) and stores no string per
 * connection. Intralayer and skip connections are always relationships. Adjacent-layer ones are
 * relationships while the topology has at most `adjacentRelationshipsMax` of them; beyond that
 * (the paper network has ~832k) each adjacent layer pair is one Block node holding its
 * connections as a topology-codec blob. Every connection is stored exactly once.
 *
 * Order: a reload sorts connections by (src, dst) — the order graph/build.ts produces. When a
 * topology came in another order, the Topology node keeps the permutation (`edgeOrder`, int32
 * bytes) so the reload restores the original order exactly.
 */
import { EDGE_KIND_CODE, type EdgeKind, type EdgeList, type Topology } from '../../../graph/types.js';
import { EqpropError } from '../../../graph/errors.js';
import { bytesToInt32, decodeConnections, encodeConnections, int32ToBytes } from '../topology-codec.js';
import { canonicalOrder, layerOfNeurons } from '../validate.js';

export type AdjacentStorage = 'relationships' | 'blocks';

export interface LayerRow { index: number; size: number; offset: number }

/** Connections of one kind destined to become relationships, as parallel arrays. */
export interface RelationshipColumns {
  src: Int32Array;
  dst: Int32Array;
  weight: Float32Array;
}

export interface BlockRow {
  from: number;
  count: number;
  connections: Uint8Array;
}

export interface TopologyGraph {
  layers: LayerRow[];
  adjacentStorage: AdjacentStorage;
  relationships: Record<EdgeKind, RelationshipColumns>;
  blocks: BlockRow[];
  /** int32 bytes of the (src, dst)-sorting permutation, or null when already sorted. */
  edgeOrder: Uint8Array | null;
}

function pick(edges: EdgeList, positions: number[]): EdgeList {
  return {
    count: positions.length,
    src: Int32Array.from(positions, (i) => edges.src[i]!),
    dst: Int32Array.from(positions, (i) => edges.dst[i]!),
    weight: Float32Array.from(positions, (i) => edges.weight[i]!),
    kind: Uint8Array.from(positions, (i) => edges.kind[i]!),
  };
}

export function toGraph(topology: Topology, adjacentRelationshipsMax: number): TopologyGraph {
  const { edges, sizes, offsets } = topology;
  const layers = sizes.map((size, index) => ({ index, size, offset: offsets[index]! }));
  let adjacentCount = 0;
  for (let i = 0; i < edges.count; i++) if (edges.kind[i] === EDGE_KIND_CODE.adjacent) adjacentCount++;
  const adjacentStorage: AdjacentStorage = adjacentCount <= adjacentRelationshipsMax ? 'relationships' : 'blocks';

  const byKind: Record<EdgeKind, number[]> = { adjacent: [], intralayer: [], skip: [] };
  const byLowerLayer: number[][] = sizes.map(() => []);
  const layerOf = layerOfNeurons(offsets, topology.N);
  for (let i = 0; i < edges.count; i++) {
    const code = edges.kind[i];
    if (code === EDGE_KIND_CODE.adjacent && adjacentStorage === 'blocks') byLowerLayer[layerOf[edges.src[i]!]!]!.push(i);
    else byKind[code === EDGE_KIND_CODE.adjacent ? 'adjacent' : code === EDGE_KIND_CODE.intralayer ? 'intralayer' : 'skip'].push(i);
  }
  const columns = (positions: number[]): RelationshipColumns => {
    const { src, dst, weight } = pick(edges, positions);
    return { src, dst, weight };
  };
  const blocks = byLowerLayer.flatMap((positions, from) => positions.length === 0 ? [] : [{
    from, count: positions.length, connections: encodeConnections({ edges: pick(edges, positions), biases: new Float32Array(0) }),
  }]);
  const order = canonicalOrder(edges, topology.N);
  return {
    layers, adjacentStorage, blocks,
    relationships: { adjacent: columns(byKind.adjacent), intralayer: columns(byKind.intralayer), skip: columns(byKind.skip) },
    edgeOrder: order ? int32ToBytes(order) : null,
  };
}

/** The stored pieces of one topology, as read back. */
export interface StoredPieces {
  total: number;
  N: number;
  neurons: { index: number[]; bias: number[] };
  relationships: Record<EdgeKind, { src: number[]; dst: number[]; weight: number[] }>;
  blocks: Uint8Array[];
  edgeOrder: Uint8Array | null;
}

/** Rebuilds the edge list (in its saved order) and the biases from the stored pieces. */
export function fromGraph(pieces: StoredPieces): { edges: EdgeList; biases: Float32Array } {
  const { total, N } = pieces;
  // Gather every connection, then sort by (src, dst).
  const src = new Int32Array(total);
  const dst = new Int32Array(total);
  const weight = new Float32Array(total);
  const kind = new Uint8Array(total);
  let n = 0;
  const push = (s: number, d: number, w: number, k: number) => {
    if (n >= total) throw corrupt(`more than the recorded ${total} connections`);
    src[n] = s; dst[n] = d; weight[n] = w; kind[n] = k; n++;
  };
  for (const k of ['adjacent', 'intralayer', 'skip'] as const) {
    const r = pieces.relationships[k];
    for (let j = 0; j < r.src.length; j++) push(r.src[j]!, r.dst[j]!, r.weight[j]!, EDGE_KIND_CODE[k]);
  }
  for (const blob of pieces.blocks) {
    const { edges } = decodeConnections(blob);
    for (let j = 0; j < edges.count; j++) push(edges.src[j]!, edges.dst[j]!, edges.weight[j]!, edges.kind[j]!);
  }
  if (n !== total) throw corrupt(`${n} connections found, ${total} recorded`);
  const sorted = canonicalOrder({ count: total, src, dst }, N);
  const at = (k: number) => (sorted ? sorted[k]! : k);
  const order = pieces.edgeOrder ? bytesToInt32(pieces.edgeOrder) : null;
  if (order && order.length !== total) throw corrupt('edge order and connections differ in length');
  const out: EdgeList = { count: total, src: new Int32Array(total), dst: new Int32Array(total), weight: new Float32Array(total), kind: new Uint8Array(total) };
  for (let k = 0; k < total; k++) {
    const from = at(k);
    const to = order ? order[k]! : k; // the k-th smallest connection was saved at position order[k]
    out.src[to] = src[from]!; out.dst[to] = dst[from]!; out.weight[to] = weight[from]!; out.kind[to] = kind[from]!;
  }

  const biases = new Float32Array(N);
  const seen = new Uint8Array(N);
  pieces.neurons.index.forEach((index, j) => {
    if (!(index >= 0 && index < N) || seen[index]) throw corrupt(`neuron ${index} missing or repeated`);
    seen[index] = 1;
    biases[index] = pieces.neurons.bias[j]!;
  });
  if (seen.indexOf(0) !== -1) throw corrupt(`neuron ${seen.indexOf(0)} of ${N} is missing`);
  return { edges: out, biases };
}

function corrupt(what: string): EqpropError {
  return new EqpropError('store', `stored topology is inconsistent: ${what}; expected every connection and neuron exactly once (re-save the topology)`);
}
