/**
 * The console's first gate on its own (no Neo4j needed): which query texts count as plain reads.
 * The real-Neo4j probes are in cypher.test.ts; these pin the tokenizer's corner cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPlainRead, tokenize } from '../../server/cypher-guard.js';
import { HttpError } from '../../server/http-errors.js';

function refusedFor(query: string): string | null {
  try {
    assertPlainRead(query);
    return null;
  } catch (e) {
    assert.ok(e instanceof HttpError, String(e));
    assert.equal(e.status, 403);
    assert.equal(e.field, 'query');
    return e.message;
  }
}

test('reads pass, whatever keywords hide in strings, comments, backticks, properties, labels and map keys', () => {
  for (const query of [
    'MATCH (n) RETURN n LIMIT 5',
    "MATCH (n {name: 'CREATE'}) RETURN n",
    'MATCH (n {name: "LOAD CSV FROM \\"file:///etc/passwd\\""}) RETURN n',
    "MATCH (n) WHERE n.name = 'it\\'s; DELETE n' RETURN n",
    'MATCH (n) // DELETE n\nRETURN n',
    'MATCH (n) /* SET n.x = 1 */ RETURN n',
    'MATCH (`CREATE`:Topology) RETURN `CREATE`.set AS `DELETE`',
    'MATCH (n:Set)-[:REMOVE]->(m) RETURN n.create, {merge: 1} AS m',
    'CALL db.labels()',
    'CALL db.labels() YIELD label RETURN label',
    'call DB.LABELS()',
    'MATCH (n) WHERE $create > 1 RETURN n',
    'MATCH p = (start:Neuron)-[*1..2]-(stop) RETURN start, stop',
  ])
    assert.equal(refusedFor(query), null, query);
});

test('everything else is refused with the clause named, however it is spelled', () => {
  const cases: [string, RegExp][] = [
    ['load/**/csv from "file:///etc/passwd" as r return r', /LOAD CSV/],
    ['LoAd\tCsV FROM "x" AS r RETURN r', /LOAD CSV/],
    ["RETURN 'a' LOAD CSV FROM 'b' AS r RETURN r", /LOAD CSV/],
    ['MATCH (n) RETURN n // x\nUNION LOAD CSV FROM "f" AS r RETURN r', /LOAD CSV/],
    ['CALL dbms.listConnections()', /CALL dbms\.listConnections/],
    ['CALL db.clearQueryCaches()', /CALL db\.clearQueryCaches/],
    ['CALL `db`.`labels`()', /quoted/],
    ['CALL db.labels() YIELD label CALL db.createLabel("X") RETURN 1', /CALL db\.createLabel/],
    ['CALL { MATCH (n) RETURN n } RETURN n', /CALL \{/],
    ['CALL {CREATE (:X)} IN TRANSACTIONS', /CALL \{/],
    ['MATCH (n) CALL (n) { RETURN n AS m } RETURN m', /CALL \{/],
    ['SHOW SETTINGS', /SHOW/],
    ['TERMINATE TRANSACTIONS "x"', /TERMINATE/],
    ['USE system MATCH (n) RETURN n', /USE/],
    ['MATCH (n) SET n:Hacked', /SET/],
    ['MATCH (n) DETACH DELETE n', /DETACH/],
    ['FOREACH (x IN [1] | CREATE ())', /FOREACH/],
    ['insert (:Hacked)', /INSERT/],
    ['EXPLAIN MATCH (n) RETURN n', /EXPLAIN/],
    ['profile MATCH (n) RETURN n', /PROFILE/],
    ['CYPHER runtime=slotted MATCH (n) RETURN n', /CYPHER/],
    ['START DATABASE neo4j', /START/],
    ['/* x */ grant role admin to me', /GRANT/],
    ['ALTER USER neo4j SET PASSWORD "x"', /ALTER/],
    ['MATCH (n) RETURN n /* unterminated comment', /^$/], // nothing to refuse: Neo4j answers the syntax error
  ];
  for (const [query, clause] of cases) {
    const message = refusedFor(query);
    if (clause.source === '^$') assert.equal(message, null, query);
    else assert.match(message ?? 'not refused', clause, query);
  }
});

test('the tokenizer drops strings and comments and keeps backtick identifiers apart from words', () => {
  const words = (q: string) =>
    tokenize(q)
      .filter((t) => t.kind === 'word')
      .map((t) => t.text);
  assert.deepEqual(words('RETURN \'CREATE\' + "SET" AS x // LOAD'), ['RETURN', 'AS', 'x']);
  assert.deepEqual(words('load/**/csv'), ['load', 'csv']);
  assert.deepEqual(
    tokenize('`a``b`').map((t) => [t.kind, t.text]),
    [['quoted', 'a`b']],
  );
});
