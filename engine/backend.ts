/**
 * Choosing the TensorFlow.js backend, once, at the edge. Everything else in engine/ is written
 * against @tensorflow/tfjs-core and never names a backend.
 *
 * 'auto' tries the fastest first: tensorflow (@tensorflow/tfjs-node, an optional dependency whose
 * native library may be missing), then wasm, then cpu. An explicit choice that cannot load is an
 * InputError (the user asked for something this machine does not have).
 */
import * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../graph/errors.js';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendRequest = 'auto' | BackendName;
export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** Registers the backend's kernels (module side effect) and makes it current; false if it cannot load. */
async function tryBackend(name: BackendName): Promise<boolean> {
  try {
    if (name === 'tensorflow') {
      // A variable specifier keeps tsc from requiring the optional package's types.
      const specifier = '@tensorflow/tfjs-node';
      await import(specifier);
    } else if (name === 'wasm') {
      await import('@tensorflow/tfjs-backend-wasm');
    } else {
      await import('@tensorflow/tfjs-backend-cpu');
    }
    if (tf.findBackendFactory(name) === null) return false;
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

/**
 * Makes `choice` the current backend and returns the name that actually runs. Silences tfjs's
 * "install tfjs-node" banner (PROD mode), which would otherwise land in every CLI transcript.
 */
export async function initBackend(choice: BackendRequest = 'auto'): Promise<BackendName> {
  tf.env().set('PROD', true);
  const candidates = choice === 'auto' ? BACKEND_ORDER : [choice];
  if (choice !== 'auto' && !BACKEND_ORDER.includes(choice)) {
    throw new InputError('engine', 'backend', `unknown backend ${JSON.stringify(choice)}`, `one of auto, ${BACKEND_ORDER.join(', ')}`);
  }
  if (choice !== 'auto' && tf.getBackend() === choice) return choice;
  for (const name of candidates) {
    if (await tryBackend(name)) {
      await tf.ready();
      return name;
    }
  }
  throw new InputError('engine', 'backend', `backend ${choice} could not be loaded on this machine`, choice === 'auto' ? 'one of tensorflow, wasm, cpu to load' : 'auto, or a backend that loads here (wasm, cpu)');
}

/** The backend currently running (after initBackend). */
export function currentBackend(): string {
  return tf.getBackend();
}

/** What the engine needs to know about a backend beyond its kernels. */
export interface BackendTraits {
  /**
   * Rows its matrix product handles at a time (engine/row-split.ts gives each thread whole
   * groups). wasm: XNNPACK's GEMM works on 4 rows and handles a remainder with slower kernels;
   * measured on the paper net's 1510 × 1510 step matrix, 10 rows take 2.03 ms, 12 rows 1.90 ms
   * and 8 rows 1.37 ms.
   */
  rowAlignment: number;
}

export const BACKEND_TRAITS: Readonly<Record<BackendName, BackendTraits>> = {
  tensorflow: { rowAlignment: 1 },
  wasm: { rowAlignment: 4 },
  cpu: { rowAlignment: 1 },
};

/** The backend's row alignment; 1 for a backend this table does not know (no grouping assumed). */
export function rowAlignment(backend: string): number {
  return (BACKEND_TRAITS as Record<string, BackendTraits | undefined>)[backend]?.rowAlignment ?? 1;
}
