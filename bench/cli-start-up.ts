/**
 * How long an `eqprop` command takes before it does anything: `eqprop --version` and `eqprop
 * reproduce --help` in fresh Node processes, alternating, several times each. Prints the median and
 * the fastest wall and CPU (user + system) time of each, the load average beside them (start-up is
 * a few hundred milliseconds, and a loaded machine moves it by as much), and the target (median wall
 * time under 1 s), met or not. Figures only, no assertions; test/cli/start-up.test.ts checks what
 * start-up loads.
 *
 *   npm run build && node dist/bench/cli-start-up.js [--runs 10]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoPath } from '../test/experiments/helpers.js';

const TARGET_MEDIAN_S = 1;
const COMMANDS: readonly (readonly string[])[] = [['--version'], ['reproduce', '--help']];

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`bench/cli-start-up: --runs takes a whole number ≥ 1`);

const cli = join(repoPath('bin'), 'eqprop.js');

/** Wall and CPU seconds of one CLI process. */
function timeOnce(args: readonly string[]): { wall: number; cpu: number } {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [cli, ...args], { stdio: 'pipe' });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) throw new Error(`bench/cli-start-up: eqprop ${args.join(' ')} exited ${child.status}`);
  return { wall, cpu: childCpuSeconds() };
}

let lastChildrenCpu = 0;
/**
 * CPU seconds used by reaped children since the last call. Node exposes only its own resource usage,
 * so this reads Linux's /proc/self/stat (cutime + cstime, in clock ticks of 1/100 s); NaN elsewhere.
 */
function childCpuSeconds(): number {
  const fields = readStat();
  if (fields === null) return Number.NaN;
  const ticks = Number(fields[13]) + Number(fields[14]);
  const total = ticks / 100;
  const delta = total - lastChildrenCpu;
  lastChildrenCpu = total;
  return delta;
}

function readStat(): string[] | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

childCpuSeconds();
const samples = new Map<string, { wall: number[]; cpu: number[] }>();
for (let i = 0; i < runs; i++) {
  for (const args of COMMANDS) {
    const key = `eqprop ${args.join(' ')}`;
    const t = timeOnce(args);
    const entry = samples.get(key) ?? { wall: [], cpu: [] };
    entry.wall.push(t.wall);
    entry.cpu.push(t.cpu);
    samples.set(key, entry);
  }
}

const load = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');
console.log(`CLI start-up, ${runs} runs each, ${cpus().length} cores, load average ${load}`);
let met = true;
for (const [key, s] of samples) {
  const wall = median(s.wall);
  met &&= wall < TARGET_MEDIAN_S;
  console.log(
    `  ${key.padEnd(26)} wall median ${wall.toFixed(2)} s (fastest ${Math.min(...s.wall).toFixed(2)} s), ` +
      `CPU median ${median(s.cpu).toFixed(2)} s`,
  );
}
console.log(`target: median wall time under ${TARGET_MEDIAN_S} s — ${met ? 'met' : 'NOT met'}`);
