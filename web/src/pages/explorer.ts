/**
 * Explorer page: pick a topology, see neurons in layer columns, adjacent blocks as bundles,
 * intralayer density on the layer anchors, skip connections drawn (routed below the columns,
 * coloured by layer pair) or bundled, and filterable by layer pair; hover a neuron for its degree,
 * click it for its connections. Fit the view, find a neuron, export PNG or SVG, and overlay a run's
 * trained weights (width ∝ |w|, threshold). The selected neuron, run and threshold are in the URL:
 * #/explorer/<id>?neuron=790&run=<runId>&minw=0.05.
 */
import { api, type GraphView, type NeuronView, type RunRecord, type TopologyRecord } from '../api.js';
import { h, showError, fmtNum, shortId } from '../dom.js';
import { byTopologySpec, topologyOptionLabel } from '../topology-label.js';
import type { Page } from '../main.js';
import { writeHashParams } from '../url-state.js';
import {
  buildExplorerGraph,
  layerName,
  LAYER_COLOURS,
  neuronKey,
  pairColours,
  skipPairs,
  type ExplorerGraph,
} from '../explorer/model.js';
import { initialViewState, type ViewState } from '../explorer/view-state.js';
import { ExplorerRenderer } from '../explorer/renderer.js';
import { download, viewAsPng, viewAsSvg } from '../explorer/export-view.js';
import { loadTrainedWeights, type RunWeightsResponse } from '../explorer/trained-weights.js';

const HINT = 'Hover a neuron for its degree; click it for its connections.';

export const renderExplorer: Page = (root, args, params) => {
  const picker = h('select', { 'data-testid': 'explorer-topology' }, h('option', { value: '' }, 'choose a topology…'));
  const summary = h('span', { class: 'muted', 'data-testid': 'explorer-summary' });
  const failure = h('p', { class: 'error', 'data-testid': 'explorer-error', hidden: true });
  const controls = h('div', { class: 'explorer-controls' });
  const info = h('div', { class: 'explorer-info', 'data-testid': 'neuron-info' }, h('p', { class: 'muted' }, HINT));
  const stage = h('div', { class: 'explorer-stage', 'data-testid': 'explorer-stage' });
  root.append(
    h('div', { class: 'card row' }, h('label', {}, 'Topology ', picker), summary),
    failure,
    h('div', { class: 'explorer' }, h('div', { class: 'explorer-side' }, info, controls), stage),
  );

  let renderer: ExplorerRenderer | null = null;
  let loading = 0;

  api<TopologyRecord[]>('/api/topologies?limit=500')
    .then((rows) => {
      for (const t of [...rows].sort(byTopologySpec))
        picker.append(h('option', { value: t.id }, topologyOptionLabel(t)));
      const wanted = args[0] ?? rows[0]?.id;
      if (wanted) {
        picker.value = wanted;
        // An id that is not listed is still asked for: the server's 404 says what is wrong.
        load(wanted).catch(fail);
      } else summary.textContent = 'No topologies yet: build one on the Topologies page.';
    })
    .catch(fail);
  picker.addEventListener('change', () => {
    if (picker.value) location.hash = `#/explorer/${encodeURIComponent(picker.value)}`;
  });

  /** A topology that cannot be shown: say why where the view would be, and stop loading. */
  function fail(e: unknown): void {
    loading++;
    summary.textContent = '';
    failure.textContent = `Cannot show this topology: ${e instanceof Error ? e.message : String(e)}`;
    failure.hidden = false;
    stage.dataset.error = 'true';
    showError(e);
  }

  async function load(id: string): Promise<void> {
    const ticket = ++loading;
    summary.textContent = 'loading…';
    const t0 = performance.now();
    const view = await api<GraphView>(`/api/topologies/${encodeURIComponent(id)}/graph`);
    if (ticket !== loading) return;
    const t1 = performance.now();
    const graph = buildExplorerGraph(view);
    const state = initialViewState(view.skip.src.length);
    const timing = `data ${Math.round(t1 - t0)} ms, graph ${Math.round(performance.now() - t1)} ms`;
    renderer?.kill();
    const select = (node: string | null) => {
      state.selected = node;
      renderer!.refresh();
      writeHashParams({ neuron: node === null ? null : graph.getNodeAttribute(node, 'neuron') });
      if (node === null) {
        delete info.dataset.neuron;
        delete info.dataset.pending;
        info.replaceChildren(h('p', { class: 'muted' }, HINT)); // deselecting clears the panel
      } else {
        info.dataset.pending = node;
        void showNeuron(id, graph, view, node);
      }
    };
    const isNeuron = (node: string | null) => node !== null && graph.getNodeAttribute(node, 'neuron') >= 0;
    renderer = new ExplorerRenderer(stage, graph, state, {
      onHover: (node) => {
        if (node !== null && !isNeuron(node) && !graph.getNodeAttribute(node, 'anchor')) return; // a waypoint
        state.hovered = node;
        renderer!.refresh();
        showHover(graph, view, node ?? state.selected);
      },
      onClick: (node) => select(isNeuron(node) ? node : null),
    });
    const describe = () => {
      summary.textContent =
        `${fmtNum(view.N)} neurons · ${fmtNum(view.blocks.reduce((s, b) => s + b.count, 0))} connections · ` +
        `${fmtNum(view.skip.src.length)} skip connections (${
          state.skipAs === 'edges' ? 'drawn individually' : "bundled; a neuron's own show on hover"
        }) · ${timing}`;
      summary.dataset.skipAs = state.skipAs;
    };
    buildControls(id, view, state, describe, select);
    // Deep link: #/explorer/<id>?neuron=<global index> selects that neuron.
    const wanted = Number(params.get('neuron') ?? NaN);
    if (Number.isInteger(wanted) && wanted >= 0 && wanted < view.N) select(neuronKey(wanted));
    stage.dataset.ready = 'true';
    describe();
  }

  function buildControls(
    id: string,
    view: GraphView,
    state: ViewState,
    describe: () => void,
    select: (node: string | null) => void,
  ): void {
    const refresh = () => renderer?.refresh();
    const toggle = (label: string | Node, get: () => boolean, set: (v: boolean) => void, testid: string) => {
      const box = h('input', { type: 'checkbox', checked: get(), 'data-testid': testid });
      box.addEventListener('change', () => {
        set(box.checked);
        refresh();
      });
      return h('label', { class: 'block' }, box, ' ', label);
    };
    const K = view.sizes.length;
    const pairs = skipPairs(view);
    const colours = pairColours(view);
    const skipMode = h(
      'select',
      { 'data-testid': 'skip-mode' },
      h('option', { value: 'edges' }, 'individual edges'),
      h('option', { value: 'bundles' }, 'bundles per layer pair'),
    );
    skipMode.value = state.skipAs;
    skipMode.addEventListener('change', () => {
      state.skipAs = skipMode.value as ViewState['skipAs'];
      describe();
      refresh();
    });
    // The colours explorer/model.ts draws with, so a reader can tell the connection kinds apart.
    const swatch = (colour: string, text: string, line = true) =>
      h(
        'div',
        { class: 'legend-item' },
        h('span', { class: line ? 'swatch line' : 'swatch dot', style: `background:${colour}` }),
        ` ${text}`,
      );
    const pairLabel = (from: number, to: number, text: string) =>
      h(
        'span',
        { class: 'legend-item inline', 'data-pair': `${from}-${to}` },
        h('span', {
          class: 'swatch line',
          'data-colour': colours.get(`${from}-${to}`)!,
          style: `background:${colours.get(`${from}-${to}`)}`,
        }),
        ` ${text}`,
      );
    controls.replaceChildren(
      h('h3', {}, 'View'),
      viewControls(view, select),
      h('h3', {}, 'Legend'),
      h(
        'div',
        { 'data-testid': 'explorer-legend' },
        swatch('rgba(90,90,90,0.55)', 'adjacent-layer block (width ∝ density)'),
        h(
          'div',
          { class: 'legend-item muted' },
          'layer-skipping connections and bundles: one colour per layer pair (below); ' +
            'individual ones run below the columns',
        ),
        swatch('#c81e28', 'connections of the selected neuron'),
        h('div', { class: 'legend-item muted' }, "intralayer: ring size and label on each hidden layer's anchor"),
        h(
          'div',
          { class: 'legend-item' },
          ...LAYER_COLOURS.slice(0, K).map((c) => h('span', { class: 'swatch dot', style: `background:${c}` })),
          ' neurons, one colour per layer',
        ),
      ),
      h('h3', {}, 'Show'),
      toggle(
        'adjacent-layer blocks (bundles)',
        () => state.showAdjacent,
        (v) => {
          state.showAdjacent = v;
        },
        'show-adjacent',
      ),
      toggle(
        'intralayer blocks (on layer labels)',
        () => state.showIntralayer,
        (v) => {
          state.showIntralayer = v;
        },
        'show-intralayer',
      ),
      toggle(
        'layer-skipping connections',
        () => state.showSkip,
        (v) => {
          state.showSkip = v;
        },
        'show-skip',
      ),
      h('label', { class: 'block' }, 'skip connections as ', skipMode),
      h('h3', {}, 'Skip connections by layer pair'),
      pairs.length === 0
        ? h('p', { class: 'muted' }, 'none')
        : h(
            'div',
            { 'data-testid': 'pair-legend' },
            ...pairs.map((b) => {
              const key = `${b.from}-${b.to}`;
              const text =
                `${layerName(b.from, K)}–${layerName(b.to, K)}: ${fmtNum(b.count)} ` +
                `(${(b.density * 100).toFixed(b.density < 0.01 ? 3 : 2)}%)`;
              return toggle(
                pairLabel(b.from, b.to, text),
                () => !state.hiddenPairs.has(key),
                (v) => {
                  if (v) state.hiddenPairs.delete(key);
                  else state.hiddenPairs.add(key);
                },
                `pair-${key}`,
              );
            }),
          ),
      h('h3', {}, 'Trained weights'),
      trainedWeightsControls(id, view, state),
      h('h3', {}, 'Blocks'),
      h(
        'table',
        { class: 'data small' },
        h('tr', {}, h('th', {}, 'layers'), h('th', {}, 'kind'), h('th', {}, 'connections'), h('th', {}, 'density')),
        ...view.blocks.map((b) =>
          h(
            'tr',
            {},
            h('td', {}, b.from === b.to ? layerName(b.from, K) : `${layerName(b.from, K)}–${layerName(b.to, K)}`),
            h('td', {}, b.kind),
            h('td', {}, fmtNum(b.count)),
            h('td', {}, `${(b.density * 100).toFixed(b.density < 0.01 ? 3 : 1)}%`),
          ),
        ),
      ),
    );
  }

  /** Fit the view, find a neuron by its global index, export the view as PNG or SVG. */
  function viewControls(view: GraphView, select: (node: string | null) => void): HTMLElement {
    const find = h('input', {
      type: 'number',
      min: 0,
      max: view.N - 1,
      placeholder: `0–${view.N - 1}`,
      style: 'width:6em',
      'data-testid': 'find-neuron',
    });
    const go = () => {
      const i = Number(find.value);
      if (find.value.trim() === '' || !Number.isInteger(i) || i < 0 || i >= view.N) {
        return showError(
          new Error(`eqprop/web: neuron: expected an integer in [0, ${view.N - 1}], got '${find.value}'`),
        );
      }
      select(neuronKey(i));
      const d = renderer?.sigma.getNodeDisplayData(neuronKey(i));
      if (d) void renderer!.sigma.getCamera().animate({ x: d.x, y: d.y, ratio: 0.35 }, { duration: 300 });
    };
    find.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') go();
    });
    const exportAs = (kind: 'png' | 'svg') => async () => {
      if (!renderer) return;
      const name = `explorer-${view.sizes.join('-')}.${kind}`;
      const blob =
        kind === 'png'
          ? await viewAsPng(renderer.sigma)
          : new Blob([viewAsSvg(renderer.sigma)], { type: 'image/svg+xml' });
      download(name, blob);
    };
    return h(
      'div',
      { class: 'row' },
      h(
        'button',
        {
          type: 'button',
          'data-testid': 'fit-view',
          onclick: () => {
            void renderer?.sigma.getCamera().animatedReset({ duration: 300 });
          },
        },
        'Fit',
      ),
      h('label', {}, 'neuron ', find),
      h('button', { type: 'button', 'data-testid': 'find-neuron-go', onclick: go }, 'Find'),
      h(
        'button',
        {
          type: 'button',
          'data-testid': 'export-png',
          onclick: () => {
            exportAs('png')().catch(showError);
          },
        },
        'PNG',
      ),
      h(
        'button',
        {
          type: 'button',
          'data-testid': 'export-svg',
          onclick: () => {
            exportAs('svg')().catch(showError);
          },
        },
        'SVG',
      ),
    );
  }

  /** Pick a run of this topology: its skip connections drawn with width ∝ |w|, those under the threshold hidden. */
  function trainedWeightsControls(id: string, view: GraphView, state: ViewState): HTMLElement {
    const runPicker = h('select', { 'data-testid': 'weights-run' }, h('option', { value: '' }, 'none (as built)'));
    const threshold = h('input', {
      type: 'number',
      min: 0,
      step: 'any',
      value: params.get('minw') ?? '0',
      style: 'width:6em',
      'data-testid': 'weights-threshold',
    });
    const report = h('div', { 'data-testid': 'weights-summary' });
    let last: RunWeightsResponse | null = null;
    const K = view.sizes.length;
    const describe = () => {
      if (!state.trained || !last)
        return void report.replaceChildren(h('p', { class: 'muted' }, 'Pick a run to see its trained weights.'));
      const t = state.trained;
      const shown = [...t.weights.values()].filter((w) => Math.abs(w) >= t.threshold).length;
      report.dataset.shown = String(shown);
      report.dataset.run = t.runId;
      report.replaceChildren(
        h(
          'p',
          {},
          `Run ${shortId(t.runId)} after epoch ${last.epoch}: ` +
            `${fmtNum(shown)} of ${fmtNum(last.totalSkip)} skip connections with |w| ≥ ${t.threshold}` +
            `${last.truncated ? ` (the ${fmtNum(t.weights.size)} strongest were fetched)` : ''}; width ∝ |w|.`,
        ),
        h(
          'table',
          { class: 'data small' },
          h(
            'tr',
            {},
            h('th', {}, 'block'),
            h('th', { class: 'num' }, 'mean |w|'),
            h('th', { class: 'num' }, 'max |w|'),
          ),
          ...last.blocks.map((b) =>
            h(
              'tr',
              { 'data-block': `${b.kind}:${b.from}-${b.to}` },
              h(
                'td',
                {},
                `${b.from === b.to ? layerName(b.from, K) : `${layerName(b.from, K)}–${layerName(b.to, K)}`} ${b.kind}`,
              ),
              h('td', { class: 'num' }, b.meanAbs.toExponential(2)),
              h('td', { class: 'num' }, b.maxAbs.toExponential(2)),
            ),
          ),
        ),
      );
    };
    const applyThreshold = () => {
      const v = Number(threshold.value);
      if (!Number.isFinite(v) || v < 0)
        return showError(new Error(`eqprop/web: |w| threshold: expected a number ≥ 0, got '${threshold.value}'`));
      if (state.trained) state.trained.threshold = v;
      writeHashParams({ minw: v === 0 ? null : v });
      describe();
      renderer?.refresh();
    };
    const choose = async (runId: string) => {
      writeHashParams({ run: runId });
      if (!runId) {
        state.trained = null;
        last = null;
      } else {
        const { response, state: trained } = await loadTrainedWeights(runId);
        last = response;
        state.trained = trained;
      }
      applyThreshold();
    };
    runPicker.addEventListener('change', () => {
      choose(runPicker.value).catch(showError);
    });
    threshold.addEventListener('input', applyThreshold);
    api<RunRecord[]>(`/api/runs?topologyId=${encodeURIComponent(id)}&limit=200`)
      .then((runs) => {
        const withWeights = runs.filter((r) => r.checkpoint);
        runPicker.append(
          ...withWeights.map((r) => h('option', { value: r.id }, `${shortId(r.id)} · ${r.status} · seed ${r.seed}`)),
        );
        const wanted = params.get('run');
        const match = wanted ? withWeights.find((r) => r.id === wanted || r.id.startsWith(wanted)) : undefined;
        if (match) {
          runPicker.value = match.id;
          return choose(match.id);
        }
        describe();
      })
      .catch(showError);
    return h(
      'div',
      {},
      h('label', { class: 'block' }, 'run ', runPicker),
      h('label', { class: 'block' }, '|w| ≥ ', threshold),
      report,
    );
  }

  function showHover(graph: ExplorerGraph, view: GraphView, node: string | null): void {
    if (!node) return;
    const a = graph.getNodeAttributes(node);
    if (a.anchor) {
      info.replaceChildren(
        h('h3', {}, `Layer ${layerName(a.layer, view.sizes.length)}`),
        h('p', {}, `${view.sizes[a.layer]} neurons`),
      );
      return;
    }
    const i = a.neuron;
    const d = {
      adjacent: view.degree.adjacent[i]!,
      intralayer: view.degree.intralayer[i]!,
      skip: view.degree.skip[i]!,
    };
    info.replaceChildren(
      h('h3', {}, `Neuron ${i}`),
      h('p', {}, `layer ${layerName(a.layer, view.sizes.length)}, index ${i - view.offsets[a.layer]!}`),
      h(
        'p',
        { 'data-testid': 'neuron-degree' },
        `degree ${d.adjacent + d.intralayer + d.skip}: ${d.adjacent} adjacent, ${d.intralayer} intralayer, ` +
          `${d.skip} skip`,
      ),
    );
  }

  async function showNeuron(id: string, graph: ExplorerGraph, view: GraphView, node: string | null): Promise<void> {
    if (!node) return;
    const n = await api<NeuronView>(
      `/api/topologies/${encodeURIComponent(id)}/neurons/${graph.getNodeAttribute(node, 'neuron')}`,
    ).catch((e) => {
      showError(e);
      return null;
    });
    // A later click (or a deselect) while this one was loading wins.
    if (!n || renderer === null || info.dataset.pending !== node) return;
    info.dataset.neuron = String(n.neuron);
    const K = view.sizes.length;
    info.replaceChildren(
      h('h3', {}, `Neuron ${n.neuron} (selected)`),
      h('p', {}, `layer ${layerName(n.layer, K)}, index ${n.index}, bias ${n.bias.toFixed(4)}`),
      h(
        'p',
        { 'data-testid': 'neuron-degree' },
        `degree ${n.degree.total}: ${n.degree.adjacent} adjacent, ${n.degree.intralayer} intralayer, ` +
          `${n.degree.skip} skip`,
      ),
      h(
        'table',
        { class: 'data small' },
        h('tr', {}, h('th', {}, 'to layer'), h('th', {}, 'kind'), h('th', {}, 'count')),
        ...n.byLayer.map((c) =>
          h('tr', {}, h('td', {}, layerName(c.layer, K)), h('td', {}, c.kind), h('td', {}, String(c.count))),
        ),
      ),
      n.skipNeighbours.length
        ? h(
            'details',
            { open: n.skipNeighbours.length <= 20 },
            h('summary', {}, `skip neighbours (${n.skipNeighbours.length}${n.skipNeighboursTruncated ? '+' : ''})`),
            h(
              'ul',
              {},
              ...n.skipNeighbours.map((s) =>
                h('li', {}, `neuron ${s.neuron} (${layerName(s.layer, K)} #${s.index}), w = ${s.weight.toFixed(4)}`),
              ),
            ),
          )
        : '',
    );
  }

  return () => {
    loading++;
    renderer?.kill();
    renderer = null;
  };
};
