/**
 * Draws the explorer model with sigma. All decisions about what is visible come from the view
 * state (view-state.ts) through sigma's reducers; this module only wires sigma's events to the
 * callbacks and asks for a refresh when the state changes.
 */
import Sigma from 'sigma';
import type { ExplorerGraph, NodeAttributes, EdgeAttributes } from './model.js';
import { edgeVisible, focusNode, trainedWeight, type ViewState } from './view-state.js';

export interface RendererCallbacks {
  onHover(node: string | null): void;
  onClick(node: string | null): void;
}

export class ExplorerRenderer {
  readonly sigma: Sigma<NodeAttributes, EdgeAttributes>;
  private focusNeighbours = new Set<string>();
  private focus: string | null = null;

  constructor(
    container: HTMLElement,
    private readonly graph: ExplorerGraph,
    private readonly state: ViewState,
    callbacks: RendererCallbacks,
  ) {
    const manyEdges = graph.size > 30_000;
    this.sigma = new Sigma(graph, container, {
      renderEdgeLabels: false, // bundle counts are in the side panel (explorer/model.ts says why)
      enableEdgeEvents: false,
      hideEdgesOnMove: manyEdges,
      labelRenderedSizeThreshold: 0,
      labelDensity: 1,
      // Labels are drawn right of their node: the default 30 px cut "output · 10" off at the right edge.
      stagePadding: 90,
      zIndex: true,
      defaultEdgeType: 'line',
      edgeLabelSize: 11,
      labelSize: 12,
      nodeReducer: (node, data) => this.reduceNode(node, data),
      edgeReducer: (edge, data) => this.reduceEdge(edge, data),
    });
    this.sigma.on('enterNode', ({ node }) => callbacks.onHover(node));
    this.sigma.on('leaveNode', () => callbacks.onHover(null));
    this.sigma.on('clickNode', ({ node }) => callbacks.onClick(node));
    this.sigma.on('clickStage', () => callbacks.onClick(null));
    // Frames drawn, counted on the container (the constructor drew the first): a browser test waits
    // for a frame drawn after a change before it looks at the canvas.
    let frames = 1;
    container.dataset.frames = String(frames);
    this.sigma.on('afterRender', () => {
      container.dataset.frames = String(++frames);
    });
  }

  /** Re-read the view state (after a filter, hover or selection change) and redraw. */
  refresh(): void {
    const focus = focusNode(this.state);
    if (focus !== this.focus) {
      this.focus = focus;
      this.focusNeighbours = new Set();
      if (focus && this.graph.hasNode(focus)) {
        // A routed skip connection leaves its neuron towards a waypoint: its `ends` name the neurons.
        this.graph.forEachEdge(focus, (_e, attrs, source, target) => {
          if (!edgeVisible(this.state, attrs, true)) return;
          const [a, b] = attrs.ends ?? [source, target];
          this.focusNeighbours.add(a === focus ? b : a);
        });
      }
    }
    this.sigma.refresh();
  }

  private reduceNode(
    node: string,
    data: NodeAttributes,
  ): Partial<NodeAttributes & { highlighted: boolean; zIndex: number; hidden: boolean }> {
    if (data.waypoint) return data;
    const out: Partial<NodeAttributes & { highlighted: boolean; zIndex: number }> = { ...data };
    if (data.anchor && !this.state.showIntralayer) {
      out.label = data.plainLabel;
      out.size = 6;
    }
    if (this.focus) {
      if (node === this.focus) {
        out.highlighted = true;
        out.size = Math.max(data.size * 2.5, 5);
        out.zIndex = 2;
        out.label = `neuron ${data.neuron}`;
      } else if (this.focusNeighbours.has(node)) {
        out.size = Math.max(data.size * 1.8, 3);
        out.zIndex = 1;
      } else if (!data.anchor) {
        out.color = '#d0d0d0';
      }
    }
    return out;
  }

  private reduceEdge(
    edge: string,
    data: EdgeAttributes,
  ): Partial<EdgeAttributes & { hidden: boolean; zIndex: number }> {
    let touchesFocus = false;
    if (this.focus && data.kind === 'skip') {
      const [s, t] = data.ends ?? this.graph.extremities(edge);
      touchesFocus = s === this.focus || t === this.focus;
    }
    if (!edgeVisible(this.state, data, touchesFocus)) return { ...data, hidden: true };
    // Trained weights: width ∝ |w| (0.5 to 4 px), so the connections the training used stand out.
    const w = trainedWeight(this.state, data);
    const trained =
      w === null || !this.state.trained ? {} : { size: 0.5 + (3.5 * Math.abs(w)) / this.state.trained.maxAbs };
    if (touchesFocus) return { ...data, ...trained, color: '#c81e28', zIndex: 2 };
    if (this.focus && data.kind === 'skip') return { ...data, ...trained, color: 'rgba(190,190,190,0.35)' };
    return { ...data, ...trained };
  }

  kill(): void {
    this.sigma.kill();
  }
}
