/**
 * Draws the explorer model with sigma. All decisions about what is visible come from the view
 * state (view-state.ts) through sigma's reducers; this module only wires sigma's events to the
 * callbacks and asks for a refresh when the state changes.
 */
import Sigma from 'sigma';
import type { ExplorerGraph, NodeAttributes, EdgeAttributes } from './model.js';
import { edgeVisible, focusNode, type ViewState } from './view-state.js';

export interface RendererCallbacks {
  onHover(node: string | null): void;
  onClick(node: string | null): void;
}

export class ExplorerRenderer {
  readonly sigma: Sigma<NodeAttributes, EdgeAttributes>;
  private focusNeighbours = new Set<string>();
  private focus: string | null = null;

  constructor(container: HTMLElement, private readonly graph: ExplorerGraph, private readonly state: ViewState, callbacks: RendererCallbacks) {
    const manyEdges = graph.size > 30_000;
    this.sigma = new Sigma(graph, container, {
      renderEdgeLabels: true,
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
  }

  /** Re-read the view state (after a filter, hover or selection change) and redraw. */
  refresh(): void {
    const focus = focusNode(this.state);
    if (focus !== this.focus) {
      this.focus = focus;
      this.focusNeighbours = new Set();
      if (focus && this.graph.hasNode(focus)) {
        this.graph.forEachEdge(focus, (_e, attrs, source, target) => {
          if (edgeVisible(this.state, attrs, true)) this.focusNeighbours.add(source === focus ? target : source);
        });
      }
    }
    this.sigma.refresh();
  }

  private reduceNode(node: string, data: NodeAttributes): Partial<NodeAttributes & { highlighted: boolean; zIndex: number; hidden: boolean }> {
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

  private reduceEdge(edge: string, data: EdgeAttributes): Partial<EdgeAttributes & { hidden: boolean; zIndex: number }> {
    let touchesFocus = false;
    if (this.focus && data.kind === 'skip') {
      const [s, t] = this.graph.extremities(edge);
      touchesFocus = s === this.focus || t === this.focus;
    }
    if (!edgeVisible(this.state, data, touchesFocus)) return { ...data, hidden: true };
    if (touchesFocus) return { ...data, color: '#c81e28', size: 1.5, zIndex: 2 };
    if (this.focus && data.kind === 'skip') return { ...data, color: '#f8dcdc' };
    return data;
  }

  kill(): void {
    this.sigma.kill();
  }
}
