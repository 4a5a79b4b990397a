/**
 * Background jobs: each training run or sweep is a child process (`node bin/eqprop.js train|sweep
 * … --json`) started by the job runner (src/jobs/job-runner.ts), so the numerical work never
 * touches the server's event loop. The manager keeps a bounded event log per job of what the
 * runner reads from the child (replayed to late subscribers), fans events out to live subscribers
 * (the SSE endpoint), and cancels through the runner (SIGTERM: the CLI checkpoints and marks the
 * run cancelled).
 */
import { randomUUID } from 'node:crypto';
import { HttpError } from '../http-errors.js';
import { startJob, type JobCommand, type JobExit, type RunningJob } from '../../src/jobs/index.js';

export type JobKind = 'train' | 'sweep';
export type JobStatus = 'running' | 'done' | 'failed' | 'cancelled';

/** One event from the child (its JSON line), numbered in arrival order. */
export interface JobEvent {
  seq: number;
  event: string;
  [key: string]: unknown;
}

export interface JobSummary {
  id: string;
  kind: JobKind;
  status: JobStatus;
  args: string[];
  /** Training processes this job runs at once (counted against the server's budget). */
  processes: number;
  pid: number | null;
  startedAt: string;
  finishedAt: string | null;
  exitCode: number | null;
  /** Run ids announced by the child ({"event":"run"}). */
  runIds: string[];
  sweepId: string | null;
  /** The latest batch and epoch events, for progress bars. */
  lastBatch: JobEvent | null;
  lastEpoch: JobEvent | null;
  error: string | null;
}

interface Job extends JobSummary {
  child: RunningJob | null;
  events: JobEvent[];
  listeners: Set<(e: JobEvent) => void>;
  stderrTail: string[];
  cancelRequested: boolean;
  nextSeq: number;
}

export interface JobManagerOptions {
  /** Path of bin/eqprop.js. */
  cli: string;
  /** Environment for the children (store selection etc.), merged over process.env. */
  env: Record<string, string>;
  cwd: string;
  /**
   * The process budget: training processes running at once, over all jobs (a train job is one, a
   * sweep with workers: k is k). Starts past it are refused with 429 (the machine has few cores).
   */
  maxRunning?: number;
  /** Batch events and log lines kept per job (the newest of each); other events are all kept. */
  maxBatchEvents?: number;
  /** Finished jobs remembered (the newest); older ones are forgotten, their runs stay in the store. */
  maxFinishedJobs?: number;
}

/**
 * What the child runs: the arguments the routes built from the domain object of the API body
 * (server/jobs/job-requests.ts: `--request <json>`, no flags of the body's fields) as
 * `eqprop <kind> <args> --json`. The one place a route's job becomes the runner's command.
 */
export function jobCommand(kind: JobKind, args: readonly string[]): JobCommand {
  return { command: kind, args };
}

export class JobManager {
  private readonly jobs = new Map<string, Job>();
  constructor(private readonly options: JobManagerOptions) {}

  /** Starts `eqprop <kind> <args> --json`; `processes` is how many training processes it will run. */
  start(kind: JobKind, args: string[], processes = 1): JobSummary {
    const max = this.options.maxRunning ?? 2;
    if (processes > max) {
      throw new HttpError(
        400,
        `eqprop/server: workers: ${processes} training processes for one job; ` +
          `expected at most ${max} (the server's process budget)`,
        'workers',
        `at most ${max}`,
      );
    }
    const running = [...this.jobs.values()]
      .filter((j) => j.status === 'running')
      .reduce((sum, j) => sum + j.processes, 0);
    if (running + processes > max) {
      throw new HttpError(
        429,
        `eqprop/server: ${running} training processes are already running and this job needs ` +
          `${processes}; expected at most ${max} at once (cancel one or wait)`,
        'jobs',
        `at most ${max} running training processes`,
      );
    }
    const job: Job = {
      id: randomUUID(),
      kind,
      status: 'running',
      args,
      processes,
      pid: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      exitCode: null,
      runIds: [],
      sweepId: null,
      lastBatch: null,
      lastEpoch: null,
      error: null,
      child: null,
      events: [],
      listeners: new Set(),
      stderrTail: [],
      cancelRequested: false,
      nextSeq: 0,
    };
    const child = startJob(jobCommand(kind, args), {
      bin: this.options.cli,
      cwd: this.options.cwd,
      env: { ...process.env, ...this.options.env },
      onEvent: (payload) => this.onEvent(job, payload),
      // A line without an `event` field (e.g. `eqprop sweep --json`'s final summary) is a `result`.
      onResult: (payload) => this.onEvent(job, { ...payload, event: 'result' }),
      onText: (line, stream) => {
        if (stream === 'stdout') {
          this.record(job, { seq: job.nextSeq++, event: 'log', stream, line });
          return;
        }
        // stderr carries the CLI's human-readable progress (a sweep reports each finished run
        // there): relayed as `log` events so the UI can show it live.
        job.stderrTail.push(line);
        if (job.stderrTail.length > 20) job.stderrTail.shift();
        if (line.trim() !== '') this.record(job, { seq: job.nextSeq++, event: 'log', stream, line });
      },
    });
    job.child = child;
    job.pid = child.pid;
    this.jobs.set(job.id, job);
    void child.exit.then((exit) => this.finish(job, exit));
    return summarize(job);
  }

  private onEvent(job: Job, payload: { event: string; [key: string]: unknown }): void {
    const event: JobEvent = { ...payload, seq: job.nextSeq++ };
    if (event.event === 'run' && typeof event.runId === 'string' && !job.runIds.includes(event.runId))
      job.runIds.push(event.runId);
    // Runs of a sweep name it in their run event; the sweep CLI's final summary names it too.
    if (typeof event.sweepId === 'string' && job.sweepId === null) job.sweepId = event.sweepId;
    if (event.event === 'batch') job.lastBatch = event;
    if (event.event === 'epoch') job.lastEpoch = event;
    if (event.event === 'error' && typeof event.message === 'string') job.error = event.message;
    this.record(job, event);
  }

  private record(job: Job, event: JobEvent): void {
    job.events.push(event);
    // Batch events arrive many per epoch; keep only the newest few so memory stays bounded.
    const maxBatch = this.options.maxBatchEvents ?? 200;
    if (event.event === 'batch' || event.event === 'log') {
      let same = 0;
      for (const e of job.events) if (e.event === event.event) same++;
      if (same > maxBatch)
        job.events.splice(
          job.events.findIndex((e) => e.event === event.event),
          1,
        );
    }
    for (const fn of job.listeners) fn(event);
  }

  /** The job's status from how its child ended: a cancel wins; else exit 0 is done. */
  private finish(job: Job, exit: JobExit): void {
    if (job.status !== 'running') return;
    const code = exit.code;
    const problem =
      exit.startError !== null
        ? `could not start the CLI: ${exit.startError}`
        : exit.signal && !job.cancelRequested
          ? `killed by ${exit.signal}`
          : null;
    job.exitCode = code;
    job.finishedAt = new Date().toISOString();
    job.child = null;
    if (job.cancelRequested) job.status = 'cancelled';
    else if (code === 0 && problem === null) job.status = 'done';
    else {
      job.status = 'failed';
      job.error ??= problem ?? (job.stderrTail.at(-1) || `exited with code ${code}`);
    }
    this.record(job, { seq: job.nextSeq++, event: 'end', status: job.status, exitCode: code, error: job.error });
    job.listeners.clear();
    this.forgetOldJobs();
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((j) => j.status !== 'running');
    const excess = finished.length - (this.options.maxFinishedJobs ?? 100);
    for (const job of finished.slice(0, Math.max(0, excess))) this.jobs.delete(job.id);
  }

  get(id: string): JobSummary {
    return summarize(this.require(id));
  }

  list(): JobSummary[] {
    return [...this.jobs.values()].map(summarize).reverse();
  }

  /** Past events (for replay) and, while the job runs, a subscription to new ones. */
  subscribe(
    id: string,
    listener: (e: JobEvent) => void,
  ): { replay: JobEvent[]; live: boolean; unsubscribe: () => void } {
    const job = this.require(id);
    const replay = [...job.events];
    if (job.status !== 'running') return { replay, live: false, unsubscribe: () => {} };
    job.listeners.add(listener);
    return { replay, live: true, unsubscribe: () => job.listeners.delete(listener) };
  }

  cancel(id: string): JobSummary {
    const job = this.require(id);
    if (job.status === 'running' && job.child) {
      job.cancelRequested = true;
      job.child.cancel();
    }
    return summarize(job);
  }

  /** Cancel every running child and wait (bounded, then SIGKILL) for them to exit; used on shutdown. */
  async stopAll(timeoutMs = 10_000): Promise<void> {
    const running = [...this.jobs.values()].filter((j) => j.status === 'running' && j.child);
    await Promise.all(
      running.map(async (job) => {
        const child = job.child!;
        job.cancelRequested = true;
        child.cancel();
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            child.kill();
            resolve();
          }, timeoutMs);
        });
        await Promise.race([child.exit, late]);
        clearTimeout(timer);
      }),
    );
  }

  private require(id: string): Job {
    const job = this.jobs.get(id);
    if (!job)
      throw new HttpError(
        404,
        `eqprop/server: no job with id ${JSON.stringify(id)}; expected the id of a job started by this server`,
        'id',
        'the id of an existing job',
      );
    return job;
  }
}

function summarize(job: Job): JobSummary {
  const { child: _c, events: _e, listeners: _l, stderrTail: _s, cancelRequested: _r, nextSeq: _n, ...summary } = job;
  return { ...summary, runIds: [...summary.runIds] };
}
