/**
 * A sweep or study as people describe it: the fields of the API's sweep body, of `eqprop sweep`'s
 * flags (mapped to these fields by cli/sweep-flags.ts) and of a `--definition` file. One zod
 * schema (sweepSettingsSchema) checks them — down to every planned topology resolving (each p or
 * n within the free pairs of each architecture and family) — fills in the defaults and documents
 * them; sweepDefinitionOf turns checked settings into the SweepDefinition the planner takes
 * (src/experiments/plan/sweep-plan.ts). Errors name settings fields (`p`, `families`, `sizes`).
 */
import { z } from 'zod';
import { InputError, ref, text } from '../../../lib/index.js';
import { parseFamily, familySpecFields, type Family } from '../../../graph/index.js';
import { addProblem, fieldProblem, parseInput, rangedNumber, WHEN_FIELDS_VALID } from '../../../graph/index.js';
import { topologySpecFields, topologySpecSchema, validateSpec } from '../../../graph/index.js';
import { TOPOLOGY_MODES, type TopologyMode } from '../../../graph/index.js';
import { TRAIN_RANGES } from '../../../engine/index.js';
import { epochsSchema, idSchema, datasetOf, reportDatasetShape, type Report, validateRunConfig } from './run-config.js';
import {
  checkTrainingSettings,
  dataSizesOf,
  namingSettings,
  SETTING_OF_CONFIG,
  trainConfigOf,
  trainingSettingsFields,
} from './run-settings.js';
import { SWEPT_MODES, type SweepDefinition, type SweptMode, sweepSizeProblem } from './sweep-plan.js';

const MODULE = 'experiments';

const sizesSchema = topologySpecFields.sizes;

/** The fields of a sweep: what varies (values × seeds × families × architectures) and the training. */
export const sweepSettingsFields = {
  name: idSchema.optional().describe('The sweep id (default: sweep-<hash of the definition>).'),
  sizes: z
    .union([sizesSchema, z.array(sizesSchema).min(1)], {
      error: 'layer sizes (input first), or a list of them (architectures of one depth)',
    })
    .describe('Layer sizes, input first; a study may give several architectures of the same depth.'),
  mode: z
    .enum(TOPOLOGY_MODES as [TopologyMode, ...TopologyMode[]], { error: `one of ${SWEPT_MODES.join(', ')}` })
    .optional()
    .describe(`The topology mode swept: ${SWEPT_MODES.join(', ')}; not with families.`),
  families: z
    .array(z.string({ error: 'family keys' }).min(1).max(100), { error: 'a list of family keys' })
    .min(1, { error: 'at least one family key' })
    .optional()
    .describe(
      'A study: topology families (graph/family.ts keys, e.g. no-intralayer:span=2) crossed with the values; ' +
        'replaces mode.',
    ),
  p: z
    .array(rangedNumber({ min: 0, max: 1 }), { error: 'a list of p values in [0, 1]' })
    .min(1, { error: 'at least one value' })
    .optional()
    .describe('The p values swept; exactly one of p and n.'),
  n: z
    .array(rangedNumber({ integer: true, min: 0 }), { error: 'a list of rewiring counts' })
    .min(1, { error: 'at least one value' })
    .optional()
    .describe('The n values (rewirings) swept; exactly one of p and n.'),
  seeds: z
    .array(rangedNumber(TRAIN_RANGES.seed), { error: 'a list of seeds' })
    .min(1, { error: 'at least one seed' })
    .default([1])
    .describe('Seeds: each seeds the topology and the training run of its jobs.'),
  baseline: z
    .boolean({ error: 'true or false' })
    .default(false)
    .describe("Also train the layered network per seed (the reference line of the paper's Fig. 5)."),
  smallWorld: rangedNumber({ integer: true, min: 0, max: 20 })
    .default(0)
    .describe('σ/ω reference graphs per topology, measured before training (0 = none).'),
  niter: rangedNumber({ min: 0, minExclusive: true, max: 10 })
    .default(1)
    .describe('Swap rounds per edge of each σ/ω reference graph.'),
  epochs: epochsSchema.default(1).describe('Epochs each run trains.'),
  ...trainingSettingsFields,
};

export type SweepSettings = z.output<z.ZodObject<typeof sweepSettingsFields>>;
export type SweepSettingsInput = z.input<z.ZodObject<typeof sweepSettingsFields>>;

/** The architectures of the settings (one `sizes`, or a list of them). */
export function architecturesOf(s: Pick<SweepSettings, 'sizes'>): number[][] {
  return Array.isArray(s.sizes[0]) ? (s.sizes as number[][]) : [s.sizes as number[]];
}

/** Where a spec field's problem is a sweep field's: the swept value, the sizes or the family. */
function sweepFieldOfSpec(parameter: 'p' | 'n', families: boolean): (field: string) => string {
  return (field) => {
    const top = field.split(/[.[]/)[0]!;
    if (top === 'p' || top === 'n') return parameter;
    if (top === 'sizes') return 'sizes';
    if (top === 'seed') return 'seeds';
    return families ? 'families' : 'mode';
  };
}

/** A family key checked (its errors as problems of `families`). */
function familyOf(key: string, report: Report): Family | null {
  try {
    return parseFamily(key, 'families');
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    report(['families'], e.parts.problem, e.parts.expected);
    return null;
  }
}

/** The cross-field checks of a sweep's settings (a schema that reads them with other limits reuses it). */
export function checkSweepSettings(s: SweepSettings, ctx: z.RefinementCtx): void {
  let failed = false;
  const report: Report = (path, problem, expected) => {
    if (failed) return; // the first problem only: later checks assume the earlier passed
    failed = true;
    addProblem(ctx, path, problem, expected);
  };
  const families = s.families?.map((key) => familyOf(key, report));
  if (failed) return;
  if (s.families && new Set(s.families).size !== s.families.length) {
    report(['families'], 'a family appears twice', 'distinct family keys');
    return;
  }
  if (s.families && s.mode !== undefined) {
    report(['mode'], text`given with ${ref('families')}`, 'one of them (a family key names its mode)');
    return;
  }
  if (!s.families && s.mode === undefined) {
    report(
      ['mode'],
      text`neither ${ref('mode')} nor ${ref('families')} given`,
      text`exactly one of ${ref('mode')} and ${ref('families')}`,
    );
    return;
  }
  const mode = families ? families[0]!.mode : s.mode!;
  if (!(SWEPT_MODES as readonly string[]).includes(mode)) {
    report(
      [families ? 'families' : 'mode'],
      `${mode} has nothing to sweep`,
      text`one of ${SWEPT_MODES.join(', ')} (add ${ref('baseline')} for the layered net)`,
    );
    return;
  }
  if ((s.p === undefined) === (s.n === undefined)) {
    report(
      ['p'],
      s.p === undefined
        ? text`neither ${ref('p')} nor ${ref('n')} given`
        : text`both ${ref('p')} and ${ref('n')} given`,
      text`exactly one of ${ref('p')} and ${ref('n')} (the values to sweep)`,
    );
    return;
  }
  checkTrainingSettings(s, report);
  if (failed) return;
  const architectures = architecturesOf(s);
  for (const arch of architectures) {
    if (arch.length !== architectures[0]!.length) {
      report(
        ['sizes'],
        `architectures of ${architectures[0]!.length} and ${arch.length} layers`,
        'architectures of the same depth (the learning rates are per adjacent pair)',
      );
      return;
    }
    reportDatasetShape(arch, datasetOf(s), report, { sizes: ['sizes'], dataset: 'dataset' });
    if (failed) return;
  }
  const parameter = s.p !== undefined ? 'p' : 'n';
  const values = (s.p ?? s.n)!;
  if (new Set(values).size !== values.length) {
    report([parameter], 'a value appears twice', 'distinct values');
    return;
  }
  if (new Set(s.seeds).size !== s.seeds.length) {
    report(['seeds'], 'a seed appears twice', 'distinct seeds');
    return;
  }
  const size = sweepSizeProblem({
    values: values.length,
    seeds: s.seeds.length,
    families: s.families?.length ?? 1,
    architectures: architectures.length,
    baseline: Boolean(s.baseline),
  });
  if (size) {
    report([parameter], size.problem, size.expected);
    return;
  }
  // Every topology the plan will build resolves: p or n within the free pairs of every
  // architecture and family (the seed does not change that).
  const named = sweepFieldOfSpec(parameter, families !== undefined);
  for (const arch of architectures) {
    for (const family of families ?? [{ mode: mode as TopologyMode }]) {
      for (const value of values) {
        const spec = { sizes: arch, seed: 0, ...familySpecFields(family!, arch), [parameter]: value };
        const result = topologySpecSchema.safeParse(spec);
        if (result.success) continue;
        const p = fieldProblem(result.error.issues[0]!, spec);
        const error = new InputError(MODULE, p.field, p.problem, p.expected).renamed(named);
        report([error.field], error.parts.problem, error.parts.expected);
        return;
      }
    }
  }
}

/** A sweep's settings: one schema for the API's sweep body, `eqprop sweep`'s flags and definition files. */
export const sweepSettingsSchema = z.object(sweepSettingsFields).superRefine(checkSweepSettings, WHEN_FIELDS_VALID);

/** Parses a sweep's settings; errors name settings fields. */
export function parseSweepSettings(value: unknown): SweepSettings {
  return parseInput(sweepSettingsSchema, value, MODULE, 'settings');
}

/** Errors of the configuration every planned run shares, named by the sweep's fields. */
const SWEEP_SETTING_OF_CONFIG: ReadonlyMap<string, string> = new Map([
  ...SETTING_OF_CONFIG,
  ['topology.spec', 'sizes'],
  ['topology.spec.*', 'sizes'],
  ['topology', 'sizes'],
  ['train.seed', 'seeds'],
]);

/**
 * Checked settings → the SweepDefinition (what decides the sweep's results and its id), its
 * training validated as the configuration every planned run shares (counts against the dataset
 * and the batch, rates and target feedback against the depth), errors named by settings fields.
 */
export function sweepDefinitionOf(s: SweepSettings): SweepDefinition {
  return namingSettings(SWEEP_SETTING_OF_CONFIG, () => {
    const architectures = architecturesOf(s);
    const sizes = architectures[0]!;
    const mode = (s.families ? parseFamily(s.families[0]!).mode : s.mode!) as SweptMode;
    const parameter = s.p !== undefined ? 'p' : 'n';
    const data = dataSizesOf(s);
    const { seed: _seed, ...train } = trainConfigOf(s, sizes.length - 1, 0);
    validateRunConfig({
      format: 1,
      topology: { kind: 'spec', spec: validateSpec({ sizes, mode: 'layered', seed: 0 }) },
      epochs: s.epochs,
      data,
      train: { ...train, seed: 0 },
      backend: 'auto',
    });
    return {
      name: s.name ?? null,
      sizes,
      mode,
      parameter,
      values: [...(s.p ?? s.n)!],
      seeds: [...s.seeds],
      baseline: s.baseline,
      epochs: s.epochs,
      data,
      train,
      ...(s.families ? { families: [...s.families] } : {}),
      ...(architectures.length > 1 ? { architectures } : {}),
      ...(s.smallWorld > 0 ? { smallWorld: { samples: s.smallWorld, niter: s.niter } } : {}),
    };
  });
}
