/**
 * The README's commands exist: every line of a README.md code block that starts with `eqprop `,
 * `npx eqprop ` or `node bin/eqprop.js ` (after optional `VAR=value` assignments) is cut to its
 * command words — the words before the first flag, placeholder or comment — and
 * `node bin/eqprop.js <words> --help` must exit 0 with a usage line that names the command.
 *
 * Commander answers `--help` after an unknown subcommand with the parent's usage and exit 0, so
 * the exit code alone proves nothing: the words after the command the usage line names must be
 * positional arguments that command declares (`<id>`, `[ids...]`). `eqprop topology frobnicate`
 * leaves `frobnicate` over while `eqprop topology` declares none, and fails.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { repoPath } from '../experiments/helpers.js';

const PREFIXES = ['eqprop ', 'npx eqprop ', 'node bin/eqprop.js '];
/** A command word or a plain positional value (an id, a figure name); anything else ends the words. */
const WORD = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The word lists of every eqprop command line in the code blocks of a Markdown text. */
export function readmeCommands(markdown: string): string[][] {
  const commands: string[][] = [];
  let inBlock = false;
  for (const raw of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(raw)) {
      inBlock = !inBlock;
      continue;
    }
    if (!inBlock) continue;
    let line = raw.trim().replace(/^(?:[A-Z_][A-Z0-9_]*=\S*\s+)+/, '');
    const prefix = PREFIXES.find((p) => line.startsWith(p));
    if (prefix === undefined) continue;
    line = line.slice(prefix.length);
    const words: string[] = [];
    for (const word of line.split(/\s+/)) {
      if (!WORD.test(word)) break;
      words.push(word);
    }
    commands.push(words);
  }
  return commands;
}

interface Check {
  words: string[];
  ok: boolean;
  why: string;
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [repoPath('bin/eqprop.js'), ...args],
      { cwd: repoPath('.'), timeout: 240_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs `<words> --help` and checks that the usage line names the command and takes the rest. */
export async function checkCommand(words: string[]): Promise<Check> {
  const { code, stdout, stderr } = await run([...words, '--help']);
  if (code !== 0) return { words, ok: false, why: `exit ${code}: ${(stderr || stdout).trim().split('\n')[0]}` };
  const usage = /^Usage: eqprop((?: [a-z][\w-]*)*)((?: \S+)*)$/m.exec(stdout);
  if (usage === null) return { words, ok: false, why: 'no "Usage: eqprop …" line in the help' };
  const path = usage[1]!.trim().split(' ').filter(Boolean);
  const rest = usage[2]!
    .trim()
    .split(' ')
    .filter((w) => w !== '' && w !== '[options]' && w !== '[command]');
  if (path.some((w, i) => words[i] !== w)) {
    return { words, ok: false, why: `help is for "eqprop ${path.join(' ')}"` };
  }
  const extra = words.slice(path.length);
  const declared = rest.filter((w) => /^[<[]/.test(w));
  const variadic = declared.some((w) => w.includes('...'));
  if (extra.length > 0 && !variadic && extra.length > declared.length) {
    return { words, ok: false, why: `"eqprop ${path.join(' ')}" has no command or argument "${extra.join(' ')}"` };
  }
  return { words, ok: true, why: '' };
}

/** Checks every distinct word list, a few processes at a time. */
async function checkAll(commands: string[][], parallel = 3): Promise<Check[]> {
  const distinct = [...new Map(commands.map((w) => [w.join(' '), w])).values()];
  const results: Check[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < distinct.length) {
        const words = distinct[next++]!;
        results.push(await checkCommand(words));
      }
    }),
  );
  return results;
}

describe('README commands', () => {
  it('finds the eqprop command lines of code blocks only', () => {
    const md = [
      'eqprop outside a block',
      '```sh',
      'npm run build',
      'eqprop topology list --metric L:1.4:1.6   # comment',
      'npx eqprop runs show <runId>',
      'EQPROP_STORE=neo4j node bin/eqprop.js sweep status my-sweep',
      'eqprop sweep … --queue redis://x',
      '```',
    ].join('\n');
    assert.deepEqual(readmeCommands(md), [
      ['topology', 'list'],
      ['runs', 'show'],
      ['sweep', 'status', 'my-sweep'],
      ['sweep'],
    ]);
  });

  it('every eqprop command shown in README.md exists (--help exits 0 and names it)', async () => {
    const commands = readmeCommands(readFileSync(repoPath('README.md'), 'utf8'));
    assert.ok(commands.length >= 10, `expected the README's recipes, found ${commands.length} eqprop lines`);
    const failed = (await checkAll(commands)).filter((c) => !c.ok);
    assert.deepEqual(
      failed.map((c) => `eqprop ${c.words.join(' ')}: ${c.why}`),
      [],
    );
  });

  it('fails for commands that do not exist', async () => {
    const results = await checkAll([['frobnicate'], ['topology', 'frobnicate'], ['runs', 'list', 'extra']]);
    for (const r of results) assert.equal(r.ok, false, `eqprop ${r.words.join(' ')} should be refused`);
  });
});
