/**
 * `eqprop topology …` as a user runs it: the compiled CLI in a child process, in a temporary
 * directory, with a real SQLite store file there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../bin/eqprop.js', import.meta.url));

function run(args: string[], cwd: string) {
  const env = { ...process.env, EQPROP_DB: join(cwd, 'store.db'), EQPROP_STORE: 'sqlite', EQPROP_CONFIG: '' };
  const r = spawnSync(process.execPath, [bin, 'topology', ...args], { cwd, env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TINY = ['--sizes', '6,5,4,3', '--seed', '3'];

/** stdout as JSON, with the whole exchange in the message when it is not. */
function json(r: ReturnType<typeof run>) {
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  try {
    return JSON.parse(r.stdout);
  } catch {
    assert.fail(`not JSON (exit ${r.code}): stdout ${JSON.stringify(r.stdout)} stderr ${JSON.stringify(r.stderr)}`);
  }
}

test('bad flags: exit 2, one message naming the flag and the accepted range, nothing written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eqprop-cli-'));
  try {
    const cases: [string[], string, RegExp][] = [
      [['--sizes', '5', '--mode', 'layered'], '--sizes', /at least 2/],
      [['--sizes', '5,0,3', '--mode', 'layered'], '--sizes', /positive integer/],
      [['--sizes', '5,x,3', '--mode', 'layered'], '--sizes', /positive integer/],
      [[...TINY, '--mode', 'replace', '--p', '1.5'], '--p', /\[0, 1\]/],
      [[...TINY, '--mode', 'add', '--n', '100000'], '--n', /an integer in \[0, \d+\]/],
      [[...TINY, '--mode', 'wild', '--n', '3'], '--mode', /layered, replace, add, per-connection/],
      [
        [...TINY, '--mode', 'replace', '--n', '3', '--out', join(dir, 'nowhere', 'x.json')],
        '--out',
        /existing, writable directory/,
      ],
      [
        [...TINY, '--mode', 'replace', '--n', '3', '--out', join(dir, 'x.csv')],
        '--out',
        /\.graphml, \.gexf, \.json, \.npy/,
      ],
      [[...TINY, '--mode', 'replace', '--n', '3', '--seed', '-4'], '--seed', /integer/],
    ];
    for (const [args, flag, range] of cases) {
      // Every case also asks for an output file (unless it tests --out itself): none may appear.
      const out = args.includes('--out') ? [] : ['--out', join(dir, 'should-not-exist.json')];
      const r = run(['build', ...args, ...out], dir);
      assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}, stderr ${r.stderr}`);
      assert.ok(r.stderr.includes(flag), `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, range, args.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.deepEqual(readdirSync(dir), [], `${args.join(' ')} left files: ${readdirSync(dir)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('build → summary, export, save; list, show, export by id', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eqprop-cli-'));
  try {
    const text = run(['build', ...TINY, '--mode', 'replace', '--n', '5', '--metrics', '--no-save'], dir);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /connections 78: adjacent \d+, intralayer \d+, skip \d+/);
    assert.match(text.stdout, /n 5 +p 0\.06/);
    assert.match(text.stdout, /L [\d.]+ +C [\d.]+/);
    assert.deepEqual(readdirSync(dir), [], '--no-save opens no store');

    const built = run(
      [
        'build',
        ...TINY,
        '--mode',
        'add',
        '--n',
        '4',
        '--small-world',
        '2',
        '--out',
        join(dir, 'net.graphml'),
        '--json',
      ],
      dir,
    );
    const summary = json(built);
    assert.equal(summary.counts.total, 82);
    assert.equal(summary.counts.skip + summary.counts.adjacent + summary.counts.intralayer, 82);
    assert.ok(Number.isFinite(summary.metrics.sigma));
    assert.ok(readFileSync(join(dir, 'net.graphml'), 'utf8').includes('<graphml'));
    assert.equal(typeof summary.id, 'string');

    const list = run(['list', '--mode', 'add', '--metric', 'L:1:3', '--json'], dir);
    assert.deepEqual(
      json(list).map((r: { id: string }) => r.id),
      [summary.id],
    );
    assert.deepEqual(json(run(['list', '--mode', 'replace', '--json'], dir)), []);

    const show = run(['show', summary.id], dir);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /connections 82/);
    assert.match(show.stdout, /sigma/);

    const exp = run(['export', summary.id, '--out', join(dir, 'w.npy')], dir);
    assert.equal(exp.code, 0, exp.stderr);
    assert.ok(readdirSync(dir).includes('w.npy') && readdirSync(dir).includes('w.mask.npy'));
    const bad = run(['export', summary.id, '--out', join(dir, 'w.txt')], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--out/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('list: newest first, as its help says; --limit keeps the newest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eqprop-cli-'));
  try {
    // Three seeds, built one after the other: creation order is seed order.
    const ids = [1, 2, 3].map(
      (seed) =>
        json(
          run(
            [
              'build',
              '--sizes',
              '6,5,4,3',
              '--seed',
              String(seed),
              '--mode',
              'replace',
              '--n',
              '3',
              '--name',
              `order-${seed}`,
              '--json',
            ],
            dir,
          ),
        ).id as string,
    );
    const listed = json(run(['list', '--json'], dir)).map((r: { id: string }) => r.id);
    assert.deepEqual(listed, [...ids].reverse());
    const limited = json(run(['list', '--limit', '2', '--json'], dir)).map((r: { id: string }) => r.id);
    assert.deepEqual(limited, [ids[2], ids[1]], '--limit 2 is the two newest');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
