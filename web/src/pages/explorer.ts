/**
 * Explorer page: pick a topology, see neurons in layer columns, adjacent blocks as bundles,
 * intralayer density on the layer anchors, skip connections drawn (or bundled) and filterable by
 * layer pair; hover a neuron for its degree, click it for its connections.
 */
import { api, type GraphView, type NeuronView, type TopologyRecord } from '../api.js';
import { h, showError, fmtNum } from '../dom.js';
import { byTopologySpec, topologyOptionLabel } from '../topology-label.js';
import type { Page } from '../main.js';
import {
  buildExplorerGraph, layerName, LAYER_COLOURS, neuronKey, skipPairs, type ExplorerGraph,
} from '../explorer/model.js';
import { initialViewState, type ViewState } from '../explorer/view-state.js';
import { ExplorerRenderer } from '../explorer/renderer.js';

export const renderExplorer: Page = (root, args, params) => {
  const picker = h('select', { 'data-testid': 'explorer-topology' }, h('option', { value: '' }, 'choose a topology…'));
  const summary = h('span', { class: 'muted', 'data-testid': 'explorer-summary' });
  const controls = h('div', { class: 'explorer-controls' });
  const info = h('div', { class: 'explorer-info', 'data-testid': 'neuron-info' }, h('p', { class: 'muted' }, 'Hover a neuron for its degree; click it for its connections.'));
  const stage = h('div', { class: 'explorer-stage', 'data-testid': 'explorer-stage' });
  root.append(
    h('div', { class: 'card row' }, h('label', {}, 'Topology ', picker), summary),
    h('div', { class: 'explorer' }, h('div', { class: 'explorer-side' }, info, controls), stage),
  );

  let renderer: ExplorerRenderer | null = null;
  let loading = 0;

  api<TopologyRecord[]>('/api/topologies?limit=500').then((rows) => {
    for (const t of [...rows].sort(byTopologySpec)) picker.append(h('option', { value: t.id }, topologyOptionLabel(t)));
    const wanted = args[0] ?? rows[0]?.id;
    if (wanted) {
      picker.value = wanted;
      load(wanted).catch(showError);
    }
  }).catch(showError);
  picker.addEventListener('change', () => {
    if (picker.value) location.hash = `#/explorer/${encodeURIComponent(picker.value)}`;
  });

  async function load(id: string): Promise<void> {
    const ticket = ++loading;
    summary.textContent = 'loading…';
    const t0 = performance.now();
    const view = await api<GraphView>(`/api/topologies/${encodeURIComponent(id)}/graph`);
    if (ticket !== loading) return;
    const t1 = performance.now();
    const graph = buildExplorerGraph(view);
    const state = initialViewState(view.skip.src.length);
    renderer?.kill();
    renderer = new ExplorerRenderer(stage, graph, state, {
      onHover: (node) => { state.hovered = node; renderer!.refresh(); showHover(graph, view, node ?? state.selected); },
      onClick: (node) => { state.selected = node && !graph.getNodeAttribute(node, 'anchor') ? node : null; renderer!.refresh(); void showNeuron(id, graph, view, state.selected); },
    });
    buildControls(view, state);
    // Deep link: #/explorer/<id>?neuron=<global index> selects that neuron.
    const wanted = Number(params.get('neuron') ?? NaN);
    if (Number.isInteger(wanted) && wanted >= 0 && wanted < view.N) {
      state.selected = neuronKey(wanted);
      renderer.refresh();
      void showNeuron(id, graph, view, state.selected);
    }
    stage.dataset.ready = 'true';
    summary.textContent = `${fmtNum(view.N)} neurons · ${fmtNum(view.blocks.reduce((s, b) => s + b.count, 0))} connections · ${fmtNum(view.skip.src.length)} skip connections (${state.skipAs === 'edges' ? 'drawn individually' : 'bundled; a neuron\'s own show on hover'}) · data ${Math.round(t1 - t0)} ms, graph ${Math.round(performance.now() - t1)} ms`;
  }

  function buildControls(view: GraphView, state: ViewState): void {
    const refresh = () => renderer?.refresh();
    const toggle = (label: string, get: () => boolean, set: (v: boolean) => void, testid: string) => {
      const box = h('input', { type: 'checkbox', checked: get(), 'data-testid': testid });
      box.addEventListener('change', () => { set(box.checked); refresh(); });
      return h('label', { class: 'block' }, box, ` ${label}`);
    };
    const K = view.sizes.length;
    const pairs = skipPairs(view);
    const skipMode = h('select', {}, h('option', { value: 'edges' }, 'individual edges'), h('option', { value: 'bundles' }, 'bundles per layer pair'));
    skipMode.value = state.skipAs;
    skipMode.addEventListener('change', () => { state.skipAs = skipMode.value as ViewState['skipAs']; refresh(); });
    // The colours explorer/model.ts draws with, so a reader can tell the connection kinds apart.
    const swatch = (colour: string, text: string, line = true) => h('div', { class: 'legend-item' },
      h('span', { class: line ? 'swatch line' : 'swatch dot', style: `background:${colour}` }), ` ${text}`);
    controls.replaceChildren(
      h('h3', {}, 'Legend'),
      h('div', { 'data-testid': 'explorer-legend' },
        swatch('rgba(90,90,90,0.55)', 'adjacent-layer block (width ∝ density)'),
        swatch('rgba(225,87,89,0.6)', 'layer-skipping bundle'),
        swatch('#ef9a9b', 'layer-skipping connection'),
        swatch('#c81e28', 'connections of the selected neuron'),
        h('div', { class: 'legend-item muted' }, 'intralayer: ring size and label on each hidden layer\'s anchor'),
        h('div', { class: 'legend-item' },
          ...LAYER_COLOURS.slice(0, K).map((c) => h('span', { class: 'swatch dot', style: `background:${c}` })),
          ' neurons, one colour per layer')),
      h('h3', {}, 'Show'),
      toggle('adjacent-layer blocks (bundles)', () => state.showAdjacent, (v) => { state.showAdjacent = v; }, 'show-adjacent'),
      toggle('intralayer blocks (on layer labels)', () => state.showIntralayer, (v) => { state.showIntralayer = v; }, 'show-intralayer'),
      toggle('layer-skipping connections', () => state.showSkip, (v) => { state.showSkip = v; }, 'show-skip'),
      h('label', { class: 'block' }, 'skip connections as ', skipMode),
      h('h3', {}, 'Skip connections by layer pair'),
      pairs.length === 0 ? h('p', { class: 'muted' }, 'none') : h('div', {}, ...pairs.map((b) => {
        const key = `${b.from}-${b.to}`;
        return toggle(`${layerName(b.from, K)}–${layerName(b.to, K)}: ${fmtNum(b.count)} (${(b.density * 100).toFixed(b.density < 0.01 ? 3 : 2)}%)`,
          () => !state.hiddenPairs.has(key), (v) => { if (v) state.hiddenPairs.delete(key); else state.hiddenPairs.add(key); }, `pair-${key}`);
      })),
      h('h3', {}, 'Blocks'),
      h('table', { class: 'data small' },
        h('tr', {}, h('th', {}, 'layers'), h('th', {}, 'kind'), h('th', {}, 'connections'), h('th', {}, 'density')),
        ...view.blocks.map((b) => h('tr', {}, h('td', {}, b.from === b.to ? layerName(b.from, K) : `${layerName(b.from, K)}–${layerName(b.to, K)}`), h('td', {}, b.kind), h('td', {}, fmtNum(b.count)), h('td', {}, `${(b.density * 100).toFixed(b.density < 0.01 ? 3 : 1)}%`)))),
    );
  }

  function showHover(graph: ExplorerGraph, view: GraphView, node: string | null): void {
    if (!node) return;
    const a = graph.getNodeAttributes(node);
    if (a.anchor) {
      info.replaceChildren(h('h3', {}, `Layer ${layerName(a.layer, view.sizes.length)}`), h('p', {}, `${view.sizes[a.layer]} neurons`));
      return;
    }
    const i = a.neuron;
    const d = { adjacent: view.degree.adjacent[i]!, intralayer: view.degree.intralayer[i]!, skip: view.degree.skip[i]! };
    info.replaceChildren(
      h('h3', {}, `Neuron ${i}`),
      h('p', {}, `layer ${layerName(a.layer, view.sizes.length)}, index ${i - view.offsets[a.layer]!}`),
      h('p', { 'data-testid': 'neuron-degree' }, `degree ${d.adjacent + d.intralayer + d.skip}: ${d.adjacent} adjacent, ${d.intralayer} intralayer, ${d.skip} skip`),
    );
  }

  async function showNeuron(id: string, graph: ExplorerGraph, view: GraphView, node: string | null): Promise<void> {
    if (!node) return;
    const n = await api<NeuronView>(`/api/topologies/${encodeURIComponent(id)}/neurons/${graph.getNodeAttribute(node, 'neuron')}`).catch((e) => { showError(e); return null; });
    if (!n) return;
    info.dataset.neuron = String(n.neuron);
    const K = view.sizes.length;
    info.replaceChildren(
      h('h3', {}, `Neuron ${n.neuron} (selected)`),
      h('p', {}, `layer ${layerName(n.layer, K)}, index ${n.index}, bias ${n.bias.toFixed(4)}`),
      h('p', { 'data-testid': 'neuron-degree' }, `degree ${n.degree.total}: ${n.degree.adjacent} adjacent, ${n.degree.intralayer} intralayer, ${n.degree.skip} skip`),
      h('table', { class: 'data small' }, h('tr', {}, h('th', {}, 'to layer'), h('th', {}, 'kind'), h('th', {}, 'count')),
        ...n.byLayer.map((c) => h('tr', {}, h('td', {}, layerName(c.layer, K)), h('td', {}, c.kind), h('td', {}, String(c.count))))),
      n.skipNeighbours.length ? h('details', { open: n.skipNeighbours.length <= 20 }, h('summary', {}, `skip neighbours (${n.skipNeighbours.length}${n.skipNeighboursTruncated ? '+' : ''})`),
        h('ul', {}, ...n.skipNeighbours.map((s) => h('li', {}, `neuron ${s.neuron} (${layerName(s.layer, K)} #${s.index}), w = ${s.weight.toFixed(4)}`)))) : '',
    );
  }

  return () => { loading++; renderer?.kill(); renderer = null; };
};
