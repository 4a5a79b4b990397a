/**
 * How a Topology maps onto the Neo4j graph model, as pure functions (no driver here):
 *
 *   (:Topology)-[:HAS_LAYER]->(:Layer {index, size, offset})-[:NEXT]->(:Layer)
 *   (:Layer)-[:HAS_NEURON]->(:Neuron {index, layer, bias})
 *   (:Neuron)-[:INTRALAYER | :SKIP | :ADJACENT]->(:Neuron)       from the lower index (src < dst)
 *   (:Layer)-[:HAS_BLOCK]->(:Block {kind, from, to, count, connections})
 *
 * Two views of the connections, written in the same transaction:
 * - Blocks: one node per (kind, lower layer, upper layer) group holding its connections (src,
 *   dst, weight, kind) as a topology-codec blob in (src, dst) order. This is the exact, compact
 *   form a reload reads: 16.5 MB of bytes for the paper network instead of 1.27 M records.
 * - Relationships: intralayer and skip connections always, adjacent ones while the topology has at
 *   most `adjacentRelationshipsMax` of them (the paper network has ~832k), typed by kind and
 *   without properties. They are what Cypher traverses for neuron-level questions. No weight
 *   property: measured on the paper network, one property per relationship tripled the save
 *   (≈ 27 s vs ≈ 9 s), and the weights are the initial ones, which no graph question needs.
 *
 * Order: blocks keep (src, dst) order, the order graph/build.ts produces. When a topology came in
 * another order, the Topology node keeps the permutation (`edgeOrder`, int32 bytes) so the reload
 * restores the original order exactly.
 */
import { EDGE_KIND_CODE, EDGE_KINDS, type EdgeKind, type EdgeList, type Topology } from '../../../graph/index.js';
import { EqpropError } from '../../../lib/index.js';
import { bytesToInt32, decodeConnections, encodeConnections, int32ToBytes } from '../topology-codec.js';
import { canonicalOrder, layerOfNeurons } from '../validate.js';

export type AdjacentStorage = 'relationships' | 'blocks';

export interface LayerRow {
  index: number;
  size: number;
  offset: number;
}

/** Endpoints of the connections of one kind that become relationships. */
export interface RelationshipColumns {
  src: Int32Array;
  dst: Int32Array;
}

export interface BlockRow {
  kind: EdgeKind;
  from: number;
  to: number;
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

/** The connections at the given positions, as a new edge list (plain loops: this copies 1.27 M). */
function pick(edges: EdgeList, positions: number[]): EdgeList {
  const count = positions.length;
  const out: EdgeList = {
    count,
    src: new Int32Array(count),
    dst: new Int32Array(count),
    weight: new Float32Array(count),
    kind: new Uint8Array(count),
  };
  for (let j = 0; j < count; j++) {
    const i = positions[j]!;
    out.src[j] = edges.src[i]!;
    out.dst[j] = edges.dst[i]!;
    out.weight[j] = edges.weight[i]!;
    out.kind[j] = edges.kind[i]!;
  }
  return out;
}

export function toGraph(topology: Topology, adjacentRelationshipsMax: number): TopologyGraph {
  const { edges, sizes, offsets, N } = topology;
  const layers = sizes.map((size, index) => ({ index, size, offset: offsets[index]! }));
  let adjacentCount = 0;
  for (let i = 0; i < edges.count; i++) if (edges.kind[i] === EDGE_KIND_CODE.adjacent) adjacentCount++;
  const adjacentStorage: AdjacentStorage = adjacentCount <= adjacentRelationshipsMax ? 'relationships' : 'blocks';

  const order = canonicalOrder(edges, N);
  const layerOf = layerOfNeurons(offsets, N);
  // Group key: kind code, lower layer, upper layer packed in one number (this loop runs 1.27 M times).
  const groups = new Map<number, { kind: EdgeKind; from: number; to: number; positions: number[] }>();
  const relationshipPositions: Record<EdgeKind, number[]> = { adjacent: [], intralayer: [], skip: [] };
  const adjacentAsRelationships = adjacentStorage === 'relationships';
  for (let k = 0; k < edges.count; k++) {
    const i = order ? order[k]! : k; // visit connections in (src, dst) order
    const code = edges.kind[i]!;
    const from = layerOf[edges.src[i]!]!,
      to = layerOf[edges.dst[i]!]!;
    const key = (code * 256 + from) * 256 + to;
    let group = groups.get(key);
    if (!group) {
      group = { kind: EDGE_KINDS[code]!, from, to, positions: [] };
      groups.set(key, group);
    }
    group.positions.push(i);
    if (code !== EDGE_KIND_CODE.adjacent || adjacentAsRelationships) relationshipPositions[group.kind].push(i);
  }
  const blocks = [...groups.values()].map(({ kind, from, to, positions }) => ({
    kind,
    from,
    to,
    count: positions.length,
    connections: encodeConnections({ edges: pick(edges, positions), biases: new Float32Array(0) }),
  }));
  const columns = (positions: number[]): RelationshipColumns => {
    const { src, dst } = pick(edges, positions);
    return { src, dst };
  };
  return {
    layers,
    adjacentStorage,
    blocks,
    relationships: {
      adjacent: columns(relationshipPositions.adjacent),
      intralayer: columns(relationshipPositions.intralayer),
      skip: columns(relationshipPositions.skip),
    },
    edgeOrder: order ? int32ToBytes(order) : null,
  };
}

/** The stored pieces of one topology, as read back. */
export interface StoredPieces {
  total: number;
  N: number;
  neurons: { index: number[]; bias: number[] };
  blocks: Uint8Array[];
  edgeOrder: Uint8Array | null;
}

/** Rebuilds the edge list (in its saved order) and the biases from the stored pieces. */
export function fromGraph(pieces: StoredPieces): { edges: EdgeList; biases: Float32Array } {
  const { total, N } = pieces;
  const blocks = pieces.blocks.map((blob) => decodeConnections(blob).edges);
  const stored = blocks.reduce((sum, b) => sum + b.count, 0);
  if (stored !== total) throw corrupt(`${stored} connections in blocks, ${total} recorded`);
  const order = pieces.edgeOrder ? bytesToInt32(pieces.edgeOrder) : null;
  if (order && order.length !== total) throw corrupt('edge order and connections differ in length');

  // k-way merge of the (src, dst)-sorted blocks; a dozen blocks, so a linear scan of the heads.
  const out: EdgeList = {
    count: total,
    src: new Int32Array(total),
    dst: new Int32Array(total),
    weight: new Float32Array(total),
    kind: new Uint8Array(total),
  };
  const head = blocks.map(() => 0);
  for (let k = 0; k < total; k++) {
    let best = -1,
      bestKey = Infinity;
    for (let b = 0; b < blocks.length; b++) {
      const block = blocks[b]!,
        h = head[b]!;
      if (h < block.count) {
        const key = block.src[h]! * N + block.dst[h]!;
        if (key < bestKey) {
          bestKey = key;
          best = b;
        }
      }
    }
    const block = blocks[best]!,
      h = head[best]!++;
    const to = order ? order[k]! : k; // the k-th smallest connection was saved at position order[k]
    out.src[to] = block.src[h]!;
    out.dst[to] = block.dst[h]!;
    out.weight[to] = block.weight[h]!;
    out.kind[to] = block.kind[h]!;
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
  return new EqpropError(
    'store',
    `stored topology is inconsistent: ${what}; expected every connection and neuron exactly once (re-save the ` +
      `topology)`,
  );
}
