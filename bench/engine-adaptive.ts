/**
 * Study: fixed free phase versus the adaptive rule (engine/adaptive.ts), side by side —
 * layered with per-layer rates and layer-skipping p = 7.56 % with one rate; train and evaluation
 * error after each epoch, mean free steps, wall time; prints a Markdown table.
 *
 * The defaults are the study's own scale, the paper network on a 10,000-example subset for 3
 * epochs (hours on two cores). Smaller settings for a quick look:
 *     npx tsx bench/engine-adaptive.ts --sizes 784,100,100,100,10 --train 1000 --eval 200 --epochs 3
 * Other flags: --threads t, --free-steps n, --tolerance x, --window k, --every k, --min-steps n,
 * --only layered-fixed,replace-adaptive,… (run a subset, e.g. one process per core), --out rows.jsonl
 * (append each epoch's row as JSON, so separate processes build one table), --label <name> (names
 * the rule in the rows, e.g. strict).
 *
 * Every epoch also reports the evaluation error with the paper's fixed free phase (from its own
 * particles, zeros at the first epoch), whatever rule trained the net, so that the rule's effect on
 * training is told apart from its effect on evaluation. `--checkpoint <path>` only does
 * that for a stored run (e.g. a fixed-step run of `reproduce --scale medium`; same --train/--eval).
 */
import { appendFileSync } from 'node:fs';
import os from 'node:os';
import { buildTopology, compileTopology, PAPER } from '../graph/index.js';
import type { TopologySpec } from '../graph/types.js';
import { DEFAULT_ADAPTIVE, initBackend, loadMnist, paperTrainConfig, type TrainConfig } from '../engine/index.js';
import { Trainer } from '../engine/trainer.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const sizes = flag('sizes', PAPER.sizes.join(',')).split(',').map(Number);
const epochs = Number(flag('epochs', '3'));
const threads = Number(flag('threads', '2'));
const freeSteps = Number(flag('free-steps', String(PAPER.freeSteps)));
const rule = {
  every: Number(flag('every', String(DEFAULT_ADAPTIVE.every))),
  tolerance: Number(flag('tolerance', String(DEFAULT_ADAPTIVE.tolerance))),
  window: Number(flag('window', String(DEFAULT_ADAPTIVE.window))),
  minSteps: Number(flag('min-steps', String(DEFAULT_ADAPTIVE.minSteps))),
};
const backend = await initBackend(flag('backend', 'auto') as 'auto');
const data = loadMnist({ train: Number(flag('train', '10000')), eval: Number(flag('eval', '10000')) });
const perLayerRates = PAPER.perLayerRates.slice(PAPER.perLayerRates.length - (sizes.length - 1));

const checkpoint = flag('checkpoint', '');
if (checkpoint) {
  const trainer = await Trainer.resume(checkpoint, data, { threads });
  const error = await trainer.evaluateFixedSteps(data.eval);
  console.log(
    `${checkpoint}: epoch ${trainer.epoch}, fixed ${trainer.config.freeSteps}-step evaluation error ` +
      `${(100 * error).toFixed(2)} %`,
  );
  if (flag('out', ''))
    appendFileSync(flag('out', ''), `${JSON.stringify({ checkpoint, epoch: trainer.epoch, fixedEvalError: error })}\n`);
  trainer.dispose();
  process.exit(0);
}
const label = flag('label', 'adaptive');
const only = flag('only', '').split(',').filter(Boolean);
const out = flag('out', '');
const cases: { key: string; name: string; spec: TopologySpec; config: TrainConfig }[] = [
  {
    key: 'layered',
    name: 'layered, per-layer rates',
    spec: { sizes, mode: 'layered', seed: 1 },
    config: { ...paperTrainConfig(true), learningRates: perLayerRates },
  },
  {
    key: 'replace',
    name: `replace p = ${(PAPER.p * 100).toFixed(2)} %, one rate`,
    spec: { sizes, mode: 'replace', p: PAPER.p, seed: 1 },
    config: paperTrainConfig(false),
  },
];

console.log(
  `backend ${backend}, ${threads} thread(s), ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}; ` +
    `${sizes.join('-')}; ${data.train.count} train / ${data.eval.count} eval; ${epochs} epochs; adaptive ` +
    `${JSON.stringify(rule)}, cap ${freeSteps}`,
);
const rows: string[] = [
  '| topology | free phase | epoch | train error | eval error | eval error, fixed steps | mean free steps | ' +
    'training time | epoch wall time (with evaluation) |',
  '|---|---|---|---|---|---|---|---|---|',
];
for (const c of cases) {
  const compiled = compileTopology(buildTopology(c.spec));
  for (const adaptive of [null, rule]) {
    if (only.length > 0 && !only.includes(`${c.key}-${adaptive ? 'adaptive' : 'fixed'}`)) continue;
    const config: TrainConfig = { ...c.config, freeSteps, adaptive, rateEvery: 0 };
    const trainer = await Trainer.create(compiled, config, data, { threads });
    for (let e = 0; e < epochs; e++) {
      const started = performance.now();
      const o = await trainer.trainEpoch();
      const wall = (performance.now() - started) / 1000; // training and evaluation
      const fixedEvalError = adaptive ? await trainer.evaluateFixedSteps(data.eval) : o.evalError;
      const line =
        `| ${c.name} | ${adaptive ? label : `fixed ${freeSteps}`} | ${o.epoch} | ` +
        `${(100 * o.trainError).toFixed(2)} % | ${(100 * o.evalError).toFixed(2)} % | ` +
        `${(100 * fixedEvalError).toFixed(2)} % | ${o.meanFreeSteps.toFixed(1)} | ` +
        `${(o.durationMs / 1000).toFixed(0)} s | ${wall.toFixed(0)} s |`;
      rows.push(line);
      console.log(line);
      if (out) {
        const record = {
          case: c.key,
          adaptive: adaptive !== null,
          label,
          rule: adaptive,
          fixedEvalError,
          epoch: o.epoch,
          trainError: o.trainError,
          evalError: o.evalError,
          meanFreeSteps: o.meanFreeSteps,
          seconds: o.durationMs / 1000,
          wallSeconds: wall,
          threads,
          load: os.loadavg()[0],
          line,
        };
        appendFileSync(out, `${JSON.stringify(record)}\n`);
      }
    }
    trainer.dispose();
  }
}
console.log(`\n${rows.join('\n')}\n\nload average at the end ${os.loadavg()[0].toFixed(1)}`);
