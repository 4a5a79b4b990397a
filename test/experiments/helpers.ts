/** Shared helpers for the experiment and CLI tests: repository paths, temp dirs, running the CLI. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (found from this file, so it works from test/ via tsx and from dist/test/). */
export const REPO_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('test helpers: no package.json above the test file');
    dir = up;
  }
  return dir;
})();

export function repoPath(relative: string): string {
  return resolve(REPO_ROOT, relative);
}

export function tempDir(prefix = 'eqprop-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

import { spawn, type ChildProcess } from 'node:child_process';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment for a CLI child: its own SQLite file and checkpoint directory under `dir`. */
export function cliEnv(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  // The caller's own configuration must not leak into the test's store.
  delete base.EQPROP_CONFIG;
  delete base.EQPROP_STORE;
  return {
    ...base,
    EQPROP_DB: join(dir, 'eqprop.db'),
    EQPROP_CHECKPOINT_DIR: join(dir, 'checkpoints'),
    EQPROP_DATA_DIR: join(dir, 'data'),
    ...extra,
  };
}

/** Starts `node bin/eqprop.js <args>` (the built CLI, as users run it). */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [repoPath('bin/eqprop.js'), ...args], {
    env,
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const child = spawnCli(args, env);
  return collect(child);
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** The JSON-lines events of `--json` output. */
export function events(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Tiny training flags: 2 batches of 20 per epoch, few steps (seconds per run). */
export const TINY_TRAINING = ['--train', '40', '--eval', '20', '--free-steps', '5', '--clamped-steps', '2'];
/** TINY_TRAINING as the keys of a sweep definition file, one epoch. */
export const TINY_STUDY_TRAINING = { train: 40, eval: 20, freeSteps: 5, clampedSteps: 2, epochs: 1 } as const;

/** Writes a study definition into dir and runs it with `eqprop sweep --definition` on 2 workers. */
export function runStudy(dir: string, study: Record<string, unknown>, env: NodeJS.ProcessEnv): Promise<CliResult> {
  const file = join(dir, 'study.json');
  writeFileSync(file, JSON.stringify(study));
  return runCli(['sweep', '--definition', file, '--workers', '2'], env);
}
