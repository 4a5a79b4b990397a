/**
 * The edges the server shares with the CLI: `eqprop serve` itself (serves the app and API,
 * refuses a public bind without a token, stops on SIGTERM), and the flags the job manager passes
 * to `eqprop train` / `eqprop sweep`, checked against the CLI's own commands.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cliPath, repoRoot } from '../../server/paths.js';
import { sweepJob, sweepJobArgs, trainJobArgs, trainJobRequest } from '../../server/jobs/job-requests.js';
import { sweepJobBody, trainJobBody } from '../../server/schemas.js';
import { buildProgram } from '../../cli/program.js';

/** The long flags `eqprop <command>` takes, hidden ones (like --request) included. */
function flagsOfCommand(command: string): Set<string> {
  const cmd = buildProgram().commands.find((c) => c.name() === command);
  assert.ok(cmd, `no command ${command}`);
  return new Set(cmd.options.map((o) => o.long).filter((f): f is string => f !== undefined));
}

function flagsOf(args: string[]): string[] {
  return args.filter((a) => a.startsWith('--'));
}

// Issue 24: the API hands its jobs a typed request (`--request <json>`), not flags built from a body.
test('every flag the API passes to eqprop train and eqprop sweep is one of theirs', async () => {
  const train = trainJobBody.parse({
    topologyId: 't',
    seed: 1,
    epochs: 2,
    train: 40,
    eval: 20,
    batchSize: 20,
    freeSteps: 10,
    clampedSteps: 2,
    epsilon: 0.5,
    beta: 1,
    rate: 0.02,
    backend: 'cpu',
  });
  const perLayer = trainJobBody.parse({
    topology: { sizes: [784, 3, 10], mode: 'replace', n: 2, seed: 0 },
    epochs: 1,
    train: 40,
    eval: 20,
    rates: 'per-layer',
  });
  const sweep = sweepJobBody.parse({
    name: 's',
    sizes: [784, 3, 10],
    mode: 'add',
    n: [1, 2],
    seeds: [1],
    workers: 1,
    baseline: true,
    epochs: 1,
    train: 40,
    eval: 20,
    freeSteps: 5,
    rates: 'per-layer',
  });
  const store = { getTopology: async (id: string) => ({ id, spec: { sizes: [784, 3, 10] } }) as never };
  const requests = await Promise.all([train, perLayer].map((b) => trainJobRequest(b, { store, backend: 'auto' })));
  const trainFlags = flagsOfCommand('train');
  for (const flag of new Set([...requests.flatMap((r) => flagsOf(trainJobArgs(r))), '--json'])) {
    assert.ok(trainFlags.has(flag), `eqprop train has no ${flag}`);
  }
  const { settings, workers } = sweepJob(sweep, 'auto');
  const sweepFlags = flagsOfCommand('sweep');
  for (const flag of new Set([...flagsOf(sweepJobArgs(settings, workers)), '--json'])) {
    assert.ok(sweepFlags.has(flag), `eqprop sweep has no ${flag}`);
  }
});

test('eqprop serve refuses a non-loopback host without a token (exit 2)', () => {
  const r = spawnSync(process.execPath, [cliPath(), 'serve', '--host', '0.0.0.0', '--port', '0'], {
    encoding: 'utf8',
    env: { ...process.env, EQPROP_TOKEN: '' },
    timeout: 30_000,
  });
  assert.equal(r.status, 2, r.stderr);
  // The server names its settings' fields; the CLI shows them as its flags and variables.
  assert.match(r.stderr, /--host \/ EQPROP_HOST: binding to 0\.0\.0\.0 \(not loopback\) without a token/);
  assert.match(r.stderr, /expected a --token \/ EQPROP_TOKEN \(at least 16 characters\)/);
});

test('eqprop serve serves the API (and the app when built), and stops on SIGTERM', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eqprop-serve-'));
  const child = spawn(process.execPath, [cliPath(), 'serve', '--port', '0', '--db', join(dir, 'eqprop.db')], {
    cwd: repoRoot(),
    env: { ...process.env, EQPROP_DATA_DIR: dir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stderr! });
      lines.on('line', (line) => {
        const m = /serving (http:\/\/[^/\s]+)\//.exec(line);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
    });
    const health = await fetch(`${url}/api/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { ok: boolean }).ok, true);
    const root = await fetch(`${url}/`);
    assert.equal(root.status, 200);
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exit, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
