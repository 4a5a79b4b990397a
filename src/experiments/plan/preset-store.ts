/**
 * Which definition of a preset to run against a given store. Presets change (Fig. 5 gained the
 * official test set), but their sweep ids do not, and a store may already hold the sweep
 * as an earlier version defined it, with finished runs. Planning the current version there would be
 * refused ("already exists with a different definition"), and a new sweep id would train every
 * network again (a finished run is reused only for the very same configuration, src/experiments/
 * reuse/finished-twins.ts, and test evaluation is part of it). So a store holding an earlier version keeps it:
 * its runs are found and reported as they are.
 */
import { NotFoundError, type Store } from '../../store/contract.js';
import type { BackendChoice } from '../../config.js';
import { canonicalJson } from './ids.js';
import { olderPresetGroups, presetGroup, type Figure, type PresetGroup, type Scale } from './presets.js';

export interface ChosenPreset {
  group: PresetGroup;
  /** True when the store holds the sweep as an earlier version of the preset defined it. */
  older: boolean;
}

export async function presetGroupForStore(
  store: Store,
  figure: Figure,
  scale: Scale,
  backend: BackendChoice,
  seeds?: readonly number[],
): Promise<ChosenPreset> {
  const current = presetGroup(figure, scale, backend, seeds);
  let stored: Record<string, unknown>;
  try {
    stored = (await store.getSweep(current.sweepId)).config;
  } catch (e) {
    if (e instanceof NotFoundError) return { group: current, older: false };
    throw e;
  }
  const same = (group: PresetGroup) => canonicalJson(group.config) === canonicalJson(stored);
  if (same(current)) return { group: current, older: false };
  const older = seeds === undefined ? olderPresetGroups(figure, scale, backend).find(same) : undefined;
  // Anything else is left to fileSweep, which refuses to mix a changed definition into old results.
  return older ? { group: older, older: true } : { group: current, older: false };
}
