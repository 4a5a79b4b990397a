/**
 * Worker-thread entry: runs the phases of some rows of a batch (engine/phases.ts) on its own
 * single-threaded tfjs backend, so that two cores count (the wasm backend cannot use threads in
 * Node itself; see README "## Engine"). Messages, in order:
 *   { kind: 'init', backend, network, epsilon, layout }  → { kind: 'ready' }
 *   { kind: 'weights', weights, biases }                 (no reply; applies to later requests)
 *   { kind: 'phases', id, request }                      → { kind: 'result', id, result }
 * Any failure is sent back as { kind: 'error', message } and ends the worker.
 */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from './backend.js';
import type { Network } from './network.js';
import { buildOperators, disposeOperators, type Operators } from './dynamics/operators.js';
import type { StepLayout } from './dynamics/layout-cost.js';
import { runPhases, type PhaseParameters, type PhaseRequest } from './phases.js';

export type WorkerMessage =
  | { kind: 'init'; backend: BackendName; network: Network; epsilon: number; layout: StepLayout }
  | { kind: 'weights'; weights: Float32Array[]; biases: Float32Array[] }
  | { kind: 'phases'; id: number; request: PhaseRequest };

if (parentPort) {
  const port = parentPort;
  let network: Network | null = null;
  let epsilon = 0;
  let layout: StepLayout = 'blocks';
  let params: PhaseParameters | null = null;
  let ops: Operators | null = null;
  let queue = Promise.resolve();
  let weightsMs = 0;

  const handle = async (message: WorkerMessage) => {
    if (message.kind === 'init') {
      await initBackend(message.backend);
      ({ network, epsilon, layout } = message);
      port.postMessage({ kind: 'ready' });
    } else if (message.kind === 'weights') {
      const started = performance.now();
      if (params) tf.dispose([...params.weights, ...params.biases]);
      if (ops) disposeOperators(ops);
      params = {
        weights: message.weights.map((w, i) => tf.tensor2d(w, [network!.blocks[i].rows, network!.blocks[i].cols])),
        biases: message.biases.map((b) => tf.tensor1d(b)),
      };
      ops = buildOperators(network!, params.weights, epsilon, layout);
      weightsMs = performance.now() - started;
    } else {
      const started = performance.now();
      const result = runPhases(network!, params!, ops!, epsilon, message.request);
      result.timing = { phasesMs: performance.now() - started, weightsMs };
      weightsMs = 0;
      const transfer = [result.free, result.clamped, result.clampedMirror].flatMap((a) =>
        a ? [a.buffer] : [],
      ) as ArrayBuffer[];
      port.postMessage({ kind: 'result', id: message.id, result }, transfer);
    }
  };
  port.on('message', (message: WorkerMessage) => {
    // Messages are handled strictly in order (init is asynchronous).
    queue = queue
      .then(() => handle(message))
      .catch((e: unknown) => {
        port.postMessage({ kind: 'error', message: (e as Error).stack ?? String(e) });
        process.exit(1);
      });
  });
}
