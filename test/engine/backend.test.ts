/**
 * Backend choice: 'auto' falls through to the fastest backend that loads (onnxruntime when
 * onnxruntime-node loads; here tfjs-node is not installed, so wasm after it), an explicit backend
 * that cannot load is an InputError, and the choice can be switched within a process.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { BACKEND_TRAITS, currentBackend, initBackend } from '../../engine/index.js';
import { ortSkip } from './helpers.js';
import { InputError } from '../../lib/errors.js';

function tfjsNodeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

const ortMissing = await ortSkip();

describe('initBackend', () => {
  it("'auto' runs the fastest backend that loads", async () => {
    const name = await initBackend('auto');
    assert.equal(name, !ortMissing ? 'onnxruntime' : tfjsNodeInstalled() ? 'tensorflow' : 'wasm');
    assert.equal(currentBackend(), name);
    assert.equal(tf.getBackend(), BACKEND_TRAITS[name].tfjs);
  });

  // Catches a currentBackend() that reports the tfjs backend under ORT (checkpoints and run records
  // would say 'wasm'), and an initBackend('wasm') that keeps ORT's phases because wasm is already set.
  it('onnxruntime runs its phases on ORT and the rest on wasm; switching to wasm leaves ORT', {
    skip: ortMissing,
  }, async () => {
    assert.equal(await initBackend('onnxruntime'), 'onnxruntime');
    assert.equal(currentBackend(), 'onnxruntime');
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(await initBackend('wasm'), 'wasm');
    assert.equal(currentBackend(), 'wasm');
    assert.equal(await initBackend('onnxruntime'), 'onnxruntime');
    assert.equal(currentBackend(), 'onnxruntime');
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
