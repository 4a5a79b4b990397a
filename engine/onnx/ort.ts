/**
 * Loading onnxruntime-node (its CPU execution provider ships inside the npm package) and the
 * session options every phase session uses. Loaded lazily, by engine/backend.ts, so that a machine
 * where the native library cannot load still runs the tfjs backends.
 */
import type * as OrtModule from 'onnxruntime-node';
import { DataType, graph, model, node, valueInfo } from './proto.js';

export type Ort = typeof OrtModule;

let loaded: Ort | null = null;
let loadError: string | null = null;

/**
 * Imports onnxruntime-node and runs a one-node model (the native library loads on first use, not at
 * import); null when that fails (loadFailure() says why).
 */
export async function loadOrt(): Promise<Ort | null> {
  if (loaded) return loaded;
  try {
    const specifier = 'onnxruntime-node';
    const ort = (await import(specifier)) as Ort;
    const probe = model(
      graph({
        name: 'probe',
        nodes: [node({ op: 'Identity', inputs: ['x'], outputs: ['y'] }, 'n0')],
        initializers: [],
        inputs: [valueInfo('x', DataType.FLOAT, [1])],
        outputs: [valueInfo('y', DataType.FLOAT, [1])],
      }),
    );
    const session = await ort.InferenceSession.create(probe);
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(3), [1]) });
    await session.release();
    if ((out.y.data as Float32Array)[0] !== 3) throw new Error('probe model returned a wrong value');
    loaded = ort;
  } catch (e) {
    loadError = (e as Error).message ?? String(e);
  }
  return loaded;
}

/** The ORT module after a successful loadOrt(); throws otherwise. */
export function ortModule(): Ort {
  if (!loaded) throw new Error(`eqprop/engine: onnxruntime-node is not loaded${loadError ? ` (${loadError})` : ''}`);
  return loaded;
}

/** Why the last loadOrt() failed, or null. */
export function loadFailure(): string | null {
  return loadError;
}

/**
 * Whether ORT's intra-op threads spin while waiting for work. ORT's default is to spin, which
 * burns a core between runs and between the tiny per-step ops; on a shared machine (other jobs,
 * the main thread's tfjs work between runs) that steals time from everyone, so it is off unless
 * asked for (`EQPROP_ORT_SPINNING=1`, or setOrtSpinning(true)). The config key is
 * 'session.intra_op.allow_spinning'.
 */
let spinning = process.env.EQPROP_ORT_SPINNING === '1';

export function setOrtSpinning(on: boolean): void {
  spinning = on;
}

/**
 * Session options: the CPU execution provider (the default), `threads` intra-op threads (the
 * caller's thread is one of them), no spinning by default.
 */
export function sessionOptions(threads: number): OrtModule.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: spinning ? '1' : '0' } } },
  };
}
