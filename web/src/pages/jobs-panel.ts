/**
 * Live jobs: one row per job with a progress bar fed by its Server-Sent Events, a cancel button and
 * a link to each run it trains (#/runs/<id>). Events are passed on to the page (rows to refresh).
 */
import { api, watchJob, type JobEvent, type JobSummary } from '../api.js';
import { h, showError, fmtPct, shortId } from '../dom.js';

/**
 * A job's log line as the browser shows it. The CLI child speaks to a terminal ("press Ctrl-C again to
 * quit at once"), advice that means nothing here: the Cancel button is the browser's way.
 */
export function browserLogLine(line: string): string {
  return line.replace(/[;,]?\s*press Ctrl-C[^;)\n]*/gi, '').trim();
}

export class JobsPanel {
  readonly element = h('div', { 'data-testid': 'jobs' });
  private readonly rows = new Map<string, HTMLElement>();
  private readonly watching = new Map<string, AbortController>();
  /** Told how many jobs are listed (the page hides the card while there are none). */
  onCount: (count: number) => void = () => {};

  constructor(private readonly onEvent: (job: JobSummary, e: JobEvent) => void) {}

  async load(): Promise<void> {
    const jobs = await api<JobSummary[]>('/api/jobs');
    for (const job of [...jobs].reverse()) this.add(job);
    this.onCount(this.rows.size);
  }

  add(job: JobSummary): void {
    if (this.rows.has(job.id)) return;
    const progress = h('progress', { max: 1, value: 0 });
    const last = job.lastEpoch
      ? `epoch ${job.lastEpoch.epoch}: train ${fmtPct(Number(job.lastEpoch.trainError))}, eval ` +
        `${fmtPct(Number(job.lastEpoch.evalError))}`
      : job.sweepId
        ? `sweep ${job.sweepId}`
        : '';
    const text = h('span', { class: 'job-text' }, last);
    const cancel = h(
      'button',
      {
        'data-testid': 'cancel-job',
        onclick: () => {
          api<JobSummary>(`/api/jobs/${job.id}/cancel`, { method: 'POST' }).catch(showError);
        },
      },
      'Cancel',
    );
    const links = h('span', { class: 'job-runs' });
    const row = h(
      'div',
      { class: `job ${job.status}`, 'data-job': job.id, 'data-status': job.status },
      h('strong', {}, job.kind),
      ' ',
      h('span', { class: 'mono' }, job.id.slice(0, 8)),
      ' ',
      progress,
      ' ',
      text,
      ' ',
      links,
      ' ',
      cancel,
    );
    this.rows.set(job.id, row);
    this.element.prepend(row);
    this.onCount(this.rows.size);
    for (const runId of job.runIds) this.linkRun(links, runId);
    if (job.status !== 'running') {
      this.finish(job.id, job.status, job.error);
      return;
    }
    const controller = new AbortController();
    this.watching.set(job.id, controller);
    watchJob(
      job.id,
      (e) => {
        if (e.event === 'run' && typeof e.runId === 'string') this.linkRun(links, e.runId);
        this.update(job, e, progress, text);
        this.onEvent(job, e);
      },
      controller.signal,
    ).catch(showError);
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
      case 'epoch': {
        const [train, evaluation] = [e.trainError, e.evalError].map((v) => fmtPct(Number(v)));
        text.textContent = `epoch ${e.epoch} done: train ${train}, eval ${evaluation}`;
        break;
      }
      case 'log': {
        const line = browserLogLine(String(e.line ?? ''));
        if (line) text.textContent = line;
        break;
      }
      case 'end':
        this.finish(job.id, String(e.status), (e.error as string | null) ?? null);
        break;
      default:
        break;
    }
  }

  /** A link to a run the job trains; a sweep's many runs read as their short ids. */
  private linkRun(links: HTMLElement, runId: string): void {
    if (links.querySelector(`a[data-run="${CSS.escape(runId)}"]`)) return;
    links.append(
      h(
        'a',
        { href: `#/runs/${encodeURIComponent(runId)}`, 'data-testid': 'job-run', 'data-run': runId },
        `run ${shortId(runId)}`,
      ),
      ' ',
    );
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
    const last = browserLogLine(text.textContent ?? '');
    text.textContent = `${status}${error ? `: ${browserLogLine(error)}` : ''}${last ? ` — ${last}` : ''}`;
    this.watching.delete(id);
  }

  stop(): void {
    for (const c of this.watching.values()) c.abort();
    this.watching.clear();
  }
}
