/**
 * Short ids (src/store/resolve-id.ts) on every real store: Store.idsWithPrefix and resolveId.
 * Run by test/store/sqlite.test.ts and test/store/neo4j.test.ts. Ids carry a per-process tag, so a
 * Neo4j database that outlives the test (NEO4J_URI) cannot make a prefix ambiguous by accident.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../graph/index.js';
import { NotFoundError, type Store } from '../../src/store/contract.js';
import { AmbiguousIdError, MAX_LISTED, resolveId } from '../../src/store/resolve-id.js';
import { smallTopology } from './fixtures.js';

export function idPrefixContract(name: string, open: () => Promise<Store>): void {
  const tag = `q${process.pid.toString(36)}${Date.now().toString(36)}`;
  describe(`short ids: ${name}`, () => {
    let store: Store;
    let topologyId: string;
    before(async () => {
      store = await open();
      topologyId = await store.saveTopology(smallTopology({ seed: 21 }), { id: `${tag}-topology` });
    });
    after(async () => {
      await store?.close();
    });

    const run = (id: string) => store.createRun({ id, topologyId, config: { epochs: 1 }, seed: 1 });

    test('a unique prefix names the run, sweep, topology; an exact id wins over longer ids it prefixes', async () => {
      await run(`${tag}-run-5ad6b782-1111`);
      await store.createSweep({ id: `${tag}-sweep-fig5`, config: {} });
      await store.createSweep({ id: `${tag}-sweep-fig5-big`, config: {} });
      assert.equal(await resolveId(store, 'run', `${tag}-run-5ad6`), `${tag}-run-5ad6b782-1111`);
      assert.equal(await resolveId(store, 'topology', `${tag}-top`), `${tag}-topology`);
      assert.equal(
        await resolveId(store, 'sweep', `${tag}-sweep-fig5`),
        `${tag}-sweep-fig5`,
        'exact id, though also a prefix of -big',
      );
      assert.equal(await resolveId(store, 'sweep', `${tag}-sweep-fig5-b`), `${tag}-sweep-fig5-big`);
      // Entities are separate: a run prefix does not find the sweep.
      await assert.rejects(resolveId(store, 'run', `${tag}-sweep`), NotFoundError);
    });

    test('an ambiguous prefix is bad input that lists the matches; no match is not found', async () => {
      await run(`${tag}-amb-aaaa`);
      await run(`${tag}-amb-aaab`);
      const error = await resolveId(store, 'run', `${tag}-amb-aa`, '<id>').then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(error instanceof AmbiguousIdError && error instanceof InputError, String(error));
      assert.deepEqual(error.matches, [`${tag}-amb-aaaa`, `${tag}-amb-aaab`]);
      assert.equal(error.field, '<id>');
      assert.match(error.message, new RegExp(`${tag}-amb-aaaa, ${tag}-amb-aaab`));
      await assert.rejects(resolveId(store, 'run', `${tag}-amb-ab`), NotFoundError);
    });

    test('prefixes shorter than 4 characters only match exactly; wildcards and case are literal', async () => {
      const short = `z${tag.slice(1, 3)}`;
      await run(`${short}${tag}-only`);
      await assert.rejects(resolveId(store, 'run', short), NotFoundError, 'a 3-character prefix is too short');
      await run(`${tag}_x1`);
      await run(`${tag}Ax2`);
      // SQL LIKE would read _ as any character and ignore case: both would then be ambiguous.
      assert.equal(await resolveId(store, 'run', `${tag}_`), `${tag}_x1`);
      assert.equal(await resolveId(store, 'run', `${tag}A`), `${tag}Ax2`);
      await assert.rejects(resolveId(store, 'run', `${tag}a`), NotFoundError);
    });

    test('lookups are bounded: at most limit ids come back, in id order; the error says there are more', async () => {
      const ids = Array.from({ length: MAX_LISTED + 3 }, (_, i) => `${tag}-many-${String(i).padStart(2, '0')}`);
      for (const id of [...ids].reverse()) await run(id);
      assert.deepEqual(await store.idsWithPrefix('run', `${tag}-many-`, 3), ids.slice(0, 3));
      const error = await resolveId(store, 'run', `${tag}-many`).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(error instanceof AmbiguousIdError);
      assert.deepEqual(error.matches, ids.slice(0, MAX_LISTED));
      assert.match(error.message, new RegExp(`more than ${MAX_LISTED}`));
    });
  });
}
