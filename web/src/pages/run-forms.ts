/** The start-a-run and start-a-sweep forms; they post to /api/jobs/* and hand the job back. */
import { api, type JobSummary, type TopologyRecord } from '../api.js';
import { h, formValues, numberOrUndefined, showError } from '../dom.js';
import { byTopologySpec, topologyOptionLabel } from '../topology-label.js';

const num = (name: string, value: string, size = 6, title?: string) => h('input', { name, value, size, title });

/** Fields shared by runs and sweeps (tiny defaults: a run the machine finishes in seconds). */
function trainingFields(): HTMLElement {
  return h(
    'div',
    { class: 'row' },
    h('label', {}, 'epochs ', num('epochs', '3', 4)),
    h('label', {}, 'train examples ', num('train', '40', 6)),
    h('label', {}, 'eval examples ', num('eval', '20', 6)),
    h('label', {}, 'batch ', num('batchSize', '20', 4)),
    h('label', {}, 'free steps ', num('freeSteps', '20', 5)),
    h('label', {}, 'clamped steps ', num('clampedSteps', '4', 4)),
    h(
      'label',
      {},
      'rates ',
      h(
        'select',
        { name: 'rates' },
        h('option', { value: 'single' }, 'single (0.02)'),
        h('option', { value: 'per-layer' }, 'per-layer'),
      ),
    ),
  );
}

/**
 * The options beyond the paper (README "Beyond the paper"), folded away: left as they are, the run
 * is the paper's. The two specs are typed in the CLI's syntax, which the API checks and explains.
 */
function beyondPaperFields(): HTMLElement {
  const choice = (value: string, text: string) => h('option', { value }, text);
  return h(
    'details',
    { 'data-testid': 'beyond-paper' },
    h('summary', {}, 'beyond the paper'),
    h(
      'div',
      { class: 'row' },
      h(
        'label',
        {},
        'nudging ',
        h(
          'select',
          { name: 'nudging' },
          choice('random-sign', 'random sign (paper)'),
          choice('positive', 'positive β'),
          choice('symmetric', 'symmetric ±β'),
        ),
      ),
      h(
        'label',
        { title: 'hidden layers that feel the target in the clamped phase: <layers>:<density>[:<scale>]' },
        'target feedback ',
        h('input', { name: 'targetFeedback', size: 10, placeholder: 'e.g. 1,2:0.1' }),
      ),
      h(
        'label',
        { title: 'zero and mask out the layer-skipping connections after this many epochs' },
        'remove skips after ',
        h('input', { name: 'removeSkipsAfter', size: 3, placeholder: 'never' }),
        ' epochs',
      ),
      h('label', {}, h('input', { type: 'checkbox', name: 'removeIntralayer' }), ' and the intralayer ones'),
      h(
        'label',
        { title: 'initial intralayer and layer-skipping weights: uniform:<a>, zero or glorot' },
        'extra init ',
        h('input', { name: 'extraInit', size: 10, placeholder: 'as built' }),
      ),
    ),
  );
}

/** The beyond-the-paper fields that were set (a number left as typed when it is not one, so the API names it). */
function beyondPaperBody(v: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (v.nudging && v.nudging !== 'random-sign') body.nudging = v.nudging;
  if (v.targetFeedback) body.targetFeedback = v.targetFeedback;
  if (v.removeSkipsAfter) {
    const epochs = Number(v.removeSkipsAfter);
    body.removeSkipsAfter = Number.isFinite(epochs) ? epochs : v.removeSkipsAfter;
  }
  if (v.removeIntralayer === 'on') body.removeIntralayer = true;
  if (v.extraInit) body.extraInit = v.extraInit;
  return body;
}

function trainingBody(v: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {
    epochs: Number(v.epochs),
    train: Number(v.train),
    eval: Number(v.eval),
    rates: v.rates,
  };
  for (const key of ['batchSize', 'freeSteps', 'clampedSteps'] as const) {
    const n = numberOrUndefined(v[key]);
    if (n !== undefined) body[key] = n;
  }
  return { ...body, ...beyondPaperBody(v) };
}

export function runForm(
  topologies: TopologyRecord[],
  preselect: string | null,
  onStarted: (job: JobSummary) => void,
): HTMLFormElement {
  const options = [...topologies].sort(byTopologySpec).map((t) => h('option', { value: t.id }, topologyOptionLabel(t)));
  const select = h('select', { name: 'topologyId', 'data-testid': 'run-topology' }, ...options);
  if (preselect) select.value = preselect;
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'run-form' },
    h('h2', {}, 'Start a training run'),
    h('div', { class: 'row' }, h('label', {}, 'topology ', select), h('label', {}, 'seed ', num('seed', '0', 4))),
    trainingFields(),
    beyondPaperFields(),
    h('button', { type: 'submit' }, 'Start run'),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = formValues(form);
    if (!v.topologyId) return showError(new Error('eqprop/web: build a topology first (Topologies page)'));
    api<JobSummary>('/api/jobs/train', {
      body: { topologyId: v.topologyId, seed: Number(v.seed), ...trainingBody(v) },
    }).then(onStarted, showError);
  });
  return form;
}

export function sweepForm(onStarted: (job: JobSummary) => void): HTMLFormElement {
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'sweep-form' },
    h('h2', {}, 'Start a sweep (Fig. 5)'),
    h(
      'div',
      { class: 'row' },
      h('label', {}, 'sizes ', h('input', { name: 'sizes', value: '784,10,10', size: 14 })),
      h(
        'label',
        {},
        'mode ',
        h(
          'select',
          { name: 'mode' },
          ...['replace', 'add', 'per-connection', 'no-intralayer'].map((m) => h('option', { value: m }, m)),
        ),
      ),
      h(
        'label',
        {
          title:
            'a study: comma-separated family keys, e.g. replace,no-intralayer:span=2,no-intralayer:to=output ' +
            '(replaces mode)',
        },
        'families ',
        h('input', { name: 'families', size: 22, placeholder: 'optional (a study)' }),
      ),
      h(
        'label',
        {},
        h(
          'select',
          { name: 'which' },
          h('option', { value: 'p' }, 'p values'),
          h('option', { value: 'n' }, 'n values'),
        ),
        ' ',
        h('input', { name: 'values', value: '0,0.01,0.05', size: 18 }),
      ),
      h('label', {}, 'seeds ', h('input', { name: 'seeds', value: '0', size: 6 })),
      h(
        'label',
        { title: 'σ/ω reference graphs measured per topology before training' },
        'σ/ω samples ',
        num('smallWorld', '', 3),
      ),
      h('label', {}, 'name ', h('input', { name: 'name', size: 10, placeholder: 'optional' })),
      h('label', {}, 'workers ', num('workers', '1', 3)),
      h('label', {}, h('input', { type: 'checkbox', name: 'baseline' }), ' layered baseline'),
    ),
    trainingFields(),
    beyondPaperFields(),
    h('button', { type: 'submit' }, 'Start sweep'),
  );
  form.querySelector<HTMLInputElement>('input[name=epochs]')!.value = '1';
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = formValues(form);
    // Non-numbers are sent as typed so the API names them ("sizes.1: 'abc' is not a number"); NaN would arrive as null.
    const list = (s: string) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
        .map((x) => (Number.isFinite(Number(x)) ? Number(x) : x));
    const family = v.families
      ? {
          families: v.families
            .split(',')
            .map((f) => f.trim())
            .filter(Boolean),
        }
      : { mode: v.mode };
    const body: Record<string, unknown> = {
      sizes: list(v.sizes!),
      ...family,
      seeds: list(v.seeds!),
      [v.which!]: list(v.values!),
      ...trainingBody(v),
    };
    if (v.smallWorld) body.smallWorld = Number(v.smallWorld);
    if (v.name) body.name = v.name;
    if (v.workers) body.workers = Number(v.workers);
    if (v.baseline === 'on') body.baseline = true;
    api<JobSummary>('/api/jobs/sweep', { body }).then(onStarted, showError);
  });
  return form;
}
