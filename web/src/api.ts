/**
 * The browser's only door to the server: JSON requests with the bearer token (when the server
 * wants one; kept in localStorage), errors as ApiError carrying the server's {error, field,
 * expected}, and job events read from the SSE endpoint with fetch (EventSource cannot send the
 * Authorization header).
 */
import type {
  TopologyRecord,
  RunRecord,
  EpochResult,
  SweepRecord,
  CorrelationRow,
  RatePoint,
} from '../../src/store/contract.js';
import type { GraphView, NeuronView } from '../../server/graph-view.js';

export type { TopologyRecord, RunRecord, EpochResult, SweepRecord, CorrelationRow, RatePoint, GraphView, NeuronView };

/** Mirrors server/jobs/manager.ts JobSummary (not imported: that module is Node-only). */
export interface JobSummary {
  id: string;
  kind: 'train' | 'sweep';
  status: 'running' | 'done' | 'failed' | 'cancelled';
  args: string[];
  startedAt: string;
  finishedAt: string | null;
  runIds: string[];
  sweepId: string | null;
  lastBatch: JobEvent | null;
  lastEpoch: JobEvent | null;
  error: string | null;
}

export interface JobEvent {
  seq: number;
  event: string;
  [key: string]: unknown;
}

export interface ServerInfo {
  version: string;
  store: { kind: 'sqlite' | 'neo4j'; location: string };
  cypher: boolean;
  tokenRequired: boolean;
}

export interface NamedQuery {
  name: string;
  title: string;
  description: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field: string | null,
    readonly expected: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const TOKEN_KEY = 'eqprop-lab.token';

function authHeaders(): Record<string, string> {
  const token = localStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function request(path: string, init: RequestInit, retried = false): Promise<Response> {
  const res = await fetch(path, {
    ...init,
    headers: { ...(init.headers as Record<string, string> | undefined), ...authHeaders() },
  });
  if (res.status === 401 && !retried) {
    const token = window.prompt('This eqprop-lab server needs its access token:');
    if (token) {
      localStorage.setItem(TOKEN_KEY, token.trim());
      return request(path, init, true);
    }
  }
  return res;
}

export async function api<T>(path: string, options: { method?: string; body?: unknown } = {}): Promise<T> {
  const init: RequestInit = { method: options.method ?? (options.body !== undefined ? 'POST' : 'GET') };
  if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
    init.headers = { 'Content-Type': 'application/json' };
  }
  const res = await request(path, init);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(res.status, `eqprop/web: ${path} answered ${res.status} with non-JSON`, null, null);
  }
  if (!res.ok) {
    const e = parsed as { error?: string; field?: string | null; expected?: string | null } | null;
    throw new ApiError(res.status, e?.error ?? `HTTP ${res.status}`, e?.field ?? null, e?.expected ?? null);
  }
  return parsed as T;
}

/** Query string from defined values only. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '') as [
    string,
    string | number,
  ][];
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : '';
}

/**
 * Follow a job's Server-Sent Events until the stream ends (the server closes it after the `end`
 * event) or `signal` aborts. Past events are replayed first, so a late watcher sees everything.
 */
export async function watchJob(jobId: string, onEvent: (e: JobEvent) => void, signal: AbortSignal): Promise<void> {
  const res = await request(`/api/jobs/${encodeURIComponent(jobId)}/events`, {
    signal,
    headers: { Accept: 'text/event-stream' },
  });
  if (!res.ok || !res.body)
    throw new ApiError(res.status, `eqprop/web: could not watch job ${jobId} (HTTP ${res.status})`, 'id', null);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
        const frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = frame
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n');
        if (data) onEvent(JSON.parse(data) as JobEvent);
      }
    }
  } catch (e) {
    if (signal.aborted) return;
    throw e;
  }
}
