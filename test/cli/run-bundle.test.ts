/**
 * Run bundles end to end: runs trained by `reproduce fig4 --scale tiny` are exported, imported into
 * an empty store, and that store holds the same runs, epochs, rates and topologies (graphs rebuilt
 * from their specs, edge for edge); a second import changes nothing; a tampered or foreign bundle
 * is refused with exit 2 naming the field, before any record is written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { cliEnv, runCli, tempDir } from '../experiments/helpers.js';

const SWEEP = 'fig3-4-tiny';

async function storeContents(db: string) {
  const store = SqliteStore.open(db);
  try {
    const runs = (await store.listRuns({ sweepId: SWEEP })).sort((a, b) => a.id.localeCompare(b.id));
    return await Promise.all(
      runs.map(async (r) => {
        const topology = await store.loadTopology(r.topologyId);
        return {
          id: r.id,
          status: r.status,
          config: r.config,
          seed: r.seed,
          topologyId: r.topologyId,
          epochs: await store.listEpochs(r.id),
          rates: await store.listRates(r.id),
          metrics: (await store.getTopology(r.topologyId)).metrics,
          edges: [...topology.edges.src.subarray(0, topology.edges.count)],
          weights: [...topology.edges.weight.subarray(0, topology.edges.count)],
        };
      }),
    );
  } finally {
    await store.close();
  }
}

test('runs export → import into an empty store: same runs, series, graphs; a second import adds nothing', async () => {
  const from = tempDir();
  const to = tempDir();
  try {
    const trained = await runCli(['reproduce', 'fig4', '--scale', 'tiny', '--workers', '1'], cliEnv(from));
    assert.equal(trained.code, 0, trained.stderr);
    const bundle = join(from, 'runs.json.gz');
    const exported = await runCli(['runs', 'export', SWEEP, '--out', bundle], cliEnv(from));
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stdout, /3 run\(s\)/);
    const parsed = JSON.parse(gunzipSync(readFileSync(bundle)).toString('utf8'));
    assert.equal(parsed.format, 'eqprop-run-bundle');

    const imported = await runCli(['runs', 'import', bundle], cliEnv(to));
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /3 run\(s\) imported, 0 already/);
    const [original, copy] = [await storeContents(join(from, 'eqprop.db')), await storeContents(join(to, 'eqprop.db'))];
    assert.equal(copy.length, 3);
    assert.deepEqual(copy, original);

    const again = await runCli(['runs', 'import', bundle], cliEnv(to));
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /0 run\(s\) imported, 3 already/);
    assert.deepEqual(await storeContents(join(to, 'eqprop.db')), original);

    // The report of the imported sweep draws from the copy alone.
    const report = await runCli(['report', SWEEP, '--out', join(to, 'report')], cliEnv(to));
    assert.equal(report.code, 0, report.stderr);
    assert.ok(existsSync(join(to, 'report', 'outcomes.csv')));
  } finally {
    rmSync(from, { recursive: true, force: true });
    rmSync(to, { recursive: true, force: true });
  }
});

test('runs import refuses a bundle whose graph or shape is not what it says, writing nothing', async () => {
  const from = tempDir();
  try {
    const trained = await runCli(['reproduce', 'fig4', '--scale', 'tiny', '--workers', '1'], cliEnv(from));
    assert.equal(trained.code, 0, trained.stderr);
    const plain = join(from, 'runs.json');
    assert.equal((await runCli(['runs', 'export', SWEEP, '--out', plain], cliEnv(from))).code, 0);
    const good = JSON.parse(readFileSync(plain, 'utf8'));

    const cases: { name: string; edit: (b: any) => unknown; field: RegExp }[] = [
      {
        name: 'a checksum that is not the graph',
        edit: (b) => {
          b.topologies[0].checksum = `sha256:${'0'.repeat(64)}`;
        },
        field: /topologies\[0\]\.checksum/,
      },
      {
        name: 'a spec with another seed (another graph)',
        edit: (b) => {
          b.topologies[0].spec.seed += 1;
        },
        field: /topologies\[0\]\.checksum/,
      },
      { name: 'a foreign format', edit: (b) => ({ ...b, format: 'something-else' }), field: /\.format/ },
      {
        name: 'a run without epochs',
        edit: (b) => {
          b.runs[1].epochs = [];
        },
        field: /runs\[1\]\.epochs/,
      },
      {
        name: 'a run naming a missing topology',
        edit: (b) => {
          b.runs[2].topologyId = 'topo-nowhere';
        },
        field: /runs\[2\]\.topologyId/,
      },
    ];
    for (const c of cases) {
      const dir = tempDir();
      try {
        const bundle = structuredClone(good);
        const replaced = c.edit(bundle);
        const file = join(dir, 'bad.json');
        writeFileSync(file, JSON.stringify(replaced ?? bundle));
        const r = await runCli(['runs', 'import', file], cliEnv(dir));
        assert.equal(r.code, 2, `${c.name}: ${r.stderr}`);
        assert.match(r.stderr, c.field, c.name);
        assert.doesNotMatch(r.stderr, /\n\s+at /, `${c.name}: no stack trace`);
        if (existsSync(join(dir, 'eqprop.db'))) {
          const store = SqliteStore.open(join(dir, 'eqprop.db'));
          try {
            assert.deepEqual(await store.listRuns({}), [], `${c.name}: no run written`);
            assert.deepEqual(await store.listTopologies({}), [], `${c.name}: no topology written`);
          } finally {
            await store.close();
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }

    const notJson = join(from, 'not.json');
    writeFileSync(notJson, '{"format": ');
    const r = await runCli(['runs', 'import', notJson], cliEnv(from));
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /not JSON/);
  } finally {
    rmSync(from, { recursive: true, force: true });
  }
});
