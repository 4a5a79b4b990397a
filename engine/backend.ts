/**
 * Choosing the engine's backend, once, at the edge. Everything else in engine/ is written against
 * @tensorflow/tfjs-core and never names a backend; what differs between backends is in
 * BACKEND_TRAITS, and engine/backend-registry.ts builds the phase runtime its `phases` names.
 *
 * 'onnxruntime' runs the phases (the free and weakly-clamped steps, engine/onnx/) on ONNX Runtime
 * (onnxruntime-node, CPU execution provider) and everything else (operators, drive, learning
 * update) on tfjs-wasm; the others are tfjs backends. 'auto' tries the fastest first: onnxruntime,
 * tensorflow (@tensorflow/tfjs-node, an optional dependency whose native library may be missing),
 * wasm, cpu. An explicit choice that cannot load is an InputError (the user asked for something
 * this machine does not have).
 */
import * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../lib/index.js';
import { BACKEND_ORDER, type BackendName, type BackendRequest } from './backend-names.js';
import { loadFailure, loadOrt } from './onnx/ort.js';

export { BACKEND_ORDER, type BackendName, type BackendRequest };

type TfjsBackend = 'tensorflow' | 'wasm' | 'cpu';

/** What the engine needs to know about a backend beyond its kernels. */
export interface BackendTraits {
  /** The tfjs backend that runs everything the phase runtime does not (itself, for tfjs backends). */
  tfjs: TfjsBackend;
  /** Who runs the phases: tfjs (engine/phases.ts) or ONNX Runtime (engine/onnx/ort-phases.ts). */
  phases: 'tfjs' | 'ort';
  /**
   * What `threads` means: 'workers' = phase workers, each taking a share of a batch's rows
   * (engine/worker-pool.ts; tfjs-wasm cannot use threads in Node itself); 'intra-op' = the phase
   * runtime's own thread pool (ORT's intra-op threads), no workers.
   */
  threads: 'workers' | 'intra-op';
  /**
   * Rows its matrix product handles at a time (engine/row-split.ts gives each thread whole
   * groups). wasm: XNNPACK's GEMM works on 4 rows and handles a remainder with slower kernels;
   * measured on the paper net's 1510 × 1510 step matrix, 10 rows take 2.03 ms, 12 rows 1.90 ms
   * and 8 rows 1.37 ms.
   */
  rowAlignment: number;
}

export const BACKEND_TRAITS: Readonly<Record<BackendName, BackendTraits>> = {
  onnxruntime: { tfjs: 'wasm', phases: 'ort', threads: 'intra-op', rowAlignment: 1 },
  tensorflow: { tfjs: 'tensorflow', phases: 'tfjs', threads: 'workers', rowAlignment: 1 },
  wasm: { tfjs: 'wasm', phases: 'tfjs', threads: 'workers', rowAlignment: 4 },
  cpu: { tfjs: 'cpu', phases: 'tfjs', threads: 'workers', rowAlignment: 1 },
};

/**
 * The engine backend chosen by the last successful initBackend (the tfjs backend alone does not
 * say: ORT runs on wasm).
 */
let chosen: BackendName | null = null;

/** Registers a tfjs backend's kernels (module side effect) and makes it current; false if it cannot load. */
async function tryTfjs(name: TfjsBackend): Promise<boolean> {
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

async function tryBackend(name: BackendName): Promise<boolean> {
  if (BACKEND_TRAITS[name].phases === 'ort' && !(await loadOrt())) return false;
  return tryTfjs(BACKEND_TRAITS[name].tfjs);
}

/**
 * Makes `choice` the current backend and returns the name that actually runs. Silences tfjs's
 * "install tfjs-node" banner (PROD mode), which would otherwise land in every CLI transcript.
 */
export async function initBackend(choice: BackendRequest = 'auto'): Promise<BackendName> {
  tf.env().set('PROD', true);
  if (choice !== 'auto' && !BACKEND_ORDER.includes(choice)) {
    throw new InputError(
      'engine',
      'backend',
      `unknown backend ${JSON.stringify(choice)}`,
      `one of auto, ${BACKEND_ORDER.join(', ')}`,
    );
  }
  if (choice !== 'auto' && currentBackend() === choice) return choice;
  const candidates = choice === 'auto' ? BACKEND_ORDER : [choice];
  for (const name of candidates) {
    if (await tryBackend(name)) {
      await tf.ready();
      chosen = name;
      return name;
    }
  }
  const why = choice === 'onnxruntime' && loadFailure() ? ` (${loadFailure()})` : '';
  throw new InputError(
    'engine',
    'backend',
    `backend ${choice} could not be loaded on this machine${why}`,
    choice === 'auto' ? `one of ${BACKEND_ORDER.join(', ')} to load` : 'auto, or a backend that loads here (wasm, cpu)',
  );
}

/**
 * The engine backend currently running (after initBackend): the chosen name while its tfjs backend
 * is still the current one, else the tfjs backend someone set directly.
 */
export function currentBackend(): string {
  const tfjs = tf.getBackend();
  return chosen && BACKEND_TRAITS[chosen].tfjs === tfjs ? chosen : tfjs;
}

/** The traits of a backend; a name this table does not know gets tfjs phases on workers, no row grouping. */
export function backendTraits(backend: string): BackendTraits {
  return (
    (BACKEND_TRAITS as Record<string, BackendTraits | undefined>)[backend] ?? {
      tfjs: backend as TfjsBackend,
      phases: 'tfjs',
      threads: 'workers',
      rowAlignment: 1,
    }
  );
}

/** The backend's row alignment; 1 for a backend this table does not know (no grouping assumed). */
export function rowAlignment(backend: string): number {
  return backendTraits(backend).rowAlignment;
}
