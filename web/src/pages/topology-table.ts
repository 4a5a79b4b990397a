/**
 * A table of topology records, shared by the topologies and query pages: name, id, spec (sizes, mode,
 * p, n, seed), connection counts and the headline metrics (L, C, diameter, σ, ω). Click a header to
 * sort by that column (again to reverse); the order can live in the URL (the caller's onSort).
 */
import type { TopologyRecord } from '../api.js';
import { h, fmtNum, fmtPct, shortId } from '../dom.js';

export const HEADLINE_METRICS = ['L', 'C', 'diameter', 'sigma', 'omega'];
const METRIC_TITLES: Record<string, string> = { sigma: 'σ', omega: 'ω' };

interface Column {
  key: string;
  title: string;
  value: (t: TopologyRecord) => string | number | null;
  cell: (t: TopologyRecord) => string;
  numeric?: boolean;
}

const COLUMNS: Column[] = [
  { key: 'name', title: 'name', value: (t) => t.name, cell: (t) => t.name ?? '' },
  { key: 'id', title: 'id', value: (t) => t.id, cell: (t) => shortId(t.id) },
  { key: 'sizes', title: 'sizes', value: (t) => t.spec.sizes.join('-'), cell: (t) => t.spec.sizes.join('-') },
  { key: 'mode', title: 'mode', value: (t) => t.spec.mode, cell: (t) => t.spec.mode },
  { key: 'p', title: 'p', value: (t) => t.spec.p, cell: (t) => fmtPct(t.spec.p, 3), numeric: true },
  { key: 'n', title: 'n', value: (t) => t.spec.n, cell: (t) => fmtNum(t.spec.n, 1), numeric: true },
  { key: 'seed', title: 'seed', value: (t) => t.spec.seed, cell: (t) => String(t.spec.seed), numeric: true },
  { key: 'neurons', title: 'neurons', value: (t) => t.N, cell: (t) => fmtNum(t.N), numeric: true },
  {
    key: 'adjacent',
    title: 'adjacent',
    value: (t) => t.counts.adjacent,
    cell: (t) => fmtNum(t.counts.adjacent),
    numeric: true,
  },
  {
    key: 'intralayer',
    title: 'intralayer',
    value: (t) => t.counts.intralayer,
    cell: (t) => fmtNum(t.counts.intralayer),
    numeric: true,
  },
  { key: 'skip', title: 'skip', value: (t) => t.counts.skip, cell: (t) => fmtNum(t.counts.skip), numeric: true },
  ...HEADLINE_METRICS.map((m) => ({
    key: m,
    title: METRIC_TITLES[m] ?? m,
    value: (t: TopologyRecord) => t.metrics[m] ?? null,
    cell: (t: TopologyRecord) => fmtNum(t.metrics[m]),
    numeric: true,
  })),
  { key: 'created', title: 'created', value: (t) => t.createdAt, cell: (t) => new Date(t.createdAt).toLocaleString() },
];

export interface TopologyOrder {
  column: string;
  descending: boolean;
}

/** "-p" ↔ { column: 'p', descending: true }; an unknown column is the default (newest first). */
export function parseTopologyOrder(text: string | null): TopologyOrder {
  const column = (text ?? '').replace(/^-/, '');
  return COLUMNS.some((c) => c.key === column)
    ? { column, descending: text!.startsWith('-') }
    : { column: 'created', descending: true };
}

export function formatTopologyOrder(order: TopologyOrder): string | null {
  return order.column === 'created' && order.descending ? null : `${order.descending ? '-' : ''}${order.column}`;
}

function sortRows(rows: readonly TopologyRecord[], order: TopologyOrder): TopologyRecord[] {
  const column = COLUMNS.find((c) => c.key === order.column)!;
  const sign = order.descending ? -1 : 1;
  // Missing values (no metric, no name) sort last whichever the direction.
  return [...rows].sort((a, b) => {
    const x = column.value(a),
      y = column.value(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const c =
      typeof x === 'number' && typeof y === 'number'
        ? x - y
        : String(x).localeCompare(String(y), undefined, { numeric: true });
    return sign * c || a.id.localeCompare(b.id);
  });
}

export function topologyTable(
  rows: TopologyRecord[],
  actions: (t: TopologyRecord) => (Node | string)[] = () => [],
  sorting: { order: TopologyOrder; onSort: (order: TopologyOrder) => void } | null = null,
): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted' }, 'No topologies match.');
  const order = sorting?.order ?? { column: 'created', descending: true };
  const header = COLUMNS.map((c) => {
    const active = order.column === c.key;
    return h(
      'th',
      {
        class: sorting ? 'sortable' : '',
        'data-sort': c.key,
        'aria-sort': active ? (order.descending ? 'descending' : 'ascending') : 'none',
        onclick: sorting
          ? () => sorting.onSort({ column: c.key, descending: active ? !order.descending : c.numeric === true })
          : undefined,
      },
      `${c.title}${active && sorting ? (order.descending ? ' ▼' : ' ▲') : ''}`,
    );
  });
  return h(
    'table',
    { class: 'data', 'data-testid': 'topology-table' },
    h('thead', {}, h('tr', {}, ...header, h('th', {}, ''))),
    h(
      'tbody',
      {},
      ...sortRows(rows, order).map((t) =>
        h(
          'tr',
          { 'data-id': t.id },
          ...COLUMNS.map((c) =>
            h(
              'td',
              { class: c.numeric ? 'num' : c.key === 'id' ? 'mono' : '', title: c.key === 'id' ? t.id : undefined },
              c.cell(t),
            ),
          ),
          h('td', { class: 'actions' }, ...actions(t)),
        ),
      ),
    ),
  );
}
