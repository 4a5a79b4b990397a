/**
 * `eqprop train` end to end (the compiled CLI, its store writes, rates and checkpoints included):
 * the marginal seconds per training batch and per evaluation batch, per backend and topology, as
 * differences of whole-run wall times (so process start, data loading and the network build cancel):
 *
 *     per training batch   = (T(train b2, eval e1) − T(train b1, eval e1)) / (b2 − b1)
 *     per evaluation batch = (T(train b1, eval e2) − T(train b1, eval e1)) / (e2 − e1)
 *
 * then a paper-scale epoch estimate (2500 training + 500 evaluation batches) against issue 13's targets.
 * Needs `npm run build` (or `npx tsc -p tsconfig.json`) first.
 *
 *     npx tsx bench/engine-cli.ts [--backends onnxruntime,wasm] [--threads 2] [--b1 3] [--b2 11] [--e1 1] [--e2 9]
 *       [--repeats 2]   (each run's fastest of --repeats)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { PAPER } from '../graph/index.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const backends = flag('backends', 'onnxruntime,wasm').split(',');
const threads = flag('threads', '2');
const repeats = Number(flag('repeats', '2'));
const [b1, b2, e1, e2] = ['b1', 'b2', 'e1', 'e2'].map((k, i) => Number(flag(k, ['3', '11', '1', '9'][i])));
const B = PAPER.batchSize;
const dir = mkdtempSync(join(os.tmpdir(), 'eqprop-cli-bench-'));
const topologies: [string, string[]][] = [
  ['layered', ['--sizes', PAPER.sizes.join(',')]],
  [
    `replace p = ${(PAPER.p * 100).toFixed(2)} %`,
    ['--sizes', PAPER.sizes.join(','), '--mode', 'replace', '--n', String(PAPER.n)],
  ],
];

let runs = 0;
function seconds(backend: string, topology: string[], trainBatches: number, evalBatches: number): number {
  const args = [
    'bin/eqprop.js',
    'train',
    ...topology,
    '--lr',
    String(PAPER.singleRate),
    '--train',
    String(trainBatches * B),
    '--eval',
    String(evalBatches * B),
    '--epochs',
    '1',
    '--backend',
    backend,
    '--threads',
    threads,
    '--json',
  ];
  runs++;
  // The fastest of `repeats` runs: on a shared machine the load only ever adds time.
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    const result = spawnSync(
      process.execPath,
      [...args, '--db', join(dir, `run${runs}-${r}.db`), '--checkpoint-dir', join(dir, `ckpt${runs}-${r}`)],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`eqprop train failed (${result.status}): ${result.stderr.slice(-2000)}`);
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return best;
}

const targets: string[] = [];
const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
const load = () => `load average ${os.loadavg()[0].toFixed(1)}`;
console.log(`eqprop train end to end, --threads ${threads}; ${os.cpus().length} cores, ${load()}`);
try {
  for (const backend of backends) {
    for (const [name, topology] of topologies) {
      const base = seconds(backend, topology, b1, e1);
      const train = (seconds(backend, topology, b2, e1) - base) / (b2 - b1);
      const evaluation = (seconds(backend, topology, b1, e2) - base) / (e2 - e1);
      const epochMin = (2500 * train + 500 * evaluation) / 60;
      console.log(
        `  ${backend}, ${name}: ${train.toFixed(3)} s per training batch, ${evaluation.toFixed(3)} s per ` +
          `evaluation batch (marginal) → paper epoch ≈ ${epochMin.toFixed(1)} min; ${load()}`,
      );
      if (backend === 'onnxruntime') {
        const limit = name === 'layered' ? 0.25 : 0.4;
        targets.push(`${name}: ${train.toFixed(3)} s per batch (target ≤ ${limit} s: ${mark(train <= limit)})`);
        targets.push(`${name}: epoch ≈ ${epochMin.toFixed(1)} min (target ≤ 20 min: ${mark(epochMin <= 20)})`);
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (targets.length) {
  const list = targets.map((t) => `  - ${t}`).join('\n');
  console.log(`\ntargets (issue 13, eqprop train end to end on ONNX Runtime):\n${list}`);
}
