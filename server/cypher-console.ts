/**
 * The read-only Cypher console (Neo4j store only). Three gates, because a READ session alone is
 * no sandbox (LOAD CSV reads files and URLs, SHOW and TERMINATE administer, procedures do
 * anything): (1) the query text must be a plain read (cypher-guard.ts), checked before anything
 * is sent; (2) Neo4j's own EXPLAIN must call it read-only (query type 'r'); (3) it runs in a READ
 * transaction, so a write the first two missed is still refused by Neo4j. The Neo4j launcher
 * (tools/neo4j) disables file URLs for LOAD CSV as a last line. Records are streamed and the
 * stream stops at maxRows, so a query that would return millions of rows costs maxRows of memory.
 */
import neo4j, { type Driver, type Session } from 'neo4j-driver';
import type { Config } from '../src/config.js';
import { HttpError } from './http-errors.js';
import { assertPlainRead } from './cypher-guard.js';

export interface CypherResult {
  columns: string[];
  rows: unknown[][];
  truncated: boolean;
  elapsedMs: number;
}

/** Records pulled from Neo4j per round trip: small, so that stopping at the cap wastes little. */
const MAX_FETCH_SIZE = 1000;

export class CypherConsole {
  private driver: Driver | null = null;
  constructor(private readonly settings: Config['neo4j']) {}

  async run(
    query: string,
    params: Record<string, unknown>,
    maxRows: number,
    timeoutMs = 15_000,
  ): Promise<CypherResult> {
    assertPlainRead(query);
    this.driver ??= neo4j.driver(this.settings.uri, neo4j.auth.basic(this.settings.user, this.settings.password), {
      disableLosslessIntegers: false,
    });
    const fetchSize = Math.min(maxRows + 1, MAX_FETCH_SIZE);
    const session = this.driver.session({ defaultAccessMode: neo4j.session.READ, fetchSize });
    const started = performance.now();
    try {
      await assertReadOnlyPlan(session, query, params, timeoutMs);
      const tx = await session.beginTransaction({ timeout: timeoutMs });
      try {
        const rows: unknown[][] = [];
        let columns: string[] = [];
        let truncated = false;
        // The async iterator pulls fetchSize records at a time and pauses while we do not ask for
        // more; leaving the loop discards the rest on the server.
        for await (const record of tx.run(query, params)) {
          if (rows.length === maxRows) {
            truncated = true;
            break;
          }
          if (rows.length === 0) columns = record.keys.map(String);
          rows.push(record.keys.map((k) => plain(record.get(k))));
        }
        return { columns, rows, truncated, elapsedMs: performance.now() - started };
      } finally {
        await tx.rollback().catch(() => undefined); // a read has nothing to commit
      }
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

/** The second gate: Neo4j plans the query without running it and must call it read-only ('r'). */
async function assertReadOnlyPlan(
  session: Session,
  query: string,
  params: Record<string, unknown>,
  timeoutMs: number,
): Promise<void> {
  const plan = await session.executeRead((tx) => tx.run(`EXPLAIN ${query}`, params), { timeout: timeoutMs });
  const type = plan.summary.queryType;
  if (type !== 'r') {
    const kinds: Record<string, string> = { w: 'writes', rw: 'reads and writes', s: 'changes the schema' };
    const kind = kinds[type as string] ?? `is of type ${String(type)}`;
    throw new HttpError(
      403,
      `eqprop/server: query: Neo4j's plan says the query ${kind}; expected a plain read query (query type r)`,
      'query',
      'a plain read query (EXPLAIN query type r)',
    );
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.slice(0, 500);
}

/**
 * Neo4j and driver errors → the API's error shape. Only an unreachable Neo4j is the server's
 * problem (503); whatever Neo4j answers about the query itself is the client's (4xx).
 */
function cypherError(e: unknown): unknown {
  if (e instanceof HttpError) return e;
  const code = (e as { code?: unknown }).code;
  const message = (e as Error).message ?? String(e);
  if (typeof code !== 'string') return e;
  if (code === 'ServiceUnavailable' || code === 'SessionExpired') {
    return new HttpError(
      503,
      `eqprop/server: Neo4j is not reachable (${firstLine(message)}); expected a running Neo4j (npm run neo4j)`,
      'store',
      'a reachable Neo4j',
    );
  }
  const refused = /AccessMode|Forbidden|WriteOnReadOnly|ReadOnly|Security/i.test(code);
  if (refused || /read access mode|not allowed/i.test(message)) {
    return new HttpError(
      403,
      `eqprop/server: query: the console is read-only and Neo4j refused the query (${code}); ` +
        'expected a read-only Cypher query (MATCH … RETURN)',
      'query',
      'a read-only Cypher query',
    );
  }
  if (code.startsWith('Neo.ClientError')) {
    return new HttpError(
      400,
      `eqprop/server: query: ${firstLine(message)} (${code}); expected a valid read-only Cypher query`,
      'query',
      'a valid read-only Cypher query',
    );
  }
  // DatabaseError, TransientError (e.g. out of transaction memory) and driver protocol errors
  // are answers about this query: the query could not be run as written.
  return new HttpError(
    422,
    `eqprop/server: query: Neo4j could not run the query: ${firstLine(message)} (${code}); ` +
      'expected a query Neo4j can run within its limits',
    'query',
    'a query Neo4j can run within its limits',
  );
}

/** neo4j-driver values → JSON-friendly values. */
export function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (neo4j.isInt(value))
    return neo4j.integer.inSafeRange(value) ? neo4j.integer.toNumber(value) : neo4j.integer.toString(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof neo4j.types.Node)
    return { labels: value.labels, properties: plain(value.properties), elementId: value.elementId };
  if (value instanceof neo4j.types.Relationship)
    return {
      type: value.type,
      properties: plain(value.properties),
      start: value.startNodeElementId,
      end: value.endNodeElementId,
    };
  if (value instanceof neo4j.types.Path)
    return {
      start: plain(value.start),
      end: plain(value.end),
      length: value.length,
      segments: value.segments.map((s) => ({
        start: plain(s.start),
        relationship: plain(s.relationship),
        end: plain(s.end),
      })),
    };
  if (typeof value === 'object') {
    if (
      typeof (value as { toString?: unknown }).toString === 'function' &&
      value.constructor &&
      value.constructor !== Object
    ) {
      // Temporal and spatial types: their ISO/WKT string is the readable form.
      return String(value);
    }
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
