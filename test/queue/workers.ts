/**
 * Real `eqprop worker` processes for the tests (bin/eqprop.js, the compiled CLI), with their
 * JSON event lines collected so a test can see who trained what.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { repoPath } from '../experiments/helpers.js';
import type { WorkerEvent } from '../../src/queue/index.js';

export interface WorkerProcess {
  pid: number;
  events: WorkerEvent[];
  stderr(): string;
  /** Resolves when the worker has connected to the queue. */
  ready: Promise<void>;
  /** The first event, already printed or still to come, that matches; rejects if the worker exits first. */
  event<E extends WorkerEvent>(match: (e: WorkerEvent) => e is E): Promise<E>;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

export function startWorker(redisUrl: string, env: NodeJS.ProcessEnv, extraArgs: string[] = []): WorkerProcess {
  const args = [
    repoPath('bin/eqprop.js'),
    'worker',
    '--redis',
    redisUrl,
    '--json',
    '--lock-duration',
    '2000',
    '--stalled-interval',
    '1000',
    ...extraArgs,
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: WorkerEvent[] = [];
  const waiting = new Set<(e: WorkerEvent) => void>();
  let err = '';
  let buffered = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready: ${err.slice(-1000)}`)));
  });
  ready.catch(() => undefined);
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (!line.startsWith('{')) continue;
      const event = JSON.parse(line) as WorkerEvent;
      events.push(event);
      if (event.event === 'ready') onReady();
      for (const notify of waiting) notify(event);
    }
  });
  child.stderr!.on('data', (d) => {
    err = (err + d).slice(-20_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // 'close' comes after the last of its output has been read, unlike 'exit'.
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const event = <E extends WorkerEvent>(match: (e: WorkerEvent) => e is E): Promise<E> => {
    const seen = events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<E>((resolve, reject) => {
      const notify = (e: WorkerEvent) => {
        if (!match(e)) return;
        waiting.delete(notify);
        resolve(e);
      };
      waiting.add(notify);
      void closed.then((code) => {
        if (waiting.delete(notify)) reject(new Error(`worker exited (${code}) before the event: ${err.slice(-1000)}`));
      });
    });
  };
  return {
    pid: child.pid!,
    events,
    stderr: () => err,
    ready,
    event,
    exited,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

export async function stopWorkers(workers: WorkerProcess[]): Promise<void> {
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map((w) => Promise.race([w.exited, new Promise((r) => setTimeout(r, 10_000))])));
  for (const w of workers) w.kill('SIGKILL');
}
