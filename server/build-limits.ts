/**
 * Bounds on topology builds requested through the API: how big (neurons, connections), how many
 * at once, and for how long. A build holds its whole edge list and metric state in memory (a 35 M
 * connection build reached 4.5 GB), so size is checked from the spec before a worker starts, extra
 * concurrent builds are refused with 429 rather than queued behind a multi-minute one, and a build
 * past its time limit has its worker terminated. Limits come from StartOptions or the environment.
 */
import { connectionsWithIntralayer, type ResolvedSpec } from '../graph/index.js';
import { InputError } from '../lib/index.js';
import { HttpError } from './http-errors.js';

export interface BuildLimits {
  /** Neurons in one topology (the schema's own cap is 12,000). */
  maxNeurons: number;
  /** Connections in one topology (layered ones plus those `add` puts on top). */
  maxConnections: number;
  /** Builds running at once; more are answered 429. */
  maxConcurrent: number;
  /** A build (with its metrics and save) is terminated after this long. */
  timeoutMs: number;
}

/** The paper network (784-500-500-500-10 with 100,000 added, ≈ 1.3 M connections) fits with room. */
export const DEFAULT_BUILD_LIMITS: BuildLimits = {
  maxNeurons: 12_000,
  maxConnections: 3_000_000,
  maxConcurrent: 1,
  timeoutMs: 300_000,
};

const ENV: Record<keyof BuildLimits, string> = {
  maxNeurons: 'EQPROP_BUILD_MAX_NEURONS',
  maxConnections: 'EQPROP_BUILD_MAX_CONNECTIONS',
  maxConcurrent: 'EQPROP_BUILD_WORKERS',
  timeoutMs: 'EQPROP_BUILD_TIMEOUT_MS',
};

/** Defaults, overridden by the environment, overridden by explicit values; each a positive integer. */
export function resolveBuildLimits(
  explicit: Partial<BuildLimits> = {},
  env: NodeJS.ProcessEnv = process.env,
): BuildLimits {
  const limits = { ...DEFAULT_BUILD_LIMITS };
  for (const key of Object.keys(ENV) as (keyof BuildLimits)[]) {
    const raw = explicit[key] ?? env[ENV[key]];
    if (raw === undefined || raw === '') continue;
    const value = typeof raw === 'number' ? raw : /^\d{1,12}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new InputError(
        'server',
        ENV[key],
        `${JSON.stringify(raw)} is not a positive integer`,
        'a positive integer',
      );
    }
    limits[key] = value;
  }
  return limits;
}

/** Connections a resolved spec will build: every layered one, plus n more when mode is add. */
export function plannedConnections(spec: ResolvedSpec): number {
  return connectionsWithIntralayer(spec.sizes) + (spec.mode === 'add' ? spec.n : 0);
}

/** 400 naming the field when the spec is larger than the limits allow. */
export function checkBuildSize(spec: ResolvedSpec, limits: BuildLimits): void {
  const neurons = spec.sizes.reduce((a, b) => a + b, 0);
  if (neurons > limits.maxNeurons) {
    throw new HttpError(
      400,
      `eqprop/server: sizes: ${neurons} neurons; expected at most ${limits.maxNeurons} (${ENV.maxNeurons})`,
      'sizes',
      `at most ${limits.maxNeurons} neurons`,
    );
  }
  const connections = plannedConnections(spec);
  if (connections > limits.maxConnections) {
    const field = spec.mode === 'add' && connectionsWithIntralayer(spec.sizes) <= limits.maxConnections ? 'n' : 'sizes';
    throw new HttpError(
      400,
      `eqprop/server: ${field}: the build would have ${connections} connections; ` +
        `expected at most ${limits.maxConnections} (${ENV.maxConnections})`,
      field,
      `at most ${limits.maxConnections} connections`,
    );
  }
}

/** Counts builds in flight and refuses one more than the limit. */
export class BuildSlots {
  private running = 0;
  constructor(readonly limits: BuildLimits) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.maxConcurrent) {
      throw new HttpError(
        429,
        `eqprop/server: ${this.running} topology build(s) already running; ` +
          `expected at most ${this.limits.maxConcurrent} at once (retry when it ends)`,
        'builds',
        `at most ${this.limits.maxConcurrent} concurrent builds (${ENV.maxConcurrent})`,
      );
    }
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
    }
  }
}
