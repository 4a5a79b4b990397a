/**
 * The second process of the SQLite concurrency test: opens the same database file and writes
 * epochs 1..count of one run, as fast as it can, while the parent does the same for another run.
 * Usage: node sqlite-writer-child.js <dbPath> <runId> <count>; prints "started" then "done".
 */
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { concurrentEpoch } from './fixtures.js';

const [dbPath, runId, countText] = process.argv.slice(2);
const store = SqliteStore.open(dbPath!);
process.stdout.write('started\n');
for (let e = 1; e <= Number(countText); e++) await store.addEpoch(runId!, concurrentEpoch(e));
await store.close();
process.stdout.write('done\n');
