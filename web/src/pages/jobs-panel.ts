/**
 * Live jobs: one row per job with a progress bar fed by its Server-Sent Events, and a cancel
 * button. Events are passed on to the page (a new run to show, an epoch to plot).
 */
import { api, watchJob, type JobEvent, type JobSummary } from '../api.js';
import { h, showError, fmtPct } from '../dom.js';

export class JobsPanel {
  readonly element = h('div', { 'data-testid': 'jobs' });
  private readonly rows = new Map<string, HTMLElement>();
  private readonly watching = new Map<string, AbortController>();

  constructor(private readonly onEvent: (job: JobSummary, e: JobEvent) => void) {}

  async load(): Promise<void> {
    const jobs = await api<JobSummary[]>('/api/jobs');
    if (jobs.length === 0) this.element.replaceChildren(h('p', { class: 'muted' }, 'No jobs started from this server yet.'));
    for (const job of [...jobs].reverse()) this.add(job);
  }

  add(job: JobSummary): void {
    if (this.rows.has(job.id)) return;
    if (this.rows.size === 0) this.element.replaceChildren();
    const progress = h('progress', { max: 1, value: 0 });
    const last = job.lastEpoch ? `epoch ${job.lastEpoch.epoch}: train ${fmtPct(Number(job.lastEpoch.trainError))}, eval ${fmtPct(Number(job.lastEpoch.evalError))}` : job.sweepId ? `sweep ${job.sweepId}` : '';
    const text = h('span', { class: 'job-text' }, last);
    const cancel = h('button', { 'data-testid': 'cancel-job', onclick: () => { api<JobSummary>(`/api/jobs/${job.id}/cancel`, { method: 'POST' }).catch(showError); } }, 'Cancel');
    const row = h('div', { class: `job ${job.status}`, 'data-job': job.id, 'data-status': job.status },
      h('strong', {}, job.kind), ' ', h('span', { class: 'mono' }, job.id.slice(0, 8)), ' ', progress, ' ', text, ' ', cancel);
    this.rows.set(job.id, row);
    this.element.prepend(row);
    if (job.status !== 'running') {
      this.finish(job.id, job.status, job.error);
      return;
    }
    const controller = new AbortController();
    this.watching.set(job.id, controller);
    watchJob(job.id, (e) => {
      this.update(job, e, progress, text);
      this.onEvent(job, e);
    }, controller.signal).catch(showError);
  }

  private update(job: JobSummary, e: JobEvent, progress: HTMLProgressElement, text: HTMLElement): void {
    switch (e.event) {
      case 'run':
        job.runIds.push(String(e.runId));
        text.textContent = `run ${String(e.runId).slice(0, 8)} on ${String(e.backend ?? '?')}`;
        break;
      case 'batch': {
        const batches = Number(e.batches) || 1;
        progress.value = Number(e.batch) / batches;
        text.textContent = `epoch ${e.epoch}, batch ${e.batch}/${batches}, train error ${fmtPct(Number(e.trainError))}`;
        break;
      }
      case 'epoch':
        text.textContent = `epoch ${e.epoch} done: train ${fmtPct(Number(e.trainError))}, eval ${fmtPct(Number(e.evalError))}`;
        break;
      case 'log':
        text.textContent = String(e.line ?? '');
        break;
      case 'end':
        this.finish(job.id, String(e.status), (e.error as string | null) ?? null);
        break;
      default:
        break;
    }
  }

  private finish(id: string, status: string, error: string | null): void {
    const row = this.rows.get(id);
    if (!row) return;
    row.className = `job ${status}`;
    row.dataset.status = status;
    row.querySelector('button')?.remove();
    const progress = row.querySelector('progress');
    if (progress && status === 'done') progress.value = progress.max;
    const text = row.querySelector('.job-text')!;
    text.textContent = `${status}${error ? `: ${error}` : ''}${text.textContent ? ` — ${text.textContent}` : ''}`;
    this.watching.delete(id);
  }

  stop(): void {
    for (const c of this.watching.values()) c.abort();
    this.watching.clear();
  }
}
