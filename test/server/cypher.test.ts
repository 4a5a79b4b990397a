/**
 * The read-only Cypher console against a real Neo4j (the store tests' launcher, or NEO4J_URI):
 * reads answer with rows; writes are refused by Neo4j itself because the console runs in a READ
 * session; syntax errors are 400. The server uses the Neo4j store end to end (build → save →
 * query).
 */
import { test as nodeTest, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestNeo4jOrSkip } from '../store/neo4j-server.js';
import { startTestServer, type TestServer } from './helpers.js';

// Without Java outside CI every test below says "skipped: <why>" instead of failing.
const { neo4j, skip } = await startTestNeo4jOrSkip();
const test = (name: string, options: { timeout?: number }, fn: () => Promise<void>) => nodeTest(name, { ...options, skip }, fn);
let server: TestServer;

before(async () => {
  if (!neo4j) return;
  server = await startTestServer({ store: 'neo4j', neo4jUri: neo4j.uri, neo4jUser: neo4j.user, neo4jPassword: neo4j.password });
}, { timeout: 240_000 });
after(async () => {
  await server?.stop();
  await neo4j?.stop();
});

test('read queries answer with rows; writes and bad syntax are refused', { timeout: 120_000 }, async () => {
  const info = await server.api('/api/info');
  assert.equal(info.body.store.kind, 'neo4j');
  assert.equal(info.body.cypher, true);
  const built = await server.api('/api/topologies', { body: { sizes: [5, 4, 3], mode: 'add', n: 4, seed: 2, name: 'cypher-fixture' } });
  assert.equal(built.status, 201, JSON.stringify(built.body));

  const read = await server.api('/api/cypher', { body: { query: 'MATCH (t:Topology {id: $id}) RETURN t.id AS id, 1 + 1 AS two', params: { id: built.body.id } } });
  assert.equal(read.status, 200, JSON.stringify(read.body));
  assert.deepEqual(read.body.columns, ['id', 'two']);
  assert.deepEqual(read.body.rows, [[built.body.id, 2]]);

  const write = await server.api('/api/cypher', { body: { query: "CREATE (x:Intruder {name: 'w'}) RETURN x" } });
  assert.equal(write.status, 403, JSON.stringify(write.body));
  assert.equal(write.body.field, 'query');
  const still = await server.api('/api/cypher', { body: { query: 'MATCH (x:Intruder) RETURN count(x) AS n' } });
  assert.deepEqual(still.body.rows, [[0]], 'the refused write left nothing behind');
  const del = await server.api('/api/cypher', { body: { query: 'MATCH (t:Topology) DETACH DELETE t' } });
  assert.equal(del.status, 403);
  assert.equal((await server.api(`/api/topologies/${built.body.id}`)).status, 200);

  const bad = await server.api('/api/cypher', { body: { query: 'MATCH (n RETURN n' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'query');
  assert.equal((await server.api('/api/health')).status, 200);
});
