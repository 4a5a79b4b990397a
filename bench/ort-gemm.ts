/**
 * Bare ONNX Runtime GEMM on the step's shapes, for bench/engine.ts: one session whose graph is a
 * Loop of `steps` iterations of Y_u ← X_u · W_u for every (rows × k_u) · (k_u × n_u) product of the
 * step, the W_u baked in as initializers (pre-packed, as the engine's are), on `threads` intra-op
 * threads. Nothing else per step: the time the phases' products alone take.
 */
import { DataType, graph, model, node, tensor, valueInfo, type NodeSpec } from '../engine/onnx/proto.js';
import { ortModule, sessionOptions } from '../engine/onnx/ort.js';

/**
 * Seconds for `steps` iterations of all the products `shapes` ([k, n] each) on `rows` rows: the
 * best wall time of `reps` runs and the least process CPU time (all threads) of one.
 */
export async function bareOrtGemmSeconds(
  shapes: [number, number][],
  rows: number,
  steps: number,
  threads: number,
  reps = 3,
): Promise<{ wall: number; cpu: number }> {
  const ort = ortModule();
  const f32 = (name: string, dims: number[]) => valueInfo(name, DataType.FLOAT, dims);
  const states = (suffix: string) =>
    shapes.flatMap(([k, n], u) => [f32(`x${u}${suffix}`, [rows, k]), f32(`y${u}${suffix}`, [rows, n])]);
  const body: NodeSpec[] = [{ op: 'Identity', inputs: ['cond_in'], outputs: ['cond_out'] }];
  shapes.forEach((_, u) => {
    body.push({ op: 'MatMul', inputs: [`x${u}`, `W${u}`], outputs: [`y${u}_next`] });
    body.push({ op: 'Identity', inputs: [`x${u}`], outputs: [`x${u}_next`] });
  });
  const bodyGraph = graph({
    name: 'body',
    nodes: body.map((n, i) => node(n, `b${i}`)),
    initializers: [],
    inputs: [valueInfo('iter', DataType.INT64, []), valueInfo('cond_in', DataType.BOOL, []), ...states('')],
    outputs: [valueInfo('cond_out', DataType.BOOL, []), ...states('_next')],
  });
  const carried = shapes.flatMap((_, u) => [`x${u}`, `y${u}`]);
  const loop: NodeSpec = {
    op: 'Loop',
    inputs: ['steps', 'cond', ...carried],
    outputs: carried.map((c) => `${c}_out`),
    attributes: [{ name: 'body', graph: bodyGraph }],
  };
  const random = (n: number) => Float32Array.from({ length: n }, () => Math.random() * 0.01);
  const weights = shapes.map(([k, n], u) => tensor(`W${u}`, DataType.FLOAT, [k, n], random(k * n)));
  const bytes = model(
    graph({
      name: 'bare_gemm',
      nodes: [node(loop, 'loop')],
      initializers: [tensor('cond', DataType.BOOL, [], Uint8Array.of(1)), ...weights],
      inputs: [valueInfo('steps', DataType.INT64, []), ...states('')],
      outputs: shapes.map((_, u) => valueInfo(`y${u}_out`, DataType.FLOAT, undefined)),
    }),
  );
  const session = await ort.InferenceSession.create(bytes, sessionOptions(threads));
  const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
    steps: new ort.Tensor('int64', BigInt64Array.of(BigInt(steps)), []),
  };
  shapes.forEach(([k, n], u) => {
    feeds[`x${u}`] = new ort.Tensor('float32', random(rows * k), [rows, k]);
    feeds[`y${u}`] = new ort.Tensor('float32', new Float32Array(rows * n), [rows, n]);
  });
  await session.run(feeds); // warm-up
  let wall = Infinity,
    cpu = Infinity;
  for (let r = 0; r < reps; r++) {
    const start = performance.now(),
      cpuStart = process.cpuUsage();
    await session.run(feeds);
    const used = process.cpuUsage(cpuStart);
    wall = Math.min(wall, (performance.now() - start) / 1000);
    cpu = Math.min(cpu, (used.user + used.system) / 1e6);
  }
  await session.release();
  return { wall, cpu };
}
