/**
 * Fig. 4 with seeds: runs that differ only in their seed form one configuration; the band of a pair
 * is the mean, lowest and highest of the seeds' eq. 3-smoothed rates, checked against a float64
 * moving average written here; and `reproduce fig4 --scale tiny --seeds 1,2` draws the bands and
 * writes a seeds table whose means equal the mean of the runs' own outcome rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { rateBandSeries, seedlessKey, seedStatistic } from '../../src/reports/seed-bands.js';
import { cliEnv, runCli, tempDir } from '../experiments/helpers.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';

/** eq. 3 with half-width n: the mean over the window [t − n, t + n] clipped to the series. */
function movingAverage(xs: number[], n: number): number[] {
  return xs.map((_, t) => {
    const window = xs.slice(Math.max(0, t - n), Math.min(xs.length, t + n + 1));
    return window.reduce((s, v) => s + v, 0) / window.length;
  });
}

test('a band is the mean, lowest and highest of the seeds’ smoothed rates, batch by batch', () => {
  const seeds = [
    [1, 2, 3, 4, 5, 6],
    [2, 2, 2, 2, 2, 2],
    [6, 1, 6, 1, 6, 1],
  ];
  const rates = seeds.map((xs) => xs.map((rate, batch) => ({ batch, pair: 0, rate })));
  const band = rateBandSeries('net', rates, 1);
  const smoothed = seeds.map((xs) => movingAverage(xs, 1));
  assert.equal(band.length, 6);
  for (const p of band) {
    const at = smoothed.map((s) => s[p.batch]);
    assert.ok(Math.abs(p.mean - (at[0] + at[1] + at[2]) / 3) < 1e-12, `mean at ${p.batch}`);
    assert.equal(p.low, Math.min(...at));
    assert.equal(p.high, Math.max(...at));
    assert.equal(p.seeds, 3);
  }
});

test('the seedless key groups seeds of one configuration and nothing else', () => {
  const config = (seed: number, lr = 0.02) => ({ epochs: 1, train: { seed, learningRates: [lr] }, topology: {} });
  const spec = (seed: number, p = 0.0756) => ({ sizes: [784, 10], mode: 'replace', p, seed });
  assert.equal(seedlessKey(spec(1), config(1)), seedlessKey(spec(2), config(2)));
  assert.notEqual(seedlessKey(spec(1), config(1)), seedlessKey(spec(1, 0.1), config(1)));
  assert.notEqual(seedlessKey(spec(1), config(1)), seedlessKey(spec(1), config(1, 0.01)));
});

test('seed statistics: sample sd (n − 1), range, and nothing from missing values', () => {
  const s = seedStatistic([0.2, 0.4, null, 0.9]);
  assert.ok(Math.abs(s.mean! - 0.5) < 1e-12);
  assert.ok(Math.abs(s.sd! - Math.sqrt((0.09 + 0.01 + 0.16) / 2)) < 1e-12);
  assert.deepEqual([s.min, s.max], [0.2, 0.9]);
  assert.equal(seedStatistic([0.3]).sd, null);
  assert.equal(seedStatistic([null]).mean, null);
});

/** RFC 4180 fields: quoted ones may hold commas and doubled quotes. */
function csvLine(line: string): string[] {
  const fields: string[] = [];
  for (let at = 0; at <= line.length; ) {
    if (line[at] === '"') {
      let value = '';
      let k = at + 1;
      for (; k < line.length; k++) {
        if (line[k] === '"' && line[k + 1] === '"') {
          value += '"';
          k++;
        } else if (line[k] === '"') break;
        else value += line[k];
      }
      fields.push(value);
      at = k + 2;
    } else {
      const end = line.indexOf(',', at) === -1 ? line.length : line.indexOf(',', at);
      fields.push(line.slice(at, end));
      at = end + 1;
    }
  }
  return fields;
}

function csv(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const names = csvLine(header);
  return lines.map((line) => Object.fromEntries(csvLine(line).map((v, k) => [names[k], v])));
}

test("reproduce fig4 --scale tiny --seeds 1,2: rate bands and a seeds table equal to the runs' mean", async () => {
  const dir = tempDir();
  try {
    const out = join(dir, 'fig4');
    const args = ['reproduce', 'fig4', '--scale', 'tiny', '--seeds', '1,2', '--workers', '1', '--out', out];
    const r = await runCli(args, cliEnv(dir));
    assert.equal(r.code, 0, r.stderr);
    const spec = JSON.parse(readFileSync(join(out, 'rates.vl.json'), 'utf8'));
    assert.match(spec.title, /mean of 2 seeds/);
    assert.equal(spec.spec.layer[1].mark.type, 'area');
    const outcomes = csv(join(out, 'outcomes.csv'));
    const seeds = csv(join(out, 'seeds.csv'));
    assert.equal(outcomes.length, 6);
    assert.equal(seeds.length, 3);
    for (const row of seeds) {
      assert.equal(row.seeds, '1 2');
      const mine = outcomes.filter((o) => o.label.startsWith(row.configuration));
      assert.equal(mine.length, 2, row.configuration);
      const mean = (Number(mine[0].trainError) + Number(mine[1].trainError)) / 2;
      assert.ok(Math.abs(Number(row['trainError.mean']) - mean) < 1e-9, row.configuration);
    }

    // A seed that has not finished (here marked cancelled) is left out of the table: seeds and mean.
    const store = SqliteStore.open(join(dir, 'eqprop.db'));
    try {
      await store.updateRun('fig3-4-tiny-seeds-1-2.layered-one-rate.s2', { status: 'cancelled' });
    } finally {
      store.close();
    }
    const redrawn = join(dir, 'redrawn');
    const again = await runCli(['report', 'fig3-4-tiny-seeds-1-2', '--out', redrawn], cliEnv(dir));
    assert.equal(again.code, 0, again.stderr);
    const oneRate = csv(join(redrawn, 'seeds.csv')).find((row) => row.configuration.startsWith('layered, one rate'));
    const seed1 = outcomes.find((o) => o.runId === 'fig3-4-tiny-seeds-1-2.layered-one-rate.s1');
    assert.equal(oneRate?.seeds, '1');
    assert.equal(Number(oneRate?.['trainError.mean']), Number(seed1?.trainError));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
