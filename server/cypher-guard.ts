/**
 * The Cypher console's first gate: a query is read as tokens (string literals, comments and
 * backtick identifiers are taken out first, so `MATCH (n {name: 'CREATE'})` is a read while
 * `load/**\/csv` is LOAD CSV) and anything that is not a plain read is refused before it is sent.
 * A READ session alone is no sandbox: LOAD CSV reads files and fetches URLs, and SHOW, TERMINATE
 * and most procedures run in it. The second gate is EXPLAIN's query type (cypher-console.ts).
 */
import { HttpError } from './http-errors.js';

/** Procedures the console may call: schema listings that reveal nothing the graph does not. */
export const ALLOWED_PROCEDURES: readonly string[] = ['db.labels', 'db.relationshipTypes', 'db.propertyKeys'];

/**
 * Words that make a query something else than a plain read, wherever they stand as a clause
 * keyword: writes, file and URL access, administration, transaction control, database switching.
 */
const REFUSED_KEYWORDS = new Map<string, string>([
  ['LOAD', 'LOAD CSV (reads files and fetches URLs)'],
  ['CREATE', 'CREATE (writes)'],
  ['INSERT', 'INSERT (writes: GQL for CREATE)'],
  ['MERGE', 'MERGE (writes)'],
  ['SET', 'SET (writes)'],
  ['DELETE', 'DELETE (writes)'],
  ['DETACH', 'DETACH DELETE (writes)'],
  ['REMOVE', 'REMOVE (writes)'],
  ['DROP', 'DROP (administration)'],
  ['FOREACH', 'FOREACH (writes)'],
  ['SHOW', 'SHOW (administration)'],
  ['TERMINATE', 'TERMINATE (administration)'],
  ['USE', 'USE (switches database)'],
  ['TRANSACTIONS', 'IN TRANSACTIONS (batched writes)'],
  ['PERIODIC', 'PERIODIC COMMIT (batched writes)'],
  ['COMMIT', 'COMMIT (transaction control)'],
  ['FINISH', 'FINISH (runs updates without results)'],
]);

/**
 * Words refused as the query's first word: EXPLAIN (the console adds it itself), PROFILE (runs the
 * query), CYPHER options, and administration commands that can only open a statement — so that
 * `start` and `stop` stay usable as variable names in path queries.
 */
const REFUSED_PREFIXES = new Map<string, string>([
  ['ALTER', 'ALTER (administration)'],
  ['GRANT', 'GRANT (administration)'],
  ['DENY', 'DENY (administration)'],
  ['REVOKE', 'REVOKE (administration)'],
  ['START', 'START (administration)'],
  ['STOP', 'STOP (administration)'],
  ['ENABLE', 'ENABLE (administration)'],
  ['EXPLAIN', 'EXPLAIN (the console plans the query itself)'],
  ['PROFILE', 'PROFILE (the console runs the query itself)'],
  ['CYPHER', 'CYPHER options (planner and runtime settings)'],
]);

type Token = { kind: 'word' | 'quoted' | 'punct'; text: string };

/**
 * Splits a query into words (bare identifiers and keywords), quoted identifiers and punctuation.
 * String literals and comments vanish; an unterminated one swallows the rest (Neo4j then answers
 * a syntax error, and nothing after it can be a clause).
 */
export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = query.length;
  while (i < n) {
    const c = query[i]!;
    if (/\s/u.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && query[i + 1] === '/') {
      while (i < n && query[i] !== '\n' && query[i] !== '\r') i++;
      continue;
    }
    if (c === '/' && query[i + 1] === '*') {
      const end = query.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      // A comment separates tokens (Neo4j reads `load/**/csv` as LOAD CSV).
      continue;
    }
    if (c === "'" || c === '"') {
      i++;
      while (i < n && query[i] !== c) i += query[i] === '\\' ? 2 : 1;
      i++;
      tokens.push({ kind: 'punct', text: 'string' });
      continue;
    }
    if (c === '`') {
      let text = '';
      i++;
      while (i < n) {
        if (query[i] === '`' && query[i + 1] === '`') {
          text += '`';
          i += 2;
          continue;
        }
        if (query[i] === '`') break;
        text += query[i];
        i++;
      }
      i++;
      tokens.push({ kind: 'quoted', text });
      continue;
    }
    const word = /^[\p{L}\p{N}_$]+/u.exec(query.slice(i, i + 200));
    if (word) {
      let text = word[0];
      let j = i + text.length;
      // Words longer than the slice continue; read them to their end.
      while (j < n && /[\p{L}\p{N}_$]/u.test(query[j]!)) {
        text += query[j];
        j++;
      }
      tokens.push({ kind: 'word', text });
      i = j;
      continue;
    }
    tokens.push({ kind: 'punct', text: c });
    i++;
  }
  return tokens;
}

function refuse(clause: string): never {
  throw new HttpError(
    403,
    `eqprop/server: query: ${clause} is not allowed in the console; expected a plain read query ` +
      `(MATCH … RETURN, or CALL ${ALLOWED_PROCEDURES.join('/')})`,
    'query',
    `a plain read query: MATCH … RETURN, or CALL ${ALLOWED_PROCEDURES.join(', ')}`,
  );
}

/**
 * A word stands as a keyword unless it is a property key (n.set), a label (:Set), a parameter or
 * a map key ({set: 1}).
 */
function isKeywordPosition(tokens: Token[], at: number): boolean {
  const before = tokens[at - 1]?.text;
  const after = tokens[at + 1]?.text;
  return before !== '.' && before !== ':' && after !== ':';
}

/** The dotted procedure name after CALL at `at`, or null when CALL opens a subquery or names nothing plain. */
function procedureName(tokens: Token[], at: number): string | null {
  const parts: string[] = [];
  let j = at + 1;
  while (tokens[j]?.kind === 'word') {
    parts.push(tokens[j]!.text);
    if (tokens[j + 1]?.text !== '.') break;
    j += 2;
  }
  return parts.length > 0 ? parts.join('.') : null;
}

/** Throws a 403 HttpError naming the first clause that makes the query more than a plain read. */
export function assertPlainRead(query: string): void {
  const tokens = tokenize(query);
  const first = tokens[0];
  if (first?.kind === 'word') {
    const prefix = REFUSED_PREFIXES.get(first.text.toUpperCase());
    if (prefix) refuse(prefix);
  }
  tokens.forEach((token, at) => {
    if (token.kind !== 'word' || !isKeywordPosition(tokens, at)) return;
    const word = token.text.toUpperCase();
    const refused = REFUSED_KEYWORDS.get(word);
    if (refused) refuse(refused);
    if (word !== 'CALL') return;
    const next = tokens[at + 1];
    if (next?.text === '{' || next?.text === '(') refuse('CALL { … } (subqueries)');
    const name = procedureName(tokens, at);
    if (name === null) refuse('CALL of a quoted or missing procedure name');
    const allowed = ALLOWED_PROCEDURES.find((p) => p.toLowerCase() === name.toLowerCase());
    if (!allowed) refuse(`CALL ${name} (only ${ALLOWED_PROCEDURES.join(', ')} may be called)`);
  });
}
