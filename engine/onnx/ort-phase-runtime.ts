/**
 * The phase runtime of the onnxruntime backend: one OrtPhaseRunner whose intra-op pool is the run's
 * threads, no phase workers. The runner reads the weights from each batch's operators, so there
 * is nothing to hand over after an update.
 */
import type { BackendTraits } from '../backend.js';
import type { PhaseRuntime, PhaseRuntimeSetup } from '../phase-runtime.js';
import { OrtPhaseRunner } from './ort-phases.js';

export function startOrtPhases(_backend: string, traits: BackendTraits, setup: PhaseRuntimeSetup): PhaseRuntime {
  let runner: OrtPhaseRunner | null = new OrtPhaseRunner(setup.threads, setup.compile);
  return {
    threads: setup.threads,
    pool: null,
    get runner() {
      return runner;
    },
    rowAlignment: traits.rowAlignment,
    setParameters: () => undefined,
    stats: () => (runner ? { ...runner.stats } : null),
    dispose() {
      runner?.dispose();
      runner = null;
    },
  };
}
