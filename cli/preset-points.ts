/**
 * `reproduce fig5 --points`: train only some of a Fig. 5 preset's points now — typically more seeds
 * where a question is decided (around a crossover) before the whole sweep can be afforded. The sweep
 * keeps the preset's id and definition, so the same command without --points later trains the rest,
 * and reports and claims read whatever has finished.
 */
import { InputError } from '../lib/index.js';
import type { PresetGroup, TrainingJob } from '../src/experiments/index.js';
import { parseList } from './parse.js';

const FLAG = '--points';
const LAYERED = 'layered';

/** The preset's points in its own words: `layered` and each swept value (n, or p at small scales). */
function pointName(job: TrainingJob): string {
  return job.point === LAYERED ? LAYERED : String(job.point.value);
}

/** The group with only the jobs at the listed points; every listed point must be one of the preset's. */
export function selectPoints(group: PresetGroup, raw: string): PresetGroup {
  const names = String(raw)
    .split(',')
    .map((s) => s.trim());
  const offered = [...new Set(group.jobs.map(pointName))];
  const expected = `a comma-separated list of this preset's points: ${offered.join(', ')}`;
  if (names.some((name) => name === ''))
    throw new InputError('cli', FLAG, `${JSON.stringify(raw)} has an empty element`, expected);
  const wanted = new Set<string>();
  for (const name of names) {
    // Numbers are compared as numbers, so 1e4 and 10000 name the same point.
    const key = name === LAYERED ? LAYERED : String(parseList(FLAG, name)[0]);
    if (!offered.includes(key))
      throw new InputError('cli', FLAG, `${JSON.stringify(name)} is not a point of this preset`, expected);
    if (wanted.has(key)) throw new InputError('cli', FLAG, `${JSON.stringify(name)} appears twice`, 'distinct points');
    wanted.add(key);
  }
  return { ...group, jobs: group.jobs.filter((job) => wanted.has(pointName(job))) };
}
