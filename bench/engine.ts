/**
 * Engine benchmark, paper configuration (SPEC §6–7): 784-500-500-500-10, 500 free + 8 clamped
 * steps, batch 20, layered and layer-skipping replace p = 7.56 % (n = 100,000). Prints, per
 * topology and in one run on one backend:
 *   - seconds per training batch of the engine (a few real MNIST batches after a warm-up batch),
 *   - achieved GFLOPS, counting only multiply-adds of existing connections (2 flops each),
 *   - the backend's bare matMul GFLOPS on the same shapes the step multiplies,
 *   - the same batch done the naive dense way (rho(s) · W with the full N × N W every step),
 *   - the same with phase workers (--threads, default 2): seconds per training batch, and the
 *     evaluation speed-up (whole evaluation batches per thread).
 *
 *     npx tsx bench/engine.ts [--backend auto|wasm|cpu] [--batches 3] [--dense-steps 508] [--threads 2]
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { buildTopology, compileTopology, denseWeights, PAPER } from '../graph/index.js';
import type { CompiledTopology, TopologySpec } from '../graph/types.js';
import { chooseLayout, initBackend, loadMnist, paperTrainConfig, recurrentMultiplyAdds, networkFromCompiled, Trainer, type BackendRequest } from '../engine/index.js';
import { buildOperators, disposeOperators } from '../engine/dynamics.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const backend = await initBackend(flag('backend', 'auto') as BackendRequest);
const measured = Number(flag('batches', '3'));
const threads = Number(flag('threads', '2'));
const evalBatches = 4;
const denseSteps = Number(flag('dense-steps', String(PAPER.freeSteps + PAPER.clampedSteps)));
const config = paperTrainConfig(false);
const steps = config.freeSteps + config.clampedSteps;
const B = config.batchSize;
const data = loadMnist({ train: B * (measured + 1), eval: B * evalBatches });

/** Flops of one training batch over existing connections: the recurrent steps, the input drive, the update. */
function batchFlops(compiled: CompiledTopology): number {
  const network = networkFromCompiled(compiled);
  let inputConnections = 0, all = 0;
  for (const block of network.blocks) {
    all += block.kind === 'intralayer' ? block.maskCount / 2 : block.maskCount;
    if (block.a === 0) inputConnections += block.maskCount;
  }
  const recurrent = recurrentMultiplyAdds(network) * steps;
  // Update: 2B products per connection (clamped and free terms).
  return 2 * B * (recurrent + inputConnections) + 2 * 2 * B * all;
}

async function engineSecondsPerBatch(compiled: CompiledTopology, threads: number): Promise<number[]> {
  const trainer = await Trainer.create(compiled, config, data, { threads });
  const times: number[] = [];
  let last = performance.now();
  await trainer.trainEpoch({
    onBatch: () => {
      const now = performance.now();
      times.push((now - last) / 1000);
      last = now;
    },
    shouldStop: () => times.length > measured,
  });
  trainer.dispose();
  return times;
}

/** Seconds per evaluation batch (free phase only) over `evalBatches` batches. */
async function evalSecondsPerBatch(compiled: CompiledTopology, threads: number): Promise<number> {
  const trainer = await Trainer.create(compiled, config, data, { threads });
  const start = performance.now();
  await trainer.evaluateParallel(data.eval);
  const seconds = (performance.now() - start) / 1000 / evalBatches;
  trainer.dispose();
  return seconds;
}

function bareMatMulGflops(compiled: CompiledTopology): number {
  const network = networkFromCompiled(compiled);
  const weights = network.blocks.map((b) => tf.tensor2d(b.weights, [b.rows, b.cols]));
  const ops = buildOperators(network, weights, config.epsilon);
  const matrices = ops.layout === 'fused' ? [ops.fusedMatrix!] : ops.stacked.filter((t): t is tf.Tensor2D => t !== null);
  const shapes = matrices.map((t) => t.shape);
  const pairs = shapes.map(([k, n]) => [tf.randomUniform([B, k]), tf.randomUniform([k, n])] as const);
  const run = () => pairs.forEach(([a, b]) => tf.matMul(a, b).dispose());
  for (let i = 0; i < 5; i++) run();
  const reps = 50;
  const start = performance.now();
  for (let i = 0; i < reps; i++) run();
  const seconds = (performance.now() - start) / 1000;
  const flops = reps * shapes.reduce((sum, [k, n]) => sum + 2 * B * k * n, 0);
  disposeOperators(ops);
  tf.dispose([...weights, ...pairs.flat()]);
  return flops / seconds / 1e9;
}

/** The reference formulation: s ← clip(s + ε(s·W + b − s)) with the full N × N W, input columns reset. */
function denseSecondsPerBatch(compiled: CompiledTopology): number {
  const { N } = compiled, n0 = compiled.sizes[0];
  const W = tf.tensor2d(denseWeights(compiled), [N, N]);
  const b = tf.tensor1d(compiled.biases);
  const x = tf.tensor2d(data.train.images.subarray(0, B * n0), [B, n0]);
  let s = tf.concat([x, tf.zeros([B, N - n0])], 1) as tf.Tensor2D;
  const start = performance.now();
  for (let k = 0; k < denseSteps; k++) {
    const next = tf.tidy(() => {
      const updated = tf.clipByValue(tf.add(s, tf.mul(tf.sub(tf.add(tf.matMul(s, W), b), s), config.epsilon)), 0, 1);
      return tf.concat([x, tf.slice(updated, [0, n0], [B, N - n0])], 1) as tf.Tensor2D;
    });
    s.dispose();
    s = next;
  }
  s.dataSync();
  const seconds = ((performance.now() - start) / 1000) * (steps / denseSteps);
  tf.dispose([W, b, x, s]);
  return seconds;
}

const topologies: [string, TopologySpec][] = [
  ['layered', { sizes: [...PAPER.sizes], mode: 'layered', seed: 1 }],
  [`replace p = ${(PAPER.p * 100).toFixed(2)} %`, { sizes: [...PAPER.sizes], mode: 'replace', n: PAPER.n, seed: 1 }],
];
console.log(`backend ${backend}; ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}; ${PAPER.sizes.join('-')}, ${config.freeSteps}+${config.clampedSteps} steps, batch ${B}; ${measured} measured batches after 1 warm-up`);
for (const [name, spec] of topologies) {
  const compiled = compileTopology(buildTopology(spec));
  const mean = (t: number[]) => t.slice(1).reduce((a, b) => a + b, 0) / (t.length - 1);
  const times = await engineSecondsPerBatch(compiled, 1);
  const perBatch = mean(times);
  const parallel = threads > 1 ? mean(await engineSecondsPerBatch(compiled, threads)) : NaN;
  const evalOne = await evalSecondsPerBatch(compiled, 1);
  const evalParallel = threads > 1 ? await evalSecondsPerBatch(compiled, threads) : NaN;
  const gflops = batchFlops(compiled) / perBatch / 1e9;
  const bare = bareMatMulGflops(compiled);
  const dense = denseSecondsPerBatch(compiled);
  console.log(`${name} (${chooseLayout(networkFromCompiled(compiled))} layout):`);
  console.log(`  engine        ${perBatch.toFixed(3)} s/batch (warm-up ${times[0].toFixed(2)} s), ${(batchFlops(compiled) / 1e9).toFixed(1)} GFLOP of existing connections → ${gflops.toFixed(1)} GFLOPS`);
  console.log(`  bare matMul   ${bare.toFixed(1)} GFLOPS on the step's shapes (${(100 * gflops / bare).toFixed(0)} % achieved)`);
  if (threads > 1) {
    console.log(`  ${threads} threads     ${parallel.toFixed(3)} s/batch (${(perBatch / parallel).toFixed(2)}× one thread) → ${(batchFlops(compiled) / parallel / 1e9).toFixed(1)} GFLOPS`);
    console.log(`  evaluation    ${evalOne.toFixed(3)} s/batch on 1 thread, ${evalParallel.toFixed(3)} s/batch on ${threads} (${(evalOne / evalParallel).toFixed(2)}× speed-up)`);
  }
  console.log(`  naive dense   ${dense.toFixed(2)} s/batch (${denseSteps < steps ? `extrapolated from ${denseSteps} steps` : 'full batch'}) → engine is ${(dense / perBatch).toFixed(1)}× faster (${(100 * perBatch / dense).toFixed(0)} % of dense)`);
}
// Peak memory of a paper-configuration training process: the full SPEC §6 data, all particles.
{
  const full = loadMnist({});
  const compiled = compileTopology(buildTopology(topologies[1][1]));
  const trainer = await Trainer.create(compiled, config, full, { threads });
  await trainer.trainEpoch({ shouldStop: () => true });
  const rss = process.memoryUsage().rss;
  trainer.dispose();
  console.log(`memory: ${(rss / 2 ** 30).toFixed(2)} GB resident after one batch of the p = 7.56 % net on all 50,000 + 10,000 images, ${threads} thread(s)`);
}
console.log(`load average at the end ${os.loadavg()[0].toFixed(1)} (other processes share these cores: figures above are lower bounds on a busy machine)`);
