/**
 * What the user has chosen to see, apart from the graph data and from sigma: kind toggles, which
 * layer-skipping pairs are shown, whether skips are drawn individually or as bundles, the hovered
 * and selected neuron. Pure decisions (`edgeVisible`, `nodeHighlighted`) read this state only.
 */
import type { EdgeAttributes } from './model.js';

export interface ViewState {
  showAdjacent: boolean;
  showIntralayer: boolean;
  showSkip: boolean;
  /** Skip pairs ("a-b") the user switched off. */
  hiddenPairs: Set<string>;
  skipAs: 'edges' | 'bundles';
  hovered: string | null;
  selected: string | null;
  /** A run's trained skip weights (explorer/trained-weights.ts), or null for the topology as built. */
  trained: TrainedSkipWeights | null;
}

/** Trained weights of the skip connections, keyed by skipKey(a, b); width and colour follow |w|. */
export interface TrainedSkipWeights {
  runId: string;
  weights: Map<string, number>;
  maxAbs: number;
  /** Connections with |w| below this are not drawn. */
  threshold: number;
}

/** The key of the skip connection joining neuron nodes a and b, in either order. */
export function skipKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** The trained |w| of a skip connection, or null when no run is shown or the connection fell below the threshold. */
export function trainedWeight(state: ViewState, edge: EdgeAttributes): number | null {
  if (!state.trained || !edge.ends) return null;
  const w = state.trained.weights.get(skipKey(edge.ends[0], edge.ends[1]));
  return w === undefined || Math.abs(w) < state.trained.threshold ? null : w;
}

export function initialViewState(skipEdgeCount: number): ViewState {
  return {
    showAdjacent: true,
    showIntralayer: true,
    showSkip: true,
    hiddenPairs: new Set(),
    // WebGL draws the paper's ~92,000 skip lines smoothly, but thousands of overlapping straight
    // lines read as a solid wash: start with bundles then, and show single lines per neuron on hover.
    skipAs: skipEdgeCount > 3000 ? 'bundles' : 'edges',
    hovered: null,
    selected: null,
    trained: null,
  };
}

/**
 * Whether an edge is drawn. `touchesFocus`: the edge is a skip connection of the hovered or
 * selected neuron — drawn even in bundle mode, so a neuron's own skip connections always show.
 */
export function edgeVisible(state: ViewState, edge: EdgeAttributes, touchesFocus = false): boolean {
  switch (edge.kind) {
    case 'adjacent-bundle':
      return state.showAdjacent;
    case 'skip-bundle':
      return state.showSkip && state.skipAs === 'bundles' && !state.hiddenPairs.has(edge.pair);
    case 'skip':
      if (state.trained && trainedWeight(state, edge) === null) return false; // under the |w| threshold
      return state.showSkip && (state.skipAs === 'edges' || touchesFocus) && !state.hiddenPairs.has(edge.pair);
  }
}

/** The neuron whose connections are emphasised: the hovered one, else the selected one. */
export function focusNode(state: ViewState): string | null {
  return state.hovered ?? state.selected;
}
