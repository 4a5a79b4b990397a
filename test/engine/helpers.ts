/** Shared pieces of the engine tests: synthetic datasets, tiny topologies, comparisons, backends. */
import { Rng } from '../../graph/rng.js';
import { buildTopology, compileTopology } from '../../graph/index.js';
import type { CompiledTopology, TopologySpec } from '../../graph/types.js';
import type { Dataset } from '../../engine/mnist.js';
import { initBackend, type BackendName } from '../../engine/backend.js';
import { loadFailure, loadOrt } from '../../engine/onnx/ort.js';

/** A dataset of `count` random images in [0, 1] with random labels below `classes`. */
export function syntheticData(count: number, dims: number, classes: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const images = new Float32Array(count * dims);
  for (let i = 0; i < images.length; i++) images[i] = Math.fround(rng.next());
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) labels[i] = rng.int(classes);
  return { count, dims, images, labels };
}

export function tinyTopology(spec: Omit<TopologySpec, 'seed'> & { seed?: number }): CompiledTopology {
  return compileTopology(buildTopology({ seed: 7, ...spec }));
}

/** max |a − b| / max |b|: the relative error in the max norm. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0,
    scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

export async function useBackend(name: BackendName): Promise<void> {
  const got = await initBackend(name);
  if (got !== name) throw new Error(`backend ${name} did not load (got ${got})`);
}

/**
 * Why the onnxruntime backend's tests are skipped here ("skipped: …"), or false when
 * onnxruntime-node loads. Under CI=true a missing ORT is a failure, never a skip.
 */
export async function ortSkip(): Promise<string | false> {
  if (await loadOrt()) return false;
  if (process.env.CI === 'true') throw new Error(`CI=true and onnxruntime-node does not load: ${loadFailure()}`);
  return `skipped: onnxruntime-node does not load on this machine (${loadFailure()})`;
}

/** The backends the engine's agreement tests run on, each with its skip reason (or false). */
export async function testedBackends(): Promise<{ backend: BackendName; skip: string | false }[]> {
  const ort = await ortSkip();
  return [
    { backend: 'cpu', skip: false },
    { backend: 'wasm', skip: false },
    { backend: 'onnxruntime', skip: ort },
  ];
}
