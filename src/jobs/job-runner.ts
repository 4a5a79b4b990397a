/**
 * The job runner: the one way a training job runs in another process. It starts the child, reads
 * its output through one parser, cancels it and reports how it ended. Used by the web server's
 * jobs (server/jobs/manager.ts), local sweeps (LocalProcessExecutor, src/experiments/
 * local-executor.ts) and queue workers (src/queue/worker-loop.ts).
 *
 * The child protocol is the CLI's own: `node bin/eqprop.js train --request <json> --json`. The
 * run request (run id, sweep id, RunConfig) is one argument; the training events of
 * src/experiments/execute/events.ts (run, batch, epoch, done, cancelled, error) come as JSON lines on
 * stdout, messages on stderr; SIGTERM cancels (the CLI checkpoints at the next batch and marks
 * the run cancelled, so it resumes where it stopped); the last done / cancelled / error event and
 * the exit status say how it ended. Why this protocol and not an IPC channel (what queue workers
 * used before):
 * - The JSON lines are the stable, documented protocol: the server relays them over SSE as they
 *   come and `eqprop train --json` users read them. IPC would be a second protocol carrying the
 *   same events.
 * - What queue workers need fits into it as added fields: batch events are their progress (the
 *   epoch count comes from the request), epoch events their job log, the run event's
 *   `resumedFrom` their "resuming from checkpoint" line, the error event's `permanent` whether a
 *   retry can help, and `--parent-pid` makes the child exit (code 75), writing nothing more, once
 *   its worker is gone (the job then belongs to another worker).
 * - One way to stop for all three callers, SIGTERM. Training yields to the event loop between
 *   batches, so the signal is seen at the next batch, as the queue's stop file was. A signal that
 *   arrives before the CLI listens for it ends the child before it trained anything: reported as
 *   cancelled too (the run, if it was created, resumes like any cancelled one).
 * A child process, not a worker thread: TensorFlow.js keeps one backend per process, a crashed or
 * killed child cannot take its caller down, and the caller's event loop stays free (the server
 * keeps answering, a queue worker keeps renewing its job locks).
 *
 * The web server's jobs get the domain objects built from their API bodies (server/jobs/
 * job-requests.ts) as JSON: `train --request <run request>`, `sweep --request <sweep settings>
 * --workers k`; childArguments is the one place that builds a child's command line.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { EXIT_ORPHANED, type TrainEvent } from '../experiments/execute/events.js';
import type { JobStatus } from '../experiments/execute/executor.js';
import type { RunRequest } from '../experiments/plan/run-config.js';
import { eqpropBin } from '../../lib/index.js';

/** What a child runs. */
export type JobCommand =
  /** One training run: `eqprop train --request <json> --json`. */
  | { command: 'train'; request: RunRequest }
  /** `eqprop train|sweep <args> --json`, with arguments the caller built (the server's jobs). */
  | { command: 'train' | 'sweep'; args: readonly string[] };

/**
 * The child's arguments after bin/eqprop.js: the one place that turns a job into a command line.
 * parentPid (training requests only): the child exits at once when that process is gone.
 */
export function childArguments(job: JobCommand, parentPid?: number): string[] {
  if ('args' in job) return [job.command, ...job.args, '--json'];
  const watch = parentPid === undefined ? [] : ['--parent-pid', String(parentPid)];
  return ['train', '--request', JSON.stringify(job.request), '--json', ...watch];
}

/** A JSON line with an `event` name: a TrainEvent; `eqprop sweep --json` adds `sweep` and `job`. */
export type ChildEvent = { event: string; [key: string]: unknown };

/** One line of a child's stdout. */
export type ChildLine =
  | { kind: 'event'; event: ChildEvent }
  /** A JSON object without an event name (`eqprop sweep --json`'s final summary). */
  | { kind: 'result'; value: Record<string, unknown> }
  /** Anything else, trimmed. */
  | { kind: 'text'; line: string };

/** The parser of a child's stdout lines (never throws); null for a blank line. */
export function parseChildLine(raw: string): ChildLine | null {
  const line = raw.trim();
  if (line === '') return null;
  if (line.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const record = value as Record<string, unknown>;
        return typeof record.event === 'string'
          ? { kind: 'event', event: record as ChildEvent }
          : { kind: 'result', value: record };
      }
    } catch {
      // not JSON: a text line
    }
  }
  return { kind: 'text', line };
}

export interface JobOptions<E extends { event: string } = ChildEvent> {
  /** The child's whole environment (default process.env); configEnv(config) selects the store. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** The CLI launcher (default this package's bin/eqprop.js). */
  bin?: string;
  /**
   * Queue workers: the child stops at once, writing nothing more, when this process is gone
   * (`--parent-pid`; training requests only).
   */
  exitWithParent?: boolean;
  /** Every event line, in order (batch events about 4 a second). */
  onEvent?(event: E): void;
  onResult?(value: Record<string, unknown>): void;
  /** stdout lines that are not JSON objects, and every stderr line as it came. */
  onText?(line: string, stream: 'stdout' | 'stderr'): void;
}

/** How a child ended. */
export interface JobExit {
  /**
   * From the last done / cancelled / error event: done or skipped (the run had finished before),
   * cancelled, failed; without one, failed, or cancelled when cancel() was what ended it.
   */
  end: JobStatus;
  /** Why it failed: the error event's message, else how the process ended and its telling stderr line. */
  error: string | null;
  /** The error event said a retry fails the same way (bad input); never for a crash. */
  permanent: boolean;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why the process could not be started at all; null when it ran. */
  startError: string | null;
  cancelRequested: boolean;
  /** The end of its stderr (the last 2000 characters). */
  stderrTail: string;
}

export interface RunningJob {
  readonly pid: number | null;
  /** Resolves once the child has exited and all its output was read; never rejects. */
  readonly exit: Promise<JobExit>;
  /** Checkpoint at the next batch, mark the run cancelled, exit (SIGTERM, sent once). */
  cancel(): void;
  /** End now, writing nothing more (SIGKILL): the job is no longer ours. */
  kill(): void;
}

const TERMINAL_EVENTS = new Set(['done', 'cancelled', 'error']);

/** The most telling line of a crashed child's stderr: the last one naming an error, else the last one. */
function errorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at ') && !l.startsWith('Node.js v'));
  const line = [...lines].reverse().find((l) => /error/i.test(l)) ?? lines.at(-1);
  return line ? `: ${line}` : '';
}

/** Starts a job in a child process. */
export function startJob(job: JobCommand, options: JobOptions = {}): RunningJob {
  const parentPid = options.exitWithParent && !('args' in job) ? process.pid : undefined;
  const child = spawn(process.execPath, [options.bin ?? eqpropBin(), ...childArguments(job, parentPid)], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let terminal: ChildEvent | null = null;
  let stderrTail = '';
  let cancelRequested = false;
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (raw) => {
    const line = parseChildLine(raw);
    if (line?.kind === 'event') {
      if (TERMINAL_EVENTS.has(line.event.event)) terminal = line.event;
      options.onEvent?.(line.event);
    } else if (line?.kind === 'result') options.onResult?.(line.value);
    else if (line?.kind === 'text') options.onText?.(line.line, 'stdout');
  });
  createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) => {
    stderrTail = `${stderrTail}${line}\n`.slice(-2000);
    options.onText?.(line, 'stderr');
  });

  const who = job.command === 'sweep' ? 'sweep process' : 'training process';
  const report = (code: number | null, signal: NodeJS.Signals | null, startError: string | null): JobExit => {
    const facts = { code, signal, startError, cancelRequested, stderrTail };
    const last = terminal as ChildEvent | null;
    if (last?.event === 'done')
      return { ...facts, end: last.skipped === true ? 'skipped' : 'done', error: null, permanent: false };
    if (last?.event === 'cancelled') return { ...facts, end: 'cancelled', error: null, permanent: false };
    if (last?.event === 'error')
      return { ...facts, end: 'failed', error: String(last.message), permanent: last.permanent === true };
    if (cancelRequested && signal === 'SIGTERM') return { ...facts, end: 'cancelled', error: null, permanent: false };
    // A crash without a report (out of memory, killed) may well not happen again: not permanent.
    const how =
      startError !== null
        ? `could not start: ${startError}`
        : signal
          ? `killed by ${signal}`
          : code === EXIT_ORPHANED
            ? 'stopped: the process that started it is gone'
            : `exited with code ${code}`;
    return { ...facts, end: 'failed', error: `${who} ${how}${errorLine(stderrTail)}`, permanent: false };
  };
  const exit = new Promise<JobExit>((resolve) => {
    let settled = false;
    const settle = (code: number | null, signal: NodeJS.Signals | null, startError: string | null) => {
      if (settled) return;
      settled = true;
      resolve(report(code, signal, startError));
    };
    // 'error' without a pid: the process never started (no 'close' need follow).
    child.on('error', (e) => {
      if (child.pid === undefined) settle(null, null, e.message);
    });
    child.on('close', (code, signal) => settle(code, signal, null));
  });
  const running = () => child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  return {
    pid: child.pid ?? null,
    exit,
    cancel: () => {
      if (cancelRequested || !running()) return;
      cancelRequested = true;
      child.kill('SIGTERM');
    },
    kill: () => {
      if (running()) child.kill('SIGKILL');
    },
  };
}

/** Starts one training run (`eqprop train --request <json> --json`); its events are TrainEvents. */
export function startTrainingJob(request: RunRequest, options: JobOptions<TrainEvent> = {}): RunningJob {
  return startJob({ command: 'train', request }, options as JobOptions);
}
