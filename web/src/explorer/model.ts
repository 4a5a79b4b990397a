/**
 * The explorer's model: a graphology graph built from the server's compact GraphView, with every
 * position and size decided here, independent of how sigma draws it.
 *
 * - Neurons sit in one column per layer, spread over the same height whatever the layer size.
 * - Each layer has an anchor node above its column; adjacent-layer blocks are ONE bundle edge
 *   between anchors (thickness ∝ density), intralayer blocks are shown on the anchor (ring size
 *   and label), and layer-skipping blocks may also be drawn as bundles. Anchors sit on an arc,
 *   so a skip bundle (a chord of the arc) never lies on top of the adjacent bundles it spans.
 * - Layer-skipping connections are the only individual edges (attribute `pair` = "a-b"), coloured by
 *   layer pair. Up to ROUTED_SKIP_LIMIT of them are routed below the columns (down from the source, along
 *   a lane, up to the target, through two invisible waypoints), so input→h3 lines never cross the middle
 *   layers' columns; longer spans run in lower lanes, each connection at its own height in its pair's band.
 * - Bundles carry no edge label: on deep nets a chord's midpoint falls on the anchor of the layer it
 *   spans and an adjacent bundle's midpoint under its left anchor's label, where the labels collided;
 *   the counts and densities are in the side panel (pair toggles and the Blocks table).
 * - Each skip pair runs in its own band of lanes (pairs ordered by span, then by first layer), so
 *   pairs of the same span (input–h2, h1–h3) do not share lanes where they overlap.
 */
import Graph from 'graphology';
import type { GraphView, BlockAggregate } from '../../../server/graph-view.js';

export type ExplorerEdgeKind = 'adjacent-bundle' | 'skip-bundle' | 'skip';

/** Above this many skip connections they are drawn straight (three edges and two nodes each would be too many). */
export const ROUTED_SKIP_LIMIT = 20_000;

/** One colour per layer-skipping pair (ColorBrewer Dark2, then Tableau), apart from the layers' neuron colours. */
export const PAIR_COLOURS = [
  '#d95f02',
  '#7570b3',
  '#e7298a',
  '#1b9e77',
  '#66a61e',
  '#e6ab02',
  '#a6761d',
  '#666666',
  '#17becf',
  '#8c564b',
  '#bcbd22',
  '#393b79',
];

export interface NodeAttributes {
  x: number;
  y: number;
  size: number;
  color: string;
  label: string | null;
  /** Anchor label without the intralayer part (shown when intralayer is switched off). */
  plainLabel: string | null;
  layer: number;
  /** Global neuron index, or -1 for a layer anchor or a waypoint. */
  neuron: number;
  anchor: boolean;
  /** An invisible bend of a routed skip connection. */
  waypoint?: boolean;
}

export interface EdgeAttributes {
  size: number;
  color: string;
  kind: ExplorerEdgeKind;
  /** "a-b" layers, a < b. */
  pair: string;
  label?: string;
  /** For skip connections (each segment of a routed one): the two neurons it joins. */
  ends?: [string, string];
}

export type ExplorerGraph = Graph<NodeAttributes, EdgeAttributes>;

export const COLUMN_SPACING = 100;
export const COLUMN_HEIGHT = 160;
export const LAYER_COLOURS = [
  '#4e79a7',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#e15759',
  '#76b7b2',
  '#ff9da7',
  '#9c755f',
  '#f28e2b',
  '#bab0ac',
];

export const neuronKey = (i: number): string => `n${i}`;
export const anchorKey = (l: number): string => `L${l}`;

export function layerName(l: number, layers: number): string {
  return l === 0 ? 'input' : l === layers - 1 ? 'output' : `h${l}`;
}

export function neuronPosition(view: Pick<GraphView, 'sizes'>, layer: number, index: number): { x: number; y: number } {
  const size = view.sizes[layer]!;
  const t = size === 1 ? 0.5 : index / (size - 1);
  // sigma's y axis points up (the anchors' arc sits at positive y, above the columns), so neuron 0
  // of each layer goes at +H/2: the top of its column, where a reader starts counting.
  return { x: layer * COLUMN_SPACING, y: (0.5 - t) * COLUMN_HEIGHT };
}

/** Skip-pair keys present in the view, e.g. ["0-2", "0-3", "1-3"], with their aggregates. */
export function skipPairs(view: GraphView): BlockAggregate[] {
  return view.blocks.filter((b) => b.kind === 'skip');
}

/** The colour of skip pair "a-b": by its rank among the view's skip pairs, so no two pairs share one. */
export function pairColours(view: GraphView): Map<string, string> {
  return new Map(skipPairs(view).map((b, i) => [`${b.from}-${b.to}`, PAIR_COLOURS[i % PAIR_COLOURS.length]!]));
}

/** The lane (depth below the columns) of a routed skip connection: the k-th pair (by span) gets band k. */
export function laneY(band: number, rankInPair: number, pairCount: number): number {
  const height = 30;
  const top = COLUMN_HEIGHT / 2 + 14 + band * (height + 8);
  return -(top + height * (pairCount <= 1 ? 0.5 : rankInPair / (pairCount - 1)));
}

/** Anchors on an arc above the columns: highest in the middle, ends just above the columns. */
export function anchorY(layer: number, layers: number): number {
  const t = layers <= 1 ? 0.5 : layer / (layers - 1);
  return COLUMN_HEIGHT / 2 + 18 + 0.35 * COLUMN_HEIGHT * Math.sin(Math.PI * t);
}

export function buildExplorerGraph(view: GraphView): ExplorerGraph {
  const graph: ExplorerGraph = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
  const K = view.sizes.length;
  // Node radius (screen pixels) shrinks with the column's size: 10 output neurons are dots,
  // 784 input neurons a dense column.
  const radiusOf = (size: number) => Math.max(1.2, Math.min(6, 300 / size));
  for (let l = 0; l < K; l++) {
    const intra = view.blocks.find((b) => b.kind === 'intralayer' && b.from === l);
    graph.addNode(anchorKey(l), {
      x: l * COLUMN_SPACING,
      y: anchorY(l, K),
      size: 6 + (intra ? 6 * intra.density : 0),
      color: LAYER_COLOURS[l % LAYER_COLOURS.length]!,
      label: `${layerName(l, K)} · ${view.sizes[l]}${intra ? ` · intra ${(intra.density * 100).toFixed(0)}%` : ''}`,
      plainLabel: `${layerName(l, K)} · ${view.sizes[l]}`,
      layer: l,
      neuron: -1,
      anchor: true,
    });
    for (let i = 0; i < view.sizes[l]!; i++) {
      const global = view.offsets[l]! + i;
      graph.addNode(neuronKey(global), {
        ...neuronPosition(view, l, i),
        size: radiusOf(view.sizes[l]!),
        color: LAYER_COLOURS[l % LAYER_COLOURS.length]!,
        label: null,
        plainLabel: null,
        layer: l,
        neuron: global,
        anchor: false,
      });
    }
  }
  // Skip densities are small (the paper's are ≈ 9 %), so their bundles scale to the densest skip pair.
  const pairColoursOf = pairColours(view);
  const maxSkipDensity = Math.max(1e-9, ...view.blocks.filter((b) => b.kind === 'skip').map((b) => b.density));
  for (const b of view.blocks) {
    if (b.kind === 'intralayer') continue;
    graph.addEdgeWithKey(`bundle:${b.from}-${b.to}`, anchorKey(b.from), anchorKey(b.to), {
      size: b.kind === 'adjacent' ? 1 + 9 * b.density : 1.5 + 5 * (b.density / maxSkipDensity),
      color: b.kind === 'adjacent' ? 'rgba(90,90,90,0.55)' : pairColoursOf.get(`${b.from}-${b.to}`)!,
      kind: b.kind === 'adjacent' ? 'adjacent-bundle' : 'skip-bundle',
      pair: `${b.from}-${b.to}`,
    });
  }
  const layerOf = (i: number): number => {
    let l = 0;
    while (view.offsets[l + 1]! <= i) l++;
    return l;
  };
  const colours = pairColours(view);
  const routed = view.skip.src.length <= ROUTED_SKIP_LIMIT;
  const rank = new Map<string, number>();
  const counts = new Map(skipPairs(view).map((b) => [`${b.from}-${b.to}`, b.count]));
  const bands = new Map(
    skipPairs(view)
      .sort((x, y) => x.to - x.from - (y.to - y.from) || x.from - y.from)
      .map((b, k) => [`${b.from}-${b.to}`, k]),
  );
  for (let e = 0; e < view.skip.src.length; e++) {
    const s = view.skip.src[e]!;
    const d = view.skip.dst[e]!;
    const a = layerOf(s),
      b = layerOf(d);
    const pair = `${a}-${b}`;
    const attrs = {
      size: 1,
      color: colours.get(pair) ?? PAIR_COLOURS[0]!,
      kind: 'skip' as const,
      pair,
      ends: [neuronKey(s), neuronKey(d)] as [string, string],
    };
    if (!routed) {
      graph.addEdgeWithKey(`skip:${s}-${d}`, neuronKey(s), neuronKey(d), attrs);
      continue;
    }
    const k = rank.get(pair) ?? 0;
    rank.set(pair, k + 1);
    const y = laneY(bands.get(pair) ?? 0, k, counts.get(pair) ?? 1);
    const w1 = `w:${s}-${d}:0`,
      w2 = `w:${s}-${d}:1`;
    const bend = {
      size: 0.01,
      color: 'rgba(0,0,0,0)',
      label: null,
      plainLabel: null,
      neuron: -1,
      anchor: false,
      waypoint: true,
    };
    graph.addNode(w1, { ...bend, x: a * COLUMN_SPACING + 0.18 * COLUMN_SPACING, y, layer: a });
    graph.addNode(w2, { ...bend, x: b * COLUMN_SPACING - 0.18 * COLUMN_SPACING, y, layer: b });
    graph.addEdgeWithKey(`skip:${s}-${d}:0`, neuronKey(s), w1, attrs);
    graph.addEdgeWithKey(`skip:${s}-${d}:1`, w1, w2, attrs);
    graph.addEdgeWithKey(`skip:${s}-${d}:2`, w2, neuronKey(d), attrs);
  }
  return graph;
}
