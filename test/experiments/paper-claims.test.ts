/**
 * The verdicts on the paper's Fig. 4 and Fig. 5 claims follow their fixed rules on runs whose
 * answer is known by construction (rates falling 4× a pair, a crossover at 7 %, at 0.5 %, seeds
 * that overlap), and `reproduce claims` judges stored tiny runs without training anything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Fig4Run, type Fig5Run, fig4Claims, fig5Claims } from '../../src/experiments/summarise/paper-claims.js';
import { cliEnv, runCli, tempDir } from './helpers.js';

const verdict = (rows: { claim: string; verdict: string }[], words: string) =>
  rows.find((r) => r.claim.includes(words))?.verdict;

test('Fig. 4: rates falling 4× a pair hold; rates rising with depth do not; per-layer spread decides', () => {
  const fourfold = (seed: number, scale = 1): Fig4Run[] => [
    { network: 'layered-one-rate', seed, meanRates: [1e-5, 4e-5, 1.6e-4, 6.4e-4].map((r) => r * scale) },
    { network: 'layered-per-layer', seed, meanRates: [2e-5, 2.5e-5, 3e-5, 4e-5] },
    { network: 'skipping-one-rate', seed, meanRates: [3e-5, 3.5e-5, 3.2e-5, 1e-3] },
  ];
  const rows = fig4Claims([...fourfold(1), ...fourfold(2, 1.1)]);
  assert.equal(rows.length, 5);
  assert.equal(verdict(rows, '≈ 4× slower'), 'holds');
  assert.match(rows[0].measured, /^4\.0× ± 0\.0× a pair/);
  assert.equal(verdict(rows, '≈ 1 %'), 'holds'); // 1e-5 / 6.4e-4 = 1.6 %
  assert.equal(verdict(rows, 'per-layer'), 'holds');
  assert.equal(verdict(rows, 'three deepest'), 'holds');
  assert.equal(verdict(rows, 'output pair still'), 'holds');
  assert.ok(rows.every((r) => r.seeds === 2));

  const rising = fig4Claims([{ network: 'layered-one-rate', seed: 1, meanRates: [4e-4, 2e-4, 1e-4, 5e-5] }]);
  assert.equal(verdict(rising, '≈ 4× slower'), 'does not hold');
  assert.equal(verdict(rising, 'per-layer'), 'not tested');
  const tenfold = fig4Claims([{ network: 'layered-one-rate', seed: 1, meanRates: [1e-8, 1e-7, 1e-6, 1e-5, 1e-4] }]);
  assert.equal(verdict(tenfold, '≈ 4× slower'), 'holds in part', 'falls with depth, but 10× a pair');
  assert.equal(verdict(tenfold, '≈ 1 %'), 'holds in part', '0.01 %: below 1 %, but not within 10× of it');
});

function sweep(errorsByP: Record<number, number[]>, baseline: number[]): Fig5Run[] {
  const runs: Fig5Run[] = baseline.map((e, k) => ({ n: 0, p: 0, layered: true, seed: k + 1, trainError: e }));
  for (const [p, errors] of Object.entries(errorsByP)) {
    for (const [k, e] of errors.entries()) {
      runs.push({ n: Math.round(Number(p) * 1e6), p: Number(p), layered: false, seed: k + 1, trainError: e });
    }
  }
  return runs;
}

test('Fig. 5: a crossover at 7 % holds, one at 0.5 % does not, and overlapping seeds cannot be told apart', () => {
  const paperLike = fig5Claims(
    sweep(
      { 0: [0.9, 0.91], 0.0005: [0.9, 0.905], 0.005: [0.88, 0.89], 0.05: [0.7, 0.72], 0.1: [0.4, 0.42] },
      [0.6, 0.61],
    ),
  );
  assert.equal(verdict(paperLike, 'p < 0.1 %'), 'holds');
  assert.equal(verdict(paperLike, 'falls'), 'holds');
  assert.equal(verdict(paperLike, 'until p ≈ 7 %'), 'holds');
  assert.match(paperLike[2].measured, /crossover between p = 5\.00 % and p = 10\.0 %/);

  const early = fig5Claims(sweep({ 0: [0.9], 0.002: [0.91], 0.005: [0.8], 0.05: [0.6] }, [0.85]));
  assert.equal(verdict(early, 'p < 0.1 %'), 'not tested', 'no p between 0 and 0.1 %');
  assert.equal(verdict(early, 'until p ≈ 7 %'), 'does not hold');

  const noisy = fig5Claims(sweep({ 0: [0.9, 0.7], 0.002: [0.86, 0.7], 0.05: [0.8, 0.62] }, [0.8, 0.7]));
  assert.equal(verdict(noisy, 'until p ≈ 7 %'), 'cannot be told apart');
  assert.equal(verdict(noisy, 'falls'), 'cannot be told apart');
});

test('reproduce claims --scale tiny: judges the stored Fig. 4 and Fig. 5 runs, trains nothing', async () => {
  const dir = tempDir();
  try {
    const env = cliEnv(dir);
    for (const figure of ['fig4', 'fig5']) {
      const args = [
        'reproduce',
        figure,
        '--scale',
        'tiny',
        '--seeds',
        '1,2',
        '--workers',
        '1',
        '--out',
        join(dir, figure),
      ];
      const r = await runCli(args, env);
      assert.equal(r.code, 0, r.stderr);
    }
    // The Fig. 5 seeds table reads in the figure's order: the layered baseline, then p ascending.
    const configurations = readFileSync(join(dir, 'fig5', 'seeds.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split('",')[0]);
    assert.match(configurations[0], /layered/);
    const ps = configurations.slice(1).map((c) => Number(/p = ([\d.]+) ?%/.exec(c)?.[1] ?? 0));
    assert.ok(ps.length >= 2);
    assert.deepEqual(
      ps,
      [...ps].sort((a, b) => a - b),
      configurations.join(' | '),
    );
    const out = join(dir, 'claims');
    const r = await runCli(['reproduce', 'claims', '--scale', 'tiny', '--seeds', '1,2', '--out', out], env);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /run\(s\) in sweep/, 'nothing is trained');
    const json = JSON.parse(readFileSync(join(out, 'claims.json'), 'utf8'));
    assert.equal(json.claims.length, 8);
    assert.deepEqual(json.sweeps, { fig4: 'fig3-4-tiny-seeds-1-2', fig5: 'fig5-tiny-seeds-1-2' });
    assert.ok(
      json.claims
        .filter((c: { verdict: string }) => c.verdict !== 'not tested')
        .every((c: { seeds: number }) => c.seeds === 2),
    );
    assert.equal(readFileSync(join(out, 'claims.md'), 'utf8'), r.stdout);

    // Fig. 4 with more seeds than Fig. 5: --fig5-seeds names the Fig. 5 sweep's own.
    const one = await runCli(['reproduce', 'fig5', '--scale', 'tiny', '--workers', '1'], env);
    assert.equal(one.code, 0, one.stderr);
    const mixedOut = join(dir, 'claims-mixed');
    const mixed = await runCli(
      ['reproduce', 'claims', '--scale', 'tiny', '--seeds', '1,2', '--fig5-seeds', '1', '--out', mixedOut],
      env,
    );
    assert.equal(mixed.code, 0, mixed.stderr);
    const mixedJson = JSON.parse(readFileSync(join(mixedOut, 'claims.json'), 'utf8'));
    assert.deepEqual(mixedJson.sweeps, { fig4: 'fig3-4-tiny-seeds-1-2', fig5: 'fig5-tiny' });
    assert.deepEqual(mixedJson.seeds, { fig4: [1, 2], fig5: [1] });
    const seedsOf = (figure: string) =>
      new Set(
        mixedJson.claims
          .filter((c: { figure: string; verdict: string }) => c.figure === figure && c.verdict !== 'not tested')
          .map((c: { seeds: number }) => c.seeds),
      );
    assert.deepEqual([...seedsOf('Fig. 4')], [2]);
    assert.deepEqual([...seedsOf('Fig. 5')], [1]);
    assert.match(mixed.stdout, /Fig\. 4 seeds 1, 2, Fig\. 5 seed 1/);

    // --points: only the chosen points of the preset's sweep now (seeds 1 and 2 are finished, so reused).
    const partialOut = join(dir, 'fig5-partial');
    const partial = await runCli(
      ['reproduce', 'fig5', '--scale', 'tiny', '--seeds', '1,2,3', '--points', 'layered,0.05', '--workers', '1'].concat(
        ['--out', partialOut],
      ),
      env,
    );
    assert.equal(partial.code, 0, partial.stderr);
    assert.match(partial.stderr, /6 run\(s\) in sweep fig5-tiny-seeds-1-2-3/);
    // The swept points in sweep.csv (the layered baseline is drawn apart): p = 0.05 with three seeds;
    // the other points only with the seeds already finished elsewhere (filed, not trained), none of seed 3.
    const swept = readFileSync(join(partialOut, 'sweep.csv'), 'utf8').trim().split('\n').slice(1);
    assert.deepEqual(
      swept.map((line) => line.split(',')[0]).sort(),
      ['p0.05.s1', 'p0.05.s2', 'p0.05.s3', 'p0.2.s1', 'p0.2.s2', 'p0.s1', 'p0.s2']
        .map((r) => `fig5-tiny-seeds-1-2-3.${r}`)
        .sort(),
    );
    assert.match(partial.stderr, /--points: 2 run\(s\) of other points left to a run without --points/);
    assert.match(partial.stderr, /layered\.s3/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
