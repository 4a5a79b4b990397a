/**
 * Trains one queued run in a child process (job-process.ts) and reports how it ended. Progress
 * and log lines are passed up as they come; `stop()` asks the child to checkpoint and end early.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_ORPHANED, type ChildConfig, type FromChild, type StartChild } from './child-protocol.js';
import type { QueuedRequest } from './job.js';

export type ChildOutcome =
  | { kind: 'end'; end: 'done' | 'skipped' | 'cancelled' }
  | { kind: 'error'; message: string; permanent: boolean };

export interface ChildHooks {
  onProgress?(p: Extract<FromChild, { type: 'progress' }>): void;
  onLog?(message: string): void;
  onResumed?(message: string): void;
}

export interface RunningChild {
  outcome: Promise<ChildOutcome>;
  /** Checkpoint at the next batch and end (the run is marked cancelled). */
  stop(): void;
  /** End now, writing nothing more (the job is no longer ours). */
  kill(): void;
}

/** job-process.js beside this module (job-process.ts when running from sources under tsx). */
function childModule(): string {
  const here = fileURLToPath(import.meta.url);
  return here.replace(/run-in-child\.(ts|js)$/, 'job-process.$1');
}

/** The most telling line of a crashed child's stderr: the last one naming an error, else the last one. */
function errorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at ') && !l.startsWith('Node.js v'));
  const line = [...lines].reverse().find((l) => /error/i.test(l)) ?? lines.at(-1);
  return line ? `: ${line}` : '';
}

export function runInChild(
  request: QueuedRequest,
  config: ChildConfig,
  workerName: string,
  hooks: ChildHooks = {},
): RunningChild {
  // The child's stdout goes to our stderr: the worker's stdout carries only its own JSON lines.
  const child = fork(childModule(), [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: process.execArgv });
  child.stdout?.pipe(process.stderr);
  let ended: ChildOutcome | null = null;
  let stderrTail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-2000);
    process.stderr.write(chunk);
  });
  child.on('message', (m: FromChild) => {
    if (m.type === 'progress') hooks.onProgress?.(m);
    else if (m.type === 'log') hooks.onLog?.(m.message);
    else if (m.type === 'resumed') hooks.onResumed?.(m.message);
    else if (m.type === 'end') ended = { kind: 'end', end: m.end };
    else if (m.type === 'error') ended = { kind: 'error', message: m.message, permanent: m.permanent };
  });
  const outcome = new Promise<ChildOutcome>((resolve) => {
    child.on('exit', (code, signal) => {
      if (ended) return resolve(ended);
      const how = signal
        ? `killed by ${signal}`
        : code === EXIT_ORPHANED
          ? 'stopped: its IPC channel closed'
          : `exited with code ${code}`;
      // A crash without a report (out of memory, killed) may well not happen again: retry it.
      resolve({ kind: 'error', message: `training process ${how}${errorLine(stderrTail)}`, permanent: false });
    });
  });
  const stopFile = join(tmpdir(), `eqprop-worker-stop-${randomUUID()}`);
  const start: StartChild = { type: 'start', request, config, stopFile };
  child.send(start);
  return {
    outcome: outcome.finally(() => rmSync(stopFile, { force: true })),
    stop: () => writeFileSync(stopFile, `stop requested by ${workerName}\n`),
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
