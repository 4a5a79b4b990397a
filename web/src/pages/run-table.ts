/**
 * The Runs page's run table (MLflow / W&B style): one row per run with its topology, progress and
 * last errors; click a header to sort, filter by mode / status / sizes / p range / any metric
 * range, search ids and names, page through, and tick rows to compare them. Filtering and sorting
 * use the same rules as `eqprop runs list` (src/experiments/summarise/run-query.ts). Filters, sort and page
 * live in the URL (#/runs?status=done&sort=-epochs&page=2), so a filtered table can be shared.
 */
import { api, qs } from '../api.js';
import { h, shortId, fmtPct, showError } from '../dom.js';
import { writeHashParams } from '../url-state.js';
import { formatError } from '../../../src/experiments/summarise/error-kind.js';
import { formatP, type RunSummary } from '../../../src/experiments/summarise/run-summary.js';
import {
  matchesQuery,
  parseMetricRange,
  sortRuns,
  type RunQuery,
  type SortOrder,
} from '../../../src/experiments/summarise/run-query.js';

function errorCell(r: RunSummary, value: number | null): string {
  return r.errorKind === 'mse' ? formatError(value, 'mse') : fmtPct(value);
}

const PAGE_SIZE = 15;
const STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'];
const MODES = ['layered', 'replace', 'add', 'per-connection', 'no-intralayer'];

interface Column {
  key: string;
  title: string;
  cell: (r: RunSummary) => string;
}

function duration(ms: number): string {
  if (ms === 0) return '–';
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return s < 3600 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${(s / 3600).toFixed(1)} h`;
}

const COLUMNS: Column[] = [
  { key: 'id', title: 'run', cell: (r) => shortId(r.id) },
  { key: 'status', title: 'status', cell: (r) => r.status },
  { key: 'mode', title: 'mode', cell: (r) => r.mode ?? '?' },
  { key: 'sizes', title: 'sizes', cell: (r) => r.sizes?.join('-') ?? '?' },
  { key: 'p', title: 'p', cell: (r) => formatP(r.mode, r.p) ?? '–' },
  { key: 'seed', title: 'seed', cell: (r) => String(r.seed) },
  { key: 'epochs', title: 'epochs', cell: (r) => `${r.epochsDone}/${r.epochsPlanned ?? '?'}` },
  // Regression runs (errorKind 'mse') show their mean squared error, marked "MSE", not a percentage.
  { key: 'train-error', title: 'train err', cell: (r) => errorCell(r, r.trainError) },
  { key: 'eval-error', title: 'eval err', cell: (r) => errorCell(r, r.evalError) },
  { key: 'test-error', title: 'test err', cell: (r) => errorCell(r, r.testError) },
  { key: 'free-steps', title: 'free steps', cell: (r) => r.meanFreeSteps?.toFixed(1) ?? '–' },
  { key: 'duration', title: 'duration', cell: (r) => duration(r.durationMs) },
  { key: 'sweep', title: 'sweep', cell: (r) => (r.sweepId ? shortId(r.sweepId) : '') },
  { key: 'created', title: 'created', cell: (r) => new Date(r.createdAt).toLocaleString() },
];

function choice(testid: string, any: string, values: readonly string[]): HTMLSelectElement {
  const options = values.map((v) => h('option', { value: v }, v));
  return h('select', { 'data-testid': testid }, h('option', { value: '' }, any), ...options);
}

function pBound(placeholder: string, testid: string): HTMLInputElement {
  return h('input', {
    type: 'number',
    step: 'any',
    min: 0,
    max: 1,
    placeholder,
    style: 'width:5em',
    'data-testid': testid,
  });
}

function cellClass(key: string): string {
  if (key === 'id' || key === 'sweep') return 'mono';
  return key.endsWith('error') || key === 'p' ? 'num' : '';
}

export interface RunTableEvents {
  /** A row was clicked: show that run. */
  open(runId: string): void;
  /** The ticked runs changed (in the order ticked). */
  compare(runIds: string[]): void;
}

export class RunTable {
  readonly element = h('div', { 'data-testid': 'runs-table' });
  private rows: RunSummary[] = [];
  private order: SortOrder = { column: 'created', descending: true };
  private page = 0;
  private selected: string[];
  private highlighted: string | null = null;
  private readonly body = h('div');
  private readonly search = h('input', {
    type: 'search',
    placeholder: 'search id or name',
    'data-testid': 'run-search',
  });
  private readonly mode = choice('run-filter-mode', 'any mode', MODES);
  private readonly status = choice('run-filter-status', 'any status', STATUSES);
  private readonly sizes = h('input', {
    placeholder: 'sizes, e.g. 784,64,10',
    size: 14,
    'data-testid': 'run-filter-sizes',
  });
  private readonly pMin = pBound('p ≥', 'run-filter-pmin');
  private readonly pMax = pBound('p ≤', 'run-filter-pmax');
  private readonly metric = h('input', {
    placeholder: 'train-error<10%, L>2',
    size: 18,
    'data-testid': 'run-filter-metric',
    title: 'NAME<VALUE (also <=, >, >=, =), comma-separated; errors and p as fraction or %',
  });

  /** URL key → the control it restores. */
  private readonly controls: Record<string, HTMLInputElement | HTMLSelectElement> = {
    q: this.search,
    mode: this.mode,
    status: this.status,
    sizes: this.sizes,
    pmin: this.pMin,
    pmax: this.pMax,
    metric: this.metric,
  };

  constructor(
    private readonly events: RunTableEvents,
    selected: string[] = [],
    params = new URLSearchParams(),
  ) {
    this.selected = [...selected];
    for (const [key, control] of Object.entries(this.controls)) control.value = params.get(key) ?? '';
    const sort = params.get('sort');
    if (sort && COLUMNS.some((c) => c.key === sort.replace(/^-/, ''))) {
      this.order = { column: sort.replace(/^-/, ''), descending: sort.startsWith('-') };
    }
    this.page = Math.max(0, (Number(params.get('page')) || 1) - 1);
    for (const input of [this.search, this.sizes, this.pMin, this.pMax, this.metric]) {
      input.addEventListener('input', () => this.refilter());
    }
    for (const select of [this.mode, this.status]) select.addEventListener('change', () => this.refilter());
    this.element.append(
      h(
        'div',
        { class: 'row filters' },
        this.search,
        this.mode,
        this.status,
        this.sizes,
        this.pMin,
        this.pMax,
        this.metric,
      ),
      this.body,
    );
  }

  async load(): Promise<void> {
    this.rows = await api<RunSummary[]>(`/api/runs/summaries${qs({ limit: 1000 })}`);
    this.draw();
  }

  highlight(runId: string | null): void {
    this.highlighted = runId;
    this.draw();
  }

  private refilter(): void {
    this.page = 0;
    this.draw();
  }

  /** The table's state into the URL (the defaults are left out, so a plain #/runs stays plain). */
  private writeState(): void {
    const sort =
      this.order.column === 'created' && this.order.descending
        ? null
        : `${this.order.descending ? '-' : ''}${this.order.column}`;
    const entries = Object.entries(this.controls).map(([key, control]) => [key, control.value.trim()]);
    writeHashParams({ ...Object.fromEntries(entries), sort, page: this.page > 0 ? this.page + 1 : null });
  }

  private query(): RunQuery | null {
    try {
      const number = (s: string) => (s.trim() === '' ? undefined : Number(s));
      const sizes = this.sizes.value.trim();
      return {
        text: this.search.value.trim() || undefined,
        mode: (this.mode.value || undefined) as RunQuery['mode'],
        status: this.status.value || undefined,
        sizes: sizes
          ? sizes
              .split(/[,\-x ]+/)
              .filter(Boolean)
              .map(Number)
          : undefined,
        pMin: number(this.pMin.value),
        pMax: number(this.pMax.value),
        ranges: this.metric.value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((s) => parseMetricRange('metric range', s)),
      };
    } catch (e) {
      this.metric.setCustomValidity(e instanceof Error ? e.message : String(e));
      this.metric.reportValidity();
      return null;
    }
  }

  private toggle(id: string, on: boolean): void {
    this.selected = on ? [...this.selected.filter((x) => x !== id), id] : this.selected.filter((x) => x !== id);
    this.events.compare(this.selected);
  }

  private draw(): void {
    this.metric.setCustomValidity('');
    this.writeState();
    if (this.rows.length === 0) {
      this.body.replaceChildren(
        h(
          'p',
          { class: 'muted', 'data-testid': 'runs-empty' },
          'No runs yet. Start one with the form above (build a topology first on the Topologies page), or from the ' +
            'command line: eqprop train --sizes 784,64,10 --epochs 1 --train 1000 --eval 200.',
        ),
      );
      return;
    }
    const q = this.query();
    if (!q) return;
    const shown = sortRuns(
      this.rows.filter((r) => matchesQuery(r, q)),
      this.order,
    );
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    this.page = Math.min(this.page, pages - 1);
    this.writeState();
    const pageRows = shown.slice(this.page * PAGE_SIZE, (this.page + 1) * PAGE_SIZE);
    const header = h(
      'tr',
      {},
      h('th', { title: 'tick runs to compare' }, '⇄'),
      ...COLUMNS.map((c) => {
        const active = this.order.column === c.key;
        return h(
          'th',
          {
            class: 'sortable',
            'data-sort': c.key,
            'aria-sort': active ? (this.order.descending ? 'descending' : 'ascending') : 'none',
            onclick: () => {
              this.order = { column: c.key, descending: active ? !this.order.descending : false };
              this.draw();
            },
          },
          `${c.title}${active ? (this.order.descending ? ' ▼' : ' ▲') : ''}`,
        );
      }),
    );
    const body = pageRows.map((r) => {
      const box = h('input', {
        type: 'checkbox',
        'data-compare': r.id,
        checked: this.selected.includes(r.id),
        onclick: (e: Event) => e.stopPropagation(), // ticking is not opening
        onchange: (e: Event) => this.toggle(r.id, (e.target as HTMLInputElement).checked),
      });
      const open = () => this.events.open(r.id);
      return h(
        'tr',
        { class: r.id === this.highlighted ? 'selected' : '', 'data-run': r.id, onclick: open },
        h('td', {}, box),
        ...COLUMNS.map((c) => h('td', { class: cellClass(c.key) }, c.cell(r))),
      );
    });
    const button = (testid: string, text: string, disabled: boolean, act: () => void) =>
      h(
        'button',
        {
          type: 'button',
          'data-testid': testid,
          disabled,
          onclick: () => {
            act();
            this.draw();
          },
        },
        text,
      );
    const pager = h(
      'div',
      { class: 'row pager' },
      button('run-page-prev', '‹ previous', this.page === 0, () => {
        this.page--;
      }),
      h(
        'span',
        { 'data-testid': 'run-page' },
        `page ${this.page + 1} of ${pages} · ${shown.length} of ${this.rows.length} runs`,
      ),
      button('run-page-next', 'next ›', this.page >= pages - 1, () => {
        this.page++;
      }),
      button('compare-clear', 'clear comparison', this.selected.length === 0, () => {
        this.selected = [];
        this.events.compare([]);
      }),
    );
    this.body.replaceChildren(
      shown.length === 0
        ? h('p', { class: 'muted' }, 'No run matches the filters.')
        : h('table', { class: 'data' }, h('thead', {}, header), h('tbody', {}, ...body)),
      pager,
    );
  }
}

/** Refreshes a table, reporting failures in the banner (used from event handlers). */
export function reload(table: RunTable): void {
  table.load().catch(showError);
}
