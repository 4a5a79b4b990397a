/**
 * The store contract suite: one set of tests that every Store implementation must pass
 * (test/store/sqlite.test.ts and test/store/neo4j.test.ts run it against real engines).
 * Expected values come from the inputs (plain loops over what was written), never from the
 * store's own output.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EDGE_KIND_CODE, InputError, type Topology } from '../../graph/index.js';
import { NotFoundError, type Store } from '../../src/store/contract.js';
import { cloneTopology, shuffledTopology, smallTopology } from './fixtures.js';
export { concurrentEpoch } from './fixtures.js';

export interface ContractHarness {
  /** A fresh, empty store for this suite. */
  open(): Promise<Store>;
  /**
   * Writes epochs 1..count for runA from this process and for runB from a second writer (another
   * process for SQLite, another driver session for Neo4j) at the same time.
   */
  concurrentEpochWriters(store: Store, runA: string, runB: string, count: number): Promise<void>;
  /** Called after the suite (stop servers, remove files). */
  teardown?(): Promise<void>;
}

function assertTopologyEqual(actual: Topology, expected: Topology): void {
  assert.deepEqual(actual.spec, expected.spec);
  assert.deepEqual(actual.sizes, expected.sizes);
  assert.deepEqual(actual.offsets, expected.offsets);
  assert.equal(actual.N, expected.N);
  assert.equal(actual.edges.count, expected.edges.count);
  const n = expected.edges.count;
  // deepEqual on typed arrays compares type and every element.
  assert.deepEqual(actual.edges.src.subarray(0, n), expected.edges.src.subarray(0, n));
  assert.deepEqual(actual.edges.dst.subarray(0, n), expected.edges.dst.subarray(0, n));
  assert.deepEqual(actual.edges.weight.subarray(0, n), expected.edges.weight.subarray(0, n));
  assert.deepEqual(actual.edges.kind.subarray(0, n), expected.edges.kind.subarray(0, n));
  assert.deepEqual(actual.biases, expected.biases);
}

function countKinds(t: Topology) {
  const counts = { adjacent: 0, intralayer: 0, skip: 0, total: t.edges.count };
  for (let i = 0; i < t.edges.count; i++) {
    const k = t.edges.kind[i];
    if (k === EDGE_KIND_CODE.adjacent) counts.adjacent++;
    else if (k === EDGE_KIND_CODE.intralayer) counts.intralayer++;
    else if (k === EDGE_KIND_CODE.skip) counts.skip++;
  }
  return counts;
}

const epoch = (e: number, train: number, evalError: number) => ({
  epoch: e,
  trainError: train,
  evalError,
  durationMs: 10 * e,
});

export function storeContract(name: string, harness: ContractHarness): void {
  // Caller-chosen ids are unique per run: a store given by NEO4J_URI may keep earlier runs' data.
  const unique = `${name}-${process.pid}-${Date.now()}`;
  describe(`store contract: ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await harness.open();
    });
    after(async () => {
      await store?.close();
      await harness.teardown?.();
    });

    test('a topology reloads equal to the saved one, every typed array', async () => {
      const topology = smallTopology({ mode: 'replace', n: 15, seed: 3 });
      assert.ok(
        topology.edges.count > 0 && countKinds(topology).skip > 0 && countKinds(topology).intralayer > 0,
        'fixture has every kind',
      );
      const id = await store.saveTopology(topology, { name: 'round trip', metrics: { L: 2.3, C: 0.4 } });
      assertTopologyEqual(await store.loadTopology(id), topology);
      const record = await store.getTopology(id);
      assert.equal(record.name, 'round trip');
      assert.deepEqual(record.spec, topology.spec);
      assert.equal(record.N, topology.N);
      assert.deepEqual(record.counts, countKinds(topology));
      assert.deepEqual(record.metrics, { L: 2.3, C: 0.4 });
      await store.setTopologyMetrics(id, { C: 0.5, sigma: 1.25 });
      assert.deepEqual((await store.getTopology(id)).metrics, { L: 2.3, C: 0.5, sigma: 1.25 });
      // A layered topology (adjacent connections only) and a caller-chosen id.
      const layered = smallTopology({ mode: 'layered', n: undefined, seed: 4 });
      const layeredId = await store.saveTopology(layered, { id: `layered-${unique}` });
      assert.equal(layeredId, `layered-${unique}`);
      assertTopologyEqual(await store.loadTopology(layeredId), layered);
      // Connections in a non-canonical order come back in that order.
      const shuffled = shuffledTopology(topology, 99);
      assert.notDeepEqual(shuffled.edges.src, topology.edges.src);
      assertTopologyEqual(await store.loadTopology(await store.saveTopology(shuffled)), shuffled);
      await assert.rejects(store.loadTopology('no-such-topology'), NotFoundError);
    });

    test('runs and epochs: create, patch, list; rewriting an epoch replaces it', async () => {
      const topologyId = await store.saveTopology(smallTopology({ seed: 11 }));
      const sweepId = await store.createSweep({ name: 'runs test', config: { n: [0, 10] } });
      const runId = await store.createRun({ topologyId, sweepId, config: { epochs: 3, beta: 1 }, seed: 5 });
      const other = await store.createRun({ topologyId, config: { epochs: 1 }, seed: 6, status: 'running' });
      let run = await store.getRun(runId);
      assert.equal(run.status, 'queued');
      assert.equal(run.sweepId, sweepId);
      assert.deepEqual(run.config, { epochs: 3, beta: 1 });
      assert.equal(run.seed, 5);
      assert.equal(run.startedAt, null);

      const startedAt = '2026-01-02T03:04:05.000Z';
      await store.updateRun(runId, { status: 'running', backend: 'wasm', worker: 'host:1', startedAt });
      await store.updateRun(runId, { checkpoint: 'ck/1.bin' });
      run = await store.getRun(runId);
      assert.equal(run.status, 'running');
      assert.equal(run.backend, 'wasm');
      assert.equal(run.worker, 'host:1');
      assert.equal(run.checkpoint, 'ck/1.bin');
      assert.equal(run.startedAt, startedAt);
      await store.updateRun(runId, { worker: null });
      assert.equal((await store.getRun(runId)).worker, null);

      assert.deepEqual((await store.listRuns({ topologyId })).map((r) => r.id).sort(), [runId, other].sort());
      assert.deepEqual(
        (await store.listRuns({ sweepId })).map((r) => r.id),
        [runId],
      );
      assert.ok((await store.listRuns({ status: 'running' })).some((r) => r.id === runId));
      assert.deepEqual((await store.getSweep(sweepId)).config, { n: [0, 10] });
      assert.ok((await store.listSweeps()).some((s) => s.id === sweepId));

      await store.addEpoch(runId, epoch(1, 0.5, 0.6));
      await store.addEpoch(runId, epoch(2, 0.3, 0.4));
      await store.addEpoch(runId, { ...epoch(3, 0.2, 0.3), testError: 0.31, meanFreeSteps: 123.5 });
      await store.addEpoch(runId, epoch(2, 0.25, 0.35)); // resumed after a crash: epoch 2 again
      const epochs = await store.listEpochs(runId);
      assert.deepEqual(
        epochs.map((e) => [e.epoch, e.trainError, e.evalError]),
        [
          [1, 0.5, 0.6],
          [2, 0.25, 0.35],
          [3, 0.2, 0.3],
        ],
      );
      assert.equal(epochs[2]!.testError, 0.31);
      assert.equal(epochs[2]!.meanFreeSteps, 123.5);
      assert.equal(epochs[0]!.durationMs, 10);

      // Idempotent creation under a caller-chosen id.
      const fixed = `run-fixed-${unique}`;
      assert.equal(await store.createRun({ id: fixed, topologyId, config: {}, seed: 1 }), fixed);
      assert.equal(await store.createRun({ id: fixed, topologyId, config: {}, seed: 1 }), fixed);
      assert.equal((await store.listRuns({ topologyId })).filter((r) => r.id === fixed).length, 1);

      await assert.rejects(store.getRun('no-such-run'), NotFoundError);
      await assert.rejects(store.updateRun('no-such-run', { status: 'done' }), NotFoundError);
      await assert.rejects(store.addEpoch('no-such-run', epoch(1, 0.1, 0.1)), NotFoundError);
      await assert.rejects(store.updateRun(runId, { status: 'exploded' as never }), InputError);
    });

    // Catches a claim that is a read-then-write (both claimers see the same old record and both
    // win: two `--resume` of one run train twice) or one that ignores the expected worker.
    test('claimRun: a compare-and-set on status and worker; of concurrent claimers exactly one wins', async () => {
      const topologyId = await store.saveTopology(smallTopology({ seed: 13 }));
      const runId = await store.createRun({ topologyId, config: {}, seed: 1 });
      const claimers = Array.from({ length: 8 }, (_, k) => `host:${1000 + k}`);
      const won = await Promise.all(
        claimers.map((worker) => store.claimRun(runId, { worker, expectedStatuses: ['queued'], expectedWorker: null })),
      );
      assert.equal(won.filter(Boolean).length, 1, `exactly one winner, got ${JSON.stringify(won)}`);
      const winner = claimers[won.indexOf(true)];
      let run = await store.getRun(runId);
      assert.equal(run.status, 'running');
      assert.equal(run.worker, winner);

      // A crashed winner (status still running) is taken over by a claimer that expects its worker,
      // and only once: a second claimer that read the same record loses.
      assert.equal(
        await store.claimRun(runId, { worker: 'host:2', expectedStatuses: ['running'], expectedWorker: winner }),
        true,
      );
      assert.equal(
        await store.claimRun(runId, { worker: 'host:3', expectedStatuses: ['running'], expectedWorker: winner }),
        false,
      );
      assert.equal((await store.getRun(runId)).worker, 'host:2');

      // A failed run: the claim clears its error and end time; a done run cannot be claimed.
      await store.updateRun(runId, { status: 'failed', error: 'disk full', finishedAt: '2026-01-02T03:04:05.000Z' });
      assert.equal(await store.claimRun(runId, { worker: 'host:4', expectedStatuses: ['failed', 'cancelled'] }), true);
      run = await store.getRun(runId);
      assert.deepEqual([run.status, run.worker, run.error, run.finishedAt], ['running', 'host:4', null, null]);
      await store.updateRun(runId, { status: 'done' });
      assert.equal(
        await store.claimRun(runId, { worker: 'host:5', expectedStatuses: ['failed', 'cancelled', 'queued'] }),
        false,
      );
      assert.equal((await store.getRun(runId)).status, 'done');

      await assert.rejects(
        store.claimRun('no-such-run', { worker: 'host:6', expectedStatuses: ['queued'] }),
        NotFoundError,
      );
      await assert.rejects(store.claimRun(runId, { worker: '', expectedStatuses: ['queued'] }), InputError);
      await assert.rejects(store.claimRun(runId, { worker: 'host:7', expectedStatuses: [] }), InputError);
    });

    test('rate series: ordered by batch then pair; rewriting a point replaces it', async () => {
      const topologyId = await store.saveTopology(smallTopology({ seed: 12 }));
      const runId = await store.createRun({ topologyId, config: {}, seed: 1 });
      const points = [];
      for (let batch = 0; batch < 5; batch++)
        for (let pair = 0; pair < 3; pair++) points.push({ batch, pair, rate: batch * 10 + pair + 0.5 });
      await store.addRates(runId, points.slice(8));
      await store.addRates(runId, points.slice(0, 8));
      await store.addRates(runId, [{ batch: 2, pair: 1, rate: -1 }]);
      const expected = points.map((p) => (p.batch === 2 && p.pair === 1 ? { ...p, rate: -1 } : p));
      assert.deepEqual(await store.listRates(runId), expected);
    });

    test('metric and parameter filters ("p between 5 and 10 % and L < 2.1")', async () => {
      const tag = `filter-${unique}`;
      const rows = [
        { p: 0.03, L: 2.0 },
        { p: 0.06, L: 2.05 },
        { p: 0.08, L: 2.3 },
        { p: 0.095, L: 1.9 },
        { p: 0.12, L: 2.0 },
      ];
      const ids: string[] = [];
      for (const [i, row] of rows.entries()) {
        ids.push(
          await store.saveTopology(smallTopology({ mode: 'per-connection', n: undefined, p: row.p, seed: 100 + i }), {
            id: `${tag}-${i}`,
            metrics: { L: row.L, tag: 1 },
          }),
        );
      }
      // One without L: it must not match a filter on L.
      await store.saveTopology(smallTopology({ mode: 'per-connection', n: undefined, p: 0.07, seed: 99 }), {
        id: `${tag}-noL`,
        metrics: {},
      });
      const ours = (records: { id: string }[]) =>
        records
          .map((r) => r.id)
          .filter((id) => id.startsWith(tag))
          .sort();

      const expected = rows
        .map((r, i) => ({ ...r, id: ids[i]! }))
        .filter((r) => r.p >= 0.05 && r.p <= 0.1 && r.L < 2.1)
        .map((r) => r.id)
        .sort();
      assert.equal(expected.length, 2, 'the fixture separates the filter');
      assert.deepEqual(
        ours(await store.listTopologies({ p: { min: 0.05, max: 0.1 }, metrics: { L: { max: 2.0999 } } })),
        expected,
      );
      assert.deepEqual(
        ours(await store.listTopologies({ p: { min: 0.05, max: 0.1 } })),
        [...ids.slice(1, 4), `${tag}-noL`].sort(),
      );
      assert.deepEqual(
        ours(await store.listTopologies({ metrics: { L: { min: 2.0, max: 2.05 } } })),
        [ids[0]!, ids[1]!, ids[4]!].sort(),
      );
      assert.deepEqual(ours(await store.listTopologies({ mode: 'per-connection', seed: 103 })), [ids[3]!]);
      assert.deepEqual(
        ours(await store.listTopologies({ sizes: [6, 5, 5, 3], metrics: { tag: { min: 1 } } })),
        [...ids].sort(),
      );
      assert.deepEqual(ours(await store.listTopologies({ sizes: [6, 5, 3] })), []);
      assert.equal((await store.listTopologies({ metrics: { tag: { min: 1 } }, limit: 2 })).length, 2);
      await assert.rejects(store.listTopologies({ p: { min: Number.NaN } }), InputError);
      await assert.rejects(store.listTopologies({ sizes: [6, 0.5] }), InputError);
    });

    test('correlation table: each run beside its topology metrics, errors at epoch k and final', async () => {
      const tA = await store.saveTopology(smallTopology({ seed: 21 }), { metrics: { L: 2.2, C: 0.1 } });
      const tB = await store.saveTopology(smallTopology({ seed: 22 }), { metrics: { L: 1.9 } });
      const sweepId = await store.createSweep({ config: { seeds: [1, 2] } });
      const r1 = await store.createRun({ topologyId: tA, sweepId, config: {}, seed: 1 });
      const r2 = await store.createRun({ topologyId: tB, sweepId, config: {}, seed: 2 });
      const r3 = await store.createRun({ topologyId: tB, sweepId, config: {}, seed: 3 });
      const outside = await store.createRun({ topologyId: tA, config: {}, seed: 4 });
      for (const [e, tr, ev] of [
        [1, 0.5, 0.55],
        [2, 0.4, 0.45],
        [3, 0.3, 0.35],
      ] as const)
        await store.addEpoch(r1, epoch(e, tr, ev));
      await store.addEpoch(r2, epoch(1, 0.6, 0.65));
      await store.updateRun(r1, { status: 'done' });
      await store.addEpoch(outside, epoch(1, 0.9, 0.9));

      const table = await store.correlationTable({ sweepId, epoch: 2 });
      const byRun = new Map(table.map((row) => [row.runId, row]));
      assert.deepEqual([...byRun.keys()].sort(), [r1, r2, r3].sort());
      assert.deepEqual(
        { ...byRun.get(r1)!, spec: undefined },
        {
          runId: r1,
          topologyId: tA,
          sweepId,
          spec: undefined,
          metrics: { L: 2.2, C: 0.1 },
          status: 'done',
          epochs: 3,
          finalTrainError: 0.3,
          finalEvalError: 0.35,
          trainErrorAt: 0.4,
          evalErrorAt: 0.45,
        },
      );
      assert.deepEqual(byRun.get(r1)!.spec, (await store.getTopology(tA)).spec);
      const row2 = byRun.get(r2)!;
      assert.deepEqual(
        [row2.metrics, row2.epochs, row2.finalTrainError, row2.finalEvalError, row2.trainErrorAt, row2.evalErrorAt],
        [{ L: 1.9 }, 1, 0.6, 0.65, null, null],
      );
      const row3 = byRun.get(r3)!;
      assert.deepEqual(
        [row3.status, row3.epochs, row3.finalTrainError, row3.finalEvalError],
        ['queued', 0, null, null],
      );
      const all = await store.correlationTable();
      assert.ok(all.some((row) => row.runId === outside) && all.some((row) => row.runId === r1));
      assert.equal(all.find((row) => row.runId === r1)!.trainErrorAt, null, 'no epoch asked for');
    });

    test('delete cascades: topology → runs, epochs, rates, metrics; sweep → its runs only', async () => {
      const keep = await store.saveTopology(smallTopology({ seed: 31 }));
      const doomed = await store.saveTopology(smallTopology({ seed: 32 }), { metrics: { L: 2 } });
      const sweepId = await store.createSweep({ config: {} });
      const runDoomed = await store.createRun({ topologyId: doomed, config: {}, seed: 1 });
      const runKept = await store.createRun({ topologyId: keep, config: {}, seed: 1 });
      const runInSweep = await store.createRun({ topologyId: keep, sweepId, config: {}, seed: 2 });
      for (const r of [runDoomed, runKept, runInSweep]) {
        await store.addEpoch(r, epoch(1, 0.5, 0.5));
        await store.addRates(r, [{ batch: 0, pair: 0, rate: 0.1 }]);
      }
      await store.deleteTopology(doomed);
      await assert.rejects(store.getTopology(doomed), NotFoundError);
      await assert.rejects(store.loadTopology(doomed), NotFoundError);
      await assert.rejects(store.getRun(runDoomed), NotFoundError);
      await assert.rejects(store.listEpochs(runDoomed), NotFoundError);
      assert.ok(!(await store.correlationTable()).some((row) => row.topologyId === doomed));
      assert.equal((await store.listEpochs(runKept)).length, 1);

      await store.deleteSweep(sweepId);
      await assert.rejects(store.getSweep(sweepId), NotFoundError);
      await assert.rejects(store.getRun(runInSweep), NotFoundError);
      assert.equal((await store.getTopology(keep)).id, keep, 'a sweep delete keeps the topologies');
      assert.equal((await store.listRates(runKept)).length, 1);

      await store.deleteRun(runKept);
      await assert.rejects(store.listRates(runKept), NotFoundError);
      await assert.rejects(store.deleteTopology(doomed), NotFoundError);
    });

    test('an invalid write leaves no trace', async () => {
      const bad = cloneTopology(smallTopology({ seed: 41 }));
      bad.edges.kind[bad.edges.count - 1] = EDGE_KIND_CODE.intralayer; // wrong kind on the very last connection
      await assert.rejects(store.saveTopology(bad, { id: `invalid-topology-${unique}` }), InputError);
      const nan = cloneTopology(smallTopology({ seed: 42 }));
      nan.biases[nan.N - 1] = Number.NaN;
      await assert.rejects(store.saveTopology(nan, { id: `invalid-topology-${unique}` }), InputError);
      await assert.rejects(
        store.saveTopology(smallTopology({ seed: 43 }), {
          id: `invalid-topology-${unique}`,
          metrics: { L: Number.POSITIVE_INFINITY },
        }),
        InputError,
      );
      const twice = cloneTopology(smallTopology({ seed: 45 }));
      twice.edges.src[1] = twice.edges.src[0]!; // the second connection repeats the first pair
      twice.edges.dst[1] = twice.edges.dst[0]!;
      twice.edges.kind[1] = twice.edges.kind[0]!;
      await assert.rejects(store.saveTopology(twice, { id: `invalid-topology-${unique}` }), /appears twice/);
      // Issue 26 A4: names are text, never terminal commands or reordering controls.
      for (const name of ['clear\u001b[2J', 'nul\u0000', 'rlo\u202eexe', 'iso\u2066x']) {
        const named = store.saveTopology(smallTopology({ seed: 46 }), { id: `invalid-topology-${unique}`, name });
        await assert.rejects(named, (e: unknown) => e instanceof InputError && e.field === 'name');
        const sweep = store.createSweep({ id: `invalid-sweep-${unique}`, name, config: {} });
        await assert.rejects(sweep, (e: unknown) => e instanceof InputError && e.field === 'sweep.name');
      }
      await assert.rejects(store.getSweep(`invalid-sweep-${unique}`), NotFoundError);
      await assert.rejects(store.getTopology(`invalid-topology-${unique}`), NotFoundError);

      const topologyId = await store.saveTopology(smallTopology({ seed: 44 }));
      await assert.rejects(
        store.createRun({ id: `invalid-run-${unique}`, topologyId: 'missing', config: {}, seed: 1 }),
        NotFoundError,
      );
      await assert.rejects(
        store.createRun({ id: `invalid-run-${unique}`, topologyId, sweepId: 'missing', config: {}, seed: 1 }),
        NotFoundError,
      );
      await assert.rejects(store.getRun(`invalid-run-${unique}`), NotFoundError);

      const runId = await store.createRun({ topologyId, config: {}, seed: 1 });
      await assert.rejects(
        store.addRates(runId, [
          { batch: 0, pair: 0, rate: 1 },
          { batch: 1, pair: 0, rate: Number.NaN },
        ]),
        InputError,
      );
      assert.deepEqual(await store.listRates(runId), []);
      await assert.rejects(store.addEpoch(runId, epoch(0, 0.1, 0.1)), InputError);
      await assert.rejects(store.addEpoch(runId, epoch(1, 1.5, 0.1)), InputError);
      assert.deepEqual(await store.listEpochs(runId), []);
    });

    test('two concurrent writers both land every write', async () => {
      const topologyId = await store.saveTopology(smallTopology({ seed: 51 }));
      const runA = await store.createRun({ topologyId, config: {}, seed: 1 });
      const runB = await store.createRun({ topologyId, config: {}, seed: 2 });
      const count = 100;
      await harness.concurrentEpochWriters(store, runA, runB, count);
      for (const runId of [runA, runB]) {
        const epochs = await store.listEpochs(runId);
        assert.deepEqual(
          epochs.map((e) => e.epoch),
          Array.from({ length: count }, (_, i) => i + 1),
        );
      }
    });

    test('creating the same id twice at once yields one record and the id for both', async () => {
      const topologyId = `same-id-${unique}`;
      const topology = smallTopology({ seed: 52 });
      assert.deepEqual(
        await Promise.all([
          store.saveTopology(topology, { id: topologyId }),
          store.saveTopology(topology, { id: topologyId }),
        ]),
        [topologyId, topologyId],
      );
      const runId = `same-run-${unique}`;
      const run = { id: runId, topologyId, config: {}, seed: 1 };
      assert.deepEqual(await Promise.all([store.createRun(run), store.createRun(run), store.createRun(run)]), [
        runId,
        runId,
        runId,
      ]);
      assert.deepEqual(
        (await store.listRuns({ topologyId })).map((r) => r.id),
        [runId],
      );
      assertTopologyEqual(await store.loadTopology(topologyId), topology);
    });
  });
}
