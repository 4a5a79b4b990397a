/**
 * The read-only Cypher console (Neo4j store only). Queries run in READ sessions through
 * executeRead, so Neo4j itself refuses any write (create, merge, set, delete) — the guarantee
 * comes from the database, not from inspecting the query text. Results are converted to plain
 * JSON (Integers, nodes, relationships, paths) and capped in rows.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import type { Config } from '../src/config.js';
import { HttpError } from './http-errors.js';

export interface CypherResult {
  columns: string[];
  rows: unknown[][];
  truncated: boolean;
  elapsedMs: number;
}

export class CypherConsole {
  private driver: Driver | null = null;
  constructor(private readonly settings: Config['neo4j']) {}

  async run(query: string, params: Record<string, unknown>, maxRows: number, timeoutMs = 15_000): Promise<CypherResult> {
    this.driver ??= neo4j.driver(this.settings.uri, neo4j.auth.basic(this.settings.user, this.settings.password), { disableLosslessIntegers: false });
    const session = this.driver.session({ defaultAccessMode: neo4j.session.READ });
    const started = performance.now();
    try {
      const result = await session.executeRead((tx) => tx.run(query, params), { timeout: timeoutMs });
      const columns = result.records[0]?.keys.map(String) ?? [];
      const rows = result.records.slice(0, maxRows).map((r) => r.keys.map((k) => plain(r.get(k))));
      return { columns, rows, truncated: result.records.length > maxRows, elapsedMs: performance.now() - started };
    } catch (e) {
      throw cypherError(e);
    } finally {
      await session.close();
    }
  }

  async close(): Promise<void> {
    await this.driver?.close();
    this.driver = null;
  }
}

function cypherError(e: unknown): unknown {
  const code = (e as { code?: unknown }).code;
  const message = (e as Error).message ?? String(e);
  if (typeof code !== 'string') return e;
  if (/AccessMode|Forbidden|WriteOnReadOnly|ReadOnly/i.test(code) || /read access mode|not allowed/i.test(message)) {
    return new HttpError(403, `eqprop/server: query: the console is read-only and Neo4j refused a write (${code}); expected a read-only Cypher query (MATCH … RETURN)`, 'query', 'a read-only Cypher query');
  }
  if (code.startsWith('Neo.ClientError')) {
    return new HttpError(400, `eqprop/server: query: ${message.split('\n')[0]} (${code}); expected a valid read-only Cypher query`, 'query', 'a valid read-only Cypher query');
  }
  if (code === 'ServiceUnavailable') {
    return new HttpError(503, `eqprop/server: Neo4j is not reachable (${message.split('\n')[0]}); expected a running Neo4j (npm run neo4j)`, 'store', 'a reachable Neo4j');
  }
  return e;
}

/** neo4j-driver values → JSON-friendly values. */
export function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (neo4j.isInt(value)) return neo4j.integer.inSafeRange(value) ? neo4j.integer.toNumber(value) : neo4j.integer.toString(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof neo4j.types.Node) return { labels: value.labels, properties: plain(value.properties), elementId: value.elementId };
  if (value instanceof neo4j.types.Relationship) return { type: value.type, properties: plain(value.properties), start: value.startNodeElementId, end: value.endNodeElementId };
  if (value instanceof neo4j.types.Path) return { start: plain(value.start), end: plain(value.end), length: value.length, segments: value.segments.map((s) => ({ start: plain(s.start), relationship: plain(s.relationship), end: plain(s.end) })) };
  if (typeof value === 'object') {
    if (typeof (value as { toString?: unknown }).toString === 'function' && value.constructor && value.constructor !== Object) {
      // Temporal and spatial types: their ISO/WKT string is the readable form.
      return String(value);
    }
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
