/** Topologies page: build one (validated by the server, built in a worker) and list them. */
import { api, type TopologyRecord } from '../api.js';
import { h, formValues, numberOrUndefined, showError } from '../dom.js';
import type { Page } from '../main.js';
import { formatTopologyOrder, parseTopologyOrder, topologyTable } from './topology-table.js';
import { writeHashParams } from '../url-state.js';

export const renderTopologies: Page = (root, _args, params) => {
  // The table's sort order is in the URL (#/topologies?sort=-sigma), so a sorted list can be shared.
  let order = parseTopologyOrder(params.get('sort'));
  const status = h('span', { class: 'muted', 'data-testid': 'build-status' });
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'build-form' },
    h('h2', {}, 'Build a topology'),
    h(
      'div',
      { class: 'row' },
      h(
        'label',
        {},
        'Layer sizes ',
        h('input', {
          name: 'sizes',
          value: '784,500,500,500,10',
          size: 22,
          required: true,
          title: 'comma-separated, input first',
        }),
      ),
      h(
        'label',
        {},
        'Mode ',
        h(
          'select',
          { name: 'mode' },
          ...['replace', 'add', 'per-connection', 'no-intralayer', 'layered'].map((m) => h('option', { value: m }, m)),
        ),
      ),
      h(
        'label',
        {},
        h('select', { name: 'which' }, h('option', { value: 'p' }, 'p'), h('option', { value: 'n' }, 'n')),
        ' ',
        h('input', { name: 'amount', value: '0.0756', size: 8 }),
      ),
      h('label', {}, 'Seed ', h('input', { name: 'seed', value: '0', size: 5 })),
      h(
        'label',
        { title: 'skip restriction: new connections only between layers at least / at most this many apart (≥ 2)' },
        'span ',
        h('input', { name: 'spanMin', size: 2, placeholder: 'min' }),
        '–',
        h('input', { name: 'spanMax', size: 2, placeholder: 'max' }),
      ),
      h(
        'label',
        { title: 'skip restriction: new connections must end in this layer (an index; the output is the last)' },
        'to layer ',
        h('input', { name: 'targetLayer', size: 2, placeholder: 'any' }),
      ),
      h(
        'label',
        { title: 'no-intralayer: layer-skipping weights start in U[−a, a] (default: the mean per-layer Glorot bound)' },
        'a ',
        h('input', { name: 'skipBound', size: 5, placeholder: 'default' }),
      ),
      h('label', {}, 'Name ', h('input', { name: 'name', size: 14, placeholder: 'optional' })),
      h('label', {}, h('input', { type: 'checkbox', name: 'metrics', checked: true }), ' metrics'),
      h(
        'label',
        { title: 'random and lattice reference graphs for the small-world coefficients σ and ω (slow on big nets)' },
        'σ/ω samples ',
        h('input', { name: 'smallWorldSamples', value: '0', size: 2 }),
      ),
      h('button', { type: 'submit' }, 'Build'),
      status,
    ),
  );
  const list = h('div', { 'data-testid': 'topology-list' });
  root.append(form, h('section', { class: 'card' }, h('h2', {}, 'Stored topologies'), list));

  async function refresh(): Promise<void> {
    const rows = await api<TopologyRecord[]>('/api/topologies?limit=200');
    if (rows.length === 0) return void list.replaceChildren(emptyState());
    const draw = () =>
      list.replaceChildren(
        topologyTable(
          rows,
          (t) => [
            h('a', { href: `#/explorer/${encodeURIComponent(t.id)}`, class: 'button' }, 'Explore'),
            h('a', { href: `#/runs?topology=${encodeURIComponent(t.id)}`, class: 'button' }, 'Train'),
            h('button', { onclick: () => void remove(t) }, 'Delete'),
          ],
          {
            order,
            onSort: (next) => {
              order = next;
              writeHashParams({ sort: formatTopologyOrder(order) });
              draw();
            },
          },
        ),
      );
    draw();
  }

  /** A first visit: say what to do next, with the paper's network one click away. */
  function emptyState(): HTMLElement {
    const button = h('button', { type: 'button', 'data-testid': 'build-paper-net' }, 'Build the paper network');
    button.addEventListener('click', () => {
      button.disabled = true;
      status.textContent = 'building the paper network (1.27 M connections)…';
      const body = { sizes: [784, 500, 500, 500, 10], mode: 'replace', n: 100_000, seed: 0, name: 'paper-net' };
      api<TopologyRecord>('/api/topologies', { body })
        .then(async (t) => {
          status.textContent = `built ${t.name}: ${t.counts.total.toLocaleString('en-US')} connections`;
          status.dataset.id = t.id;
          await refresh();
        })
        .catch((e) => {
          status.textContent = '';
          showError(e);
          button.disabled = false;
        });
    });
    return h(
      'div',
      { class: 'empty-state' },
      h(
        'p',
        {},
        'No topologies yet. Build one with the form above (try 784,64,64,64,10, replace, p 0.0756), or the ' +
          "paper's network — 784-500-500-500-10, Algorithm 1 with n = 100,000 (p = 7.56 %):",
      ),
      button,
      h('p', { class: 'muted' }, 'Then train it from the Runs page, or open it in the Explorer.'),
    );
  }

  async function remove(t: TopologyRecord): Promise<void> {
    if (!window.confirm(`Delete topology ${t.name ?? t.id} with all its runs?`)) return;
    try {
      await api(`/api/topologies/${encodeURIComponent(t.id)}`, { method: 'DELETE' });
      await refresh();
    } catch (e) {
      showError(e);
    }
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = formValues(form);
    const body: Record<string, unknown> = {
      // A non-number is sent as typed, so the API can say "sizes.1: 'abc' is not a number" (NaN would arrive as null).
      sizes: v.sizes!.split(',').map((s) => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s.trim())),
      mode: v.mode,
      seed: numberOrUndefined(v.seed) ?? 0,
      metrics: v.metrics === 'on',
      smallWorldSamples: numberOrUndefined(v.smallWorldSamples) ?? 0,
    };
    if (v.name) body.name = v.name;
    if (v.mode !== 'layered' && v.amount !== '') body[v.which!] = Number(v.amount);
    // Sent as typed when not a number, so the API names the field in its message.
    for (const key of ['spanMin', 'spanMax', 'targetLayer', 'skipBound']) {
      if (v[key]) body[key] = Number.isFinite(Number(v[key])) ? Number(v[key]) : v[key];
    }
    const started = performance.now();
    status.textContent = 'building…';
    const button = form.querySelector('button')!;
    button.disabled = true;
    api<TopologyRecord>('/api/topologies', { body })
      .then(async (t) => {
        status.textContent =
          `built ${t.name ?? t.id.slice(0, 8)}: ${t.counts.total.toLocaleString('en-US')} connections in ` +
          `${((performance.now() - started) / 1000).toFixed(1)} s`;
        status.dataset.id = t.id;
        await refresh();
      })
      .catch((e) => {
        status.textContent = '';
        showError(e);
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  // Hide the amount for layered networks (they take neither p nor n).
  const mode = form.querySelector<HTMLSelectElement>('select[name=mode]')!;
  mode.addEventListener('change', () => {
    form.querySelector<HTMLInputElement>('input[name=amount]')!.disabled = mode.value === 'layered';
  });

  refresh().catch(showError);
  return undefined; // no stream or renderer to stop when the page changes
};
