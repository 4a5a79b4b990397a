/**
 * Topology families: a mode with its skip restriction, named by a short key that studies, reports
 * and the web group by. Grammar (one family): `<mode>[:span=<k>|:span>=<k>|:span=<k1>-<k2>][:to=<layer>|:to=output]`,
 * e.g. `replace`, `no-intralayer`, `no-intralayer:span=2`, `no-intralayer:to=output`.
 * Each seed of a family draws its own graph; the family is what a seed mean summarises.
 */
import { InputError } from '../lib/index.js';
import { TOPOLOGY_MODES, type SkipRestriction, type TopologyMode } from './types.js';

export interface Family extends SkipRestriction {
  mode: TopologyMode;
  /** 'output' is kept symbolic so one family spans architectures of different depth. */
  target?: number | 'output';
}

const GRAMMAR =
  '<mode>[:span=<k>|:span>=<k>|:span=<k1>-<k2>][:to=<layer>|:to=output] with mode one of ' +
  `${TOPOLOGY_MODES.join(', ')}, e.g. no-intralayer:span=2`;

/** The family key of a spec (its mode and restriction; n, p, seed and sizes left out). */
export function familyKey(spec: SkipRestriction & { mode: TopologyMode; sizes: readonly number[] }): string {
  const parts: string[] = [spec.mode];
  const K = spec.sizes.length - 1;
  if (spec.spanMin !== undefined || spec.spanMax !== undefined) {
    const lo = spec.spanMin ?? 2;
    if (spec.spanMax === undefined) parts.push(`span>=${lo}`);
    else parts.push(lo === spec.spanMax ? `span=${lo}` : `span=${lo}-${spec.spanMax}`);
  }
  if (spec.targetLayer !== undefined) parts.push(`to=${spec.targetLayer === K ? 'output' : spec.targetLayer}`);
  return parts.join(':');
}

function positiveInt(raw: string, field: string, text: string): number {
  if (!/^\d+$/.test(raw))
    throw new InputError(
      'topology',
      field,
      `${JSON.stringify(text)}: ${JSON.stringify(raw)} is not a whole number`,
      GRAMMAR,
    );
  return Number(raw);
}

/** Parses a family key. Layer indices are checked against an architecture by familySpec. */
export function parseFamily(text: string, field = 'family'): Family {
  const [mode, ...rest] = text.trim().split(':');
  if (!(TOPOLOGY_MODES as readonly string[]).includes(mode)) {
    throw new InputError(
      'topology',
      field,
      `${JSON.stringify(text)} has unknown mode ${JSON.stringify(mode)}`,
      GRAMMAR,
    );
  }
  const family: Family = { mode: mode as TopologyMode };
  for (const part of rest) {
    const span = /^span(>=|=)(\d+)(?:-(\d+))?$/.exec(part);
    const to = /^to=(output|\d+)$/.exec(part);
    if (span && family.spanMin === undefined) {
      family.spanMin = positiveInt(span[2], field, text);
      if (span[1] === '=') family.spanMax = span[3] === undefined ? family.spanMin : positiveInt(span[3], field, text);
      else if (span[3] !== undefined)
        throw new InputError('topology', field, `${JSON.stringify(text)}: span>= takes one number`, GRAMMAR);
    } else if (to && family.target === undefined) {
      family.target = to[1] === 'output' ? 'output' : Number(to[1]);
    } else {
      throw new InputError(
        'topology',
        field,
        `${JSON.stringify(text)}: ${JSON.stringify(part)} is not a restriction (or repeats one)`,
        GRAMMAR,
      );
    }
  }
  return family;
}

/** The spec fields of a family on an architecture (the target resolved to a layer index). */
export function familySpecFields(family: Family, sizes: readonly number[]): SkipRestriction & { mode: TopologyMode } {
  const { target, ...rest } = family;
  return {
    ...rest,
    ...(target !== undefined ? { targetLayer: target === 'output' ? sizes.length - 1 : target } : {}),
  };
}
