/**
 * Backend choice: 'auto' falls through to the fastest backend that loads (here tfjs-node is not
 * installed, so wasm), an explicit backend that cannot load is an InputError, and the choice can
 * be switched within a process.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { initBackend } from '../../engine/index.js';
import { InputError } from '../../graph/errors.js';

function tfjsNodeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

describe('initBackend', () => {
  it("'auto' runs the fastest backend that loads", async () => {
    const name = await initBackend('auto');
    assert.equal(name, tfjsNodeInstalled() ? 'tensorflow' : 'wasm');
    assert.equal(tf.getBackend(), name);
  });

  it('explicit choices switch the backend; one that cannot load is an InputError', async () => {
    assert.equal(await initBackend('cpu'), 'cpu');
    assert.equal(tf.getBackend(), 'cpu');
    assert.equal(await initBackend('wasm'), 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    if (!tfjsNodeInstalled()) {
      await assert.rejects(initBackend('tensorflow'), (e: unknown) => e instanceof InputError && e.field === 'backend');
    }
    await assert.rejects(initBackend('gpu' as 'cpu'), (e: unknown) => e instanceof InputError && e.field === 'backend');
  });
});
