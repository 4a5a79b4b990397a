/**
 * `eqprop runs export <ids...> --out file` and `eqprop runs import <file>`: finished runs as a run
 * bundle (src/experiments/reuse/run-bundle.ts), to move results between stores and machines. A name
 * ending in `.gz` is gzip-compressed.
 */
import { withLazilyLoadedStore } from './lazy-store.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Command } from 'commander';
import { InputError } from '../lib/index.js';
import { writeFileAtomic } from '../lib/index.js';
import { addStoreOptions, configFromFlags, examples, requireExistingStore, type StoreFlags } from './support.js';
import { parseId } from './parse.js';
import { exportRuns, importBundle, parseBundle } from '../src/experiments/index.js';
import { runNamed, sweepNamed } from './id-arguments.js';

/** Bundles of the paper's figures are kilobytes to a few megabytes; a larger file is not one of ours. */
const MAX_BUNDLE_BYTES = 256 * 2 ** 20;

function readBundleText(path: string): string {
  if (!existsSync(path) || !statSync(path).isFile())
    throw new InputError('cli', '<file>', `${JSON.stringify(path)} is not a file`, 'a run bundle (eqprop runs export)');
  const size = statSync(path).size;
  if (size > MAX_BUNDLE_BYTES)
    throw new InputError('cli', '<file>', `${size} bytes`, `a bundle of at most ${MAX_BUNDLE_BYTES} bytes`);
  const bytes = readFileSync(path);
  if (!path.endsWith('.gz')) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes, { maxOutputLength: 4 * MAX_BUNDLE_BYTES }).toString('utf8');
  } catch (e) {
    throw new InputError('cli', '<file>', `not gzip data (${(e as Error).message})`, 'a .gz written by export');
  }
}

export function register(runs: Command): void {
  const exporter = runs
    .command('export')
    .description('write finished runs (with their topologies and sweep) to a run bundle file')
    .argument('<ids...>', 'a sweep id (all its finished runs) or run ids, exactly or as unique prefixes')
    .requiredOption('--out <file>', 'the bundle to write (JSON; gzip-compressed when the name ends in .gz)');
  addStoreOptions(exporter);
  examples(exporter, [
    'eqprop runs export fig3-4-medium-seeds-1-2-3 --out fig4-medium-seeds.json.gz',
    'eqprop runs export fig5-small.p0.s1 fig5-small.p0.05.s1 --out two-runs.json',
  ]);
  exporter.action(async (given: string[], o: StoreFlags & { out: string }) => {
    for (const id of given) parseId('<ids>', id);
    if (o.out.trim() === '') throw new InputError('cli', '--out', 'is empty', 'a file path');
    const config = configFromFlags(o);
    requireExistingStore(config, '<ids>', given[0], 'ids of stored runs or a sweep (eqprop runs list)');
    await withLazilyLoadedStore(config, async (store) => {
      const sweep = given.length === 1 ? await sweepNamed(store, given[0]) : null;
      const ids =
        sweep !== null
          ? (await store.listRuns({ sweepId: sweep })).map((r) => r.id).sort()
          : await Promise.all(given.map((id) => runNamed(store, id)));
      const { bundle, skipped } = await exportRuns(store, ids);
      if (bundle.runs.length === 0)
        throw new InputError('cli', '<ids>', 'no finished run among them', 'runs whose status is done');
      const text = JSON.stringify(bundle);
      writeFileAtomic(o.out, (write) => write(o.out.endsWith('.gz') ? gzipSync(text) : text));
      for (const s of skipped) process.stderr.write(`skipped ${s.id}: ${s.status}, not finished\n`);
      process.stdout.write(`${bundle.runs.length} run(s), ${bundle.topologies.length} topology(ies) → ${o.out}\n`);
    });
  });

  const importer = runs
    .command('import')
    .description('add the runs of a run bundle to the store (topologies are rebuilt and checked)')
    .argument('<file>', 'a bundle written by eqprop runs export (.json or .json.gz)');
  addStoreOptions(importer);
  examples(importer, [
    'eqprop runs import docs/figures/fig4-medium-seeds-1-2-3/runs.json.gz',
    'eqprop report fig3-4-medium-seeds-1-2-3 --out reports/fig4-medium-seeds   # then draw them',
  ]);
  importer.action(async (file: string, o: StoreFlags) => {
    const bundle = parseBundle(readBundleText(file), file);
    await withLazilyLoadedStore(configFromFlags(o), async (store) => {
      const { imported, present } = await importBundle(store, bundle, file);
      process.stdout.write(`${imported.length} run(s) imported, ${present.length} already in ${store.location}\n`);
    });
  });
}
