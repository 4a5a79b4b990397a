/**
 * Issue 24: command-line flags are the CLI's vocabulary only. Below the CLI (graph/, engine/, the
 * domain part of src/), errors name field paths (`topology.spanMin`, `train.learningRates`) and
 * settings (`sqlitePath`); the CLI shows them as its flags (cli/flag-names.ts). Fails when a
 * flag name (`--p`) is written into code there again. Comments may mention flags.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from './helpers.js';

/** Files below the CLI that talk to the CLI on purpose: they spawn it or print its commands. */
const ALLOWED = new Set([
  // Runs a job as `eqprop train --request <json>` in a child process.
  'src/experiments/execute/local-executor.ts',
  // Prints the commands to start workers and follow a submitted sweep.
  'src/queue/submit.ts',
]);

const DOMAIN = ['lib', 'graph', 'engine', 'src/experiments', 'src/store', 'src/queue', 'src/stats', 'src/reports'];

function sources(dir: string): string[] {
  return (readdirSync(repoPath(dir), { recursive: true }) as string[])
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(dir, name));
}

/** The code without comments (a flag in a comment explains, in code it is a message). */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

test('no flag names in the code of graph/, engine/ and the domain part of src/', () => {
  const files = DOMAIN.flatMap(sources).filter((f) => !ALLOWED.has(f));
  assert.ok(files.length > 100, `${files.length} files`);
  const naming = files.flatMap((file) => {
    const lines = code(readFileSync(repoPath(file), 'utf8')).split('\n');
    return lines.flatMap((line, i) =>
      /['"`(\s]--[a-z][a-z-]*/.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [],
    );
  });
  assert.deepEqual(naming, []);
});
