/**
 * The layering, checked on the real import graph (the TypeScript compiler's own module resolution;
 * static imports, re-exports, `import type` and dynamic `import()` alike):
 * - layers, bottom to top: lib → graph → engine → src → server → cli; a module imports only from
 *   its own layer or the layers below it (the web app, a separate browser program, sits on top);
 * - a module of one Node layer imports another layer only through that layer's surface: its
 *   `index.ts` (in src/, each folder's `index.ts`; `src/config.ts` is a surface of its own);
 * - no import cycles, between files of one layer either.
 * Fails on an upward import, an import of another layer's internal file, or a cycle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { repoPath } from '../experiments/helpers.js';
import { cycles, type ImportEdge, importGraph, sourceFiles } from './import-graph.js';

const LAYERS = ['lib', 'graph', 'engine', 'src', 'server', 'cli', 'web'] as const;
type Layer = (typeof LAYERS)[number];

function layerOf(file: string): Layer {
  const top = file.startsWith('web/') ? 'web' : file.split('/')[0];
  assert.ok((LAYERS as readonly string[]).includes(top), `${file} is in no layer`);
  return top as Layer;
}

/** Whether other layers may import this file: a layer's index.ts, a src/ folder's, or src/config.ts. */
function isSurface(file: string): boolean {
  const parts = file.split('/');
  if (parts[0] === 'src') return parts.length === 2 || (parts.length === 3 && parts[2] === 'index.ts');
  return parts.length === 2 && parts[1] === 'index.ts';
}

const root = repoPath('.');
const absolute = sourceFiles(root, ['lib', 'graph', 'engine', 'src', 'server', 'cli', 'web/src']);
const files = absolute.map((f) => relative(root, f));
const edges = importGraph(root, absolute);
const show = (e: ImportEdge) => `${e.from} → ${e.to} ('${e.specifier}')`;

test('the import graph covers every layer', () => {
  for (const layer of LAYERS)
    assert.ok(
      files.some((f) => layerOf(f) === layer),
      `no files in ${layer}`,
    );
  // The graph sees dynamic imports: the CLI loads the server only when `eqprop serve` runs.
  assert.ok(edges.some((e) => e.from === 'cli/serve.ts' && e.to === 'server/index.ts'));
});

test('no module imports from a layer above its own', () => {
  const rank = (f: string) => LAYERS.indexOf(layerOf(f));
  assert.deepEqual(edges.filter((e) => rank(e.to) > rank(e.from)).map(show), []);
});

test("the Node layers import each other only through a layer's surface", () => {
  const inward = edges.filter((e) => layerOf(e.from) !== 'web' && layerOf(e.from) !== layerOf(e.to));
  assert.ok(inward.length > 50);
  assert.deepEqual(inward.filter((e) => !isSurface(e.to)).map(show), []);
});

test('no import cycles', () => {
  assert.deepEqual(cycles(edges), []);
});
