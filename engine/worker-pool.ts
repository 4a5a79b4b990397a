/**
 * Phase workers on the main thread's side: a pool of worker threads (engine/phase-worker.ts),
 * each with its own copy of the weights, that run the phases of a share of the rows of a batch
 * while the main thread runs the rest. The weights are re-sent after every update.
 */
import { Worker } from 'node:worker_threads';
import type { BackendName } from './backend.js';
import type { Network } from './network.js';
import type { StepLayout } from './dynamics/layout-cost.js';
import type { PhaseRequest, PhaseResult } from './phases.js';
import type { WorkerMessage } from './phase-worker.js';
import { EqpropError } from '../lib/index.js';

/**
 * Starts the worker entry next to this module: the compiled .js, or — when this module itself
 * runs from TypeScript source under tsx (tests, benches) — the .ts source through tsx's tsImport
 * (Node 20 does not apply the parent's `--import tsx` loader hooks inside worker threads).
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./phase-worker.js', import.meta.url));
  const entry = new URL('./phase-worker.ts', import.meta.url).href;
  const tsImport = `api.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)})`;
  const post = `require('node:worker_threads').parentPort.postMessage`;
  const boot = `import('tsx/esm/api').then((api) => ${tsImport})
    .catch((e) => ${post}({ kind: 'error', message: String(e && e.stack || e) }));`;
  return new Worker(boot, { eval: true });
}

class PhaseWorker {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: PhaseResult) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;
  private terminated = false;
  readonly ready: Promise<void>;

  constructor(init: Extract<WorkerMessage, { kind: 'init' }>) {
    this.worker = startWorker();
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (m: { kind: string; id?: number; result?: PhaseResult; message?: string }) => {
        if (m.kind === 'ready') {
          this.worker.unref();
          resolve();
        } else if (m.kind === 'result') {
          const p = this.pending.get(m.id!);
          this.pending.delete(m.id!);
          if (this.pending.size === 0) this.worker.unref();
          p?.resolve(m.result!);
        } else if (m.kind === 'error')
          this.fail(new EqpropError('engine', `phase worker failed: ${m.message}`), reject);
      });
      this.worker.on('error', (e) => this.fail(e, reject));
      this.worker.on('exit', (code) => {
        if (!this.terminated) this.fail(new EqpropError('engine', `phase worker exited with code ${code}`), reject);
      });
    });
    this.worker.postMessage(init);
  }

  private fail(e: Error, rejectReady: (e: Error) => void): void {
    this.failure ??= e;
    rejectReady(e);
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  setWeights(weights: Float32Array[], biases: Float32Array[]): void {
    this.worker.postMessage({ kind: 'weights', weights, biases } satisfies WorkerMessage);
  }

  phases(request: PhaseRequest): Promise<PhaseResult> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // Keep the process alive only while a result is awaited: an idle pool never holds it open.
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ kind: 'phases', id, request } satisfies WorkerMessage, [
        request.x.buffer,
        request.initial.buffer,
        ...(request.target ? [request.target.buffer] : []),
      ] as ArrayBuffer[]);
    });
  }

  terminate(): Promise<number> {
    this.terminated = true;
    return this.worker.terminate();
  }
}

export class WorkerPool {
  private constructor(private readonly workers: PhaseWorker[]) {}

  /** `count` workers (≥ 1) running `backend`, each holding a copy of the network's structure. */
  static async start(
    count: number,
    backend: BackendName,
    network: Network,
    epsilon: number,
    layout: StepLayout,
  ): Promise<WorkerPool> {
    const workers = Array.from(
      { length: count },
      () => new PhaseWorker({ kind: 'init', backend, network, epsilon, layout }),
    );
    try {
      await Promise.all(workers.map((w) => w.ready));
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    return new WorkerPool(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  setWeights(weights: Float32Array[], biases: Float32Array[]): void {
    for (const w of this.workers) w.setWeights(weights, biases);
  }

  phases(worker: number, request: PhaseRequest): Promise<PhaseResult> {
    return this.workers[worker].phases(request);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
