/**
 * Code health rules of the engine layer, checked on its source: only engine/backend.ts and
 * engine/backend-names.ts name a backend (everything else asks for a backend's traits), and the
 * trainer gets its phase runtime from the registry. Modules in engine/'s folders (engine/onnx/)
 * count too. Fails when someone writes `backend === 'wasm'` in a kernel-agnostic module. Which
 * layers the engine may import is checked on the real import graph (test/architecture/).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '../experiments/helpers.js';

const engineDir = repoPath('engine');
const sources = (readdirSync(engineDir, { recursive: true }) as string[])
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name, text: readFileSync(join(engineDir, name), 'utf8') }));

test('only engine/backend.ts names a backend', () => {
  // Comments may mention backends; code may not compare against their names.
  const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const allowed = ['backend.ts', 'backend-names.ts'];
  const naming = sources
    .filter(({ name, text }) => !allowed.includes(name) && /'(wasm|cpu|tensorflow|onnxruntime)'/.test(code(text)))
    .map(({ name }) => name);
  assert.deepEqual(naming, []);
});

test('the trainer gets its phase runtime from the backend registry and names no backend', () => {
  const trainer = sources.find(({ name }) => name === 'trainer.ts');
  assert.ok(trainer);
  const imports = [...trainer.text.matchAll(/from\s+'\.\/([^']+)\.js'/g)].map((m) => m[1]);
  const backendModules = imports.filter((path) => /^(backend|worker-pool|tfjs-phase-runtime|onnx\/.*)$/.test(path));
  assert.deepEqual(backendModules, []);
  assert.ok(imports.includes('backend-registry'));
  assert.doesNotMatch(trainer.text, /\bonnx\b|\bOrt[A-Z]|instanceof/i);
});
