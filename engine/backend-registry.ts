/**
 * The backend registry: builds the phase runtime (engine/phase-runtime.ts) of the backend in use.
 * A backend's traits say who runs its phases (BACKEND_TRAITS `phases`, engine/backend.ts); each
 * of those has one entry here. A new backend is a row of BACKEND_TRAITS, plus an entry here if
 * its phases run on a runtime of their own; the trainer and everything it calls stay as they are.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backendTraits, currentBackend, initBackend, type BackendTraits } from './backend.js';
import type { PhaseRuntime, PhaseRuntimeSetup } from './phase-runtime.js';
import { startTfjsPhases } from './tfjs-phase-runtime.js';
import { startOrtPhases } from './onnx/ort-phase-runtime.js';

type StartPhaseRuntime = (
  backend: string,
  traits: BackendTraits,
  setup: PhaseRuntimeSetup,
) => PhaseRuntime | Promise<PhaseRuntime>;

const PHASE_RUNTIMES: Readonly<Record<BackendTraits['phases'], StartPhaseRuntime>> = {
  tfjs: startTfjsPhases,
  ort: startOrtPhases,
};

/** The phase runtime for `backend` (a name BACKEND_TRAITS does not know gets the tfjs one). */
export async function startPhaseRuntime(backend: string, setup: PhaseRuntimeSetup): Promise<PhaseRuntime> {
  const traits = backendTraits(backend);
  return PHASE_RUNTIMES[traits.phases](backend, traits, setup);
}

/** The backend in use, initialising the fastest available one if the caller has not chosen. */
export async function backendInUse(): Promise<string> {
  if (tf.engine().backendName) return currentBackend();
  return initBackend('auto');
}
