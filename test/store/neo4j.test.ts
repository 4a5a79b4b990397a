/**
 * The store contract on a real Neo4j 5, plus what only Neo4j answers: neuron-level questions in
 * Cypher, checked against plain loops over the topology's edge list. One server per file run
 * (startup costs seconds). Under CI=true a Neo4j that cannot start fails the tests; elsewhere
 * they are skipped with the reason.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EDGE_KIND_CODE, EqpropError, type Topology } from '../../graph/index.js';
import { Neo4jStore, type Neo4jStoreOptions } from '../../src/store/neo4j/store.js';
import { NotFoundError } from '../../src/store/contract.js';
import { openStore } from '../../src/store/open.js';
import { loadConfig } from '../../src/config.js';
import { storeContract } from './contract.js';
import { idPrefixContract } from './id-prefix-contract.js';
import { concurrentEpoch, shuffledTopology, smallTopology } from './fixtures.js';
import { decodeConnections, encodeConnectionsV1 } from '../../src/store/topology-codec.js';
import neo4jDriver from 'neo4j-driver';
import { freePort, startTestNeo4j, type TestNeo4j } from './neo4j-server.js';

const inCi = process.env.CI === 'true';
let server: TestNeo4j | null = null;
let startError: Error | null = null;
try {
  server = await startTestNeo4j();
} catch (e) {
  if (inCi) throw e; // a missing prerequisite fails CI
  startError = e as Error;
}
const skip = startError ? `skipped: Neo4j could not be started: ${startError.message}` : false;
const connect = (options: Omit<Neo4jStoreOptions, 'uri' | 'user' | 'password'> = {}) =>
  Neo4jStore.connect({ uri: server!.uri, user: server!.user, password: server!.password, ...options });

after(async () => {
  await server?.stop();
});

if (skip) {
  // Say so instead of disappearing from the report: a missing Java outside CI is a skip with its reason.
  test('store contract: neo4j', { skip }, () => undefined);
} else {
  storeContract('neo4j', {
    open: () => connect(),
    async concurrentEpochWriters(store, runA, runB, count) {
      const second = await connect();
      try {
        const writeAll = async (s: { addEpoch: Neo4jStore['addEpoch'] }, runId: string) => {
          for (let e = 1; e <= count; e++) await s.addEpoch(runId, concurrentEpoch(e));
        };
        await Promise.all([writeAll(store, runA), writeAll(second, runB)]);
      } finally {
        await second.close();
      }
    },
  });
  idPrefixContract('neo4j', () => connect());
}

/** Layer of each neuron, from the sizes (independent of the store's helpers). */
function layerOf(t: Topology): number[] {
  return t.sizes.flatMap((size, l) => Array<number>(size).fill(l));
}

/** Breadth-first hop distance from `source` to each neuron over the given connections (undirected). */
function bfs(t: Topology, source: number, include: (i: number) => boolean): number[] {
  const neighbours: number[][] = Array.from({ length: t.N }, () => []);
  for (let i = 0; i < t.edges.count; i++) {
    if (!include(i)) continue;
    neighbours[t.edges.src[i]!]!.push(t.edges.dst[i]!);
    neighbours[t.edges.dst[i]!]!.push(t.edges.src[i]!);
  }
  const distance = Array<number>(t.N).fill(Infinity);
  distance[source] = 0;
  const queue = [source];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    for (const w of neighbours[v]!)
      if (distance[w] === Infinity) {
        distance[w] = distance[v]! + 1;
        queue.push(w);
      }
  }
  return distance;
}

function hasEdge(t: Topology, a: number, b: number, include: (i: number) => boolean): boolean {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  for (let i = 0; i < t.edges.count; i++) if (include(i) && t.edges.src[i] === lo && t.edges.dst[i] === hi) return true;
  return false;
}

describe('neo4j: neuron-level questions in Cypher', { skip }, () => {
  // Big enough for "input neuron 17", with skip connections from hidden layer 1 into the output.
  const topology = smallTopology({ sizes: [20, 8, 8, 8, 4], mode: 'replace', n: 60, seed: 5 });
  const output = topology.sizes.length - 1;
  const layers = layerOf(topology);
  let store: Neo4jStore;
  let compact: Neo4jStore;
  before(async () => {
    store = await connect();
    compact = await connect({ adjacentRelationshipsMax: 0 }); // adjacent connections in Block nodes
  });
  after(async () => {
    await store?.close();
    await compact?.close();
  });

  test('skip connections from hidden layer 1 into the output', async () => {
    const id = await store.saveTopology(topology);
    const expected: { from: number; to: number }[] = [];
    for (let i = 0; i < topology.edges.count; i++) {
      const a = topology.edges.src[i]!,
        b = topology.edges.dst[i]!;
      if (topology.edges.kind[i] === EDGE_KIND_CODE.skip && layers[a] === 1 && layers[b] === output) {
        expected.push({ from: a, to: b });
      }
    }
    expected.sort((x, y) => x.from - y.from || x.to - y.to);
    assert.ok(expected.length > 0, 'the fixture has such connections');
    assert.deepEqual(await store.connectionsBetweenLayers(id, 'skip', 1, output), expected);
    assert.deepEqual(
      await store.connectionsBetweenLayers(id, 'skip', 1, 1),
      [],
      'a skip connection never stays in its layer',
    );
  });

  for (const [label, compactAdjacent] of [
    ['adjacent connections as relationships', false],
    ['adjacent connections in blocks', true],
  ] as const) {
    test(`shortest path from input neuron 17 to any output neuron (${label})`, async () => {
      const target = compactAdjacent ? compact : store;
      const id = await target.saveTopology(topology);
      // In block mode only intralayer and skip connections are relationships, so paths use only those.
      const include = (i: number) => !compactAdjacent || topology.edges.kind[i] !== EDGE_KIND_CODE.adjacent;
      const distance = bfs(topology, 17, include);
      const best = Math.min(...distance.filter((_, v) => layers[v] === output));
      const found = await target.shortestPathToLayer(id, 17, output);
      if (best === Infinity) {
        assert.equal(found, null);
        return;
      }
      assert.ok(found, 'a path exists');
      assert.equal(found.hops, best);
      assert.equal(found.neurons.length, best + 1);
      assert.equal(found.neurons[0], 17);
      assert.equal(layers[found.neurons[best]!], output);
      for (let k = 0; k < best; k++)
        assert.ok(
          hasEdge(topology, found.neurons[k]!, found.neurons[k + 1]!, include),
          `hop ${k} is a stored connection`,
        );
      if (compactAdjacent)
        assert.deepEqual(
          await target.connectionsBetweenLayers(id, 'adjacent', 0, 1),
          [],
          'adjacent connections are not relationships',
        );
      else assert.ok((await target.connectionsBetweenLayers(id, 'adjacent', 0, 1)).length > 0);
    });
  }

  for (const [label, adjacentAsRelationships] of [
    ['small topology', true],
    ['adjacent in blocks', false],
  ] as const) {
    test(`the relationships are exactly the edge list's connections by kind and layer pair (${label})`, async () => {
      const target = adjacentAsRelationships ? store : compact;
      const id = await target.saveTopology(topology);
      for (const kind of ['intralayer', 'adjacent', 'skip'] as const) {
        for (let a = 0; a <= output; a++) {
          for (let b = a; b <= output; b++) {
            const expected: { from: number; to: number }[] = [];
            const stored = kind !== 'adjacent' || adjacentAsRelationships;
            for (let i = 0; i < topology.edges.count && stored; i++) {
              const s = topology.edges.src[i]!,
                d = topology.edges.dst[i]!;
              if (topology.edges.kind[i] === EDGE_KIND_CODE[kind] && layers[s] === a && layers[d] === b) {
                expected.push({ from: s, to: d });
                if (a === b) expected.push({ from: d, to: s }); // within a layer both ends match the pattern
              }
            }
            expected.sort((x, y) => x.from - y.from || x.to - y.to);
            assert.deepEqual(await target.connectionsBetweenLayers(id, kind, a, b), expected, `${kind} ${a}→${b}`);
          }
        }
      }
    });
  }

  for (const [label, original] of [
    ['canonical order', topology],
    ['shuffled order', shuffledTopology(topology, 4)],
  ] as const) {
    test(`a topology with adjacent blocks reloads equal to the saved one (${label})`, async () => {
      const id = await compact.saveTopology(original);
      const loaded = await compact.loadTopology(id);
      assert.deepEqual(loaded.edges.src, original.edges.src);
      assert.deepEqual(loaded.edges.dst, original.edges.dst);
      assert.deepEqual(loaded.edges.weight, original.edges.weight);
      assert.deepEqual(loaded.edges.kind, original.edges.kind);
      assert.deepEqual(loaded.biases, original.biases);
      const counts = await compact.topologyGraphCounts(id);
      const groups = new Set<string>();
      let relationships = 0;
      for (let i = 0; i < original.edges.count; i++) {
        groups.add(`${original.edges.kind[i]}:${layers[original.edges.src[i]!]}:${layers[original.edges.dst[i]!]}`);
        if (original.edges.kind[i] !== EDGE_KIND_CODE.adjacent) relationships++;
      }
      assert.deepEqual(
        counts,
        { layers: original.sizes.length, neurons: original.N, blocks: groups.size, connections: relationships },
        'one block per (kind, layer, layer) group; intralayer and skip connections as relationships',
      );
      await compact.deleteTopology(id);
      await assert.rejects(compact.topologyGraphCounts(id), NotFoundError);
      assert.deepEqual(
        Object.values(await compact.orphanCounts()),
        [0, 0, 0, 0, 0, 0, 0],
        'the delete left no orphans',
      );
    });
  }
});

test('neo4j: blocks written before codec 2 still load, and the next connect re-encodes them', { skip }, async () => {
  // A store written by the old code: the same graph, but each Block holds a version-1 blob and no
  // `codec` property. Built here by rewriting the blocks of a fresh save the way the old code wrote them.
  const original = shuffledTopology(smallTopology({ sizes: [20, 8, 8, 8, 4], mode: 'replace', n: 60, seed: 11 }), 3);
  const store = await connect({ adjacentRelationshipsMax: 0 });
  const auth = neo4jDriver.auth.basic(server!.user, server!.password);
  const driver = neo4jDriver.driver(server!.uri, auth, { disableLosslessIntegers: true });
  const id = `old-blocks-${process.pid}-${Date.now()}`;
  const blocksOf = async () =>
    (
      await driver.executeQuery(
        `MATCH (:Topology {id: $id})-[:HAS_LAYER]->(:Layer)-[:HAS_BLOCK]->(b:Block)
     RETURN elementId(b) AS e, b.connections AS c, b.codec AS codec`,
        { id },
      )
    ).records.map((r) => ({
      e: r.get('e') as string,
      c: r.get('c') as Int8Array,
      codec: r.get('codec') as number | null,
    }));
  try {
    await store.saveTopology(original, { id });
    for (const block of await blocksOf()) {
      const bytes = new Uint8Array(block.c.buffer, block.c.byteOffset, block.c.byteLength);
      const v1 = encodeConnectionsV1(decodeConnections(bytes));
      await driver.executeQuery('MATCH (b:Block) WHERE elementId(b) = $e SET b.connections = $c REMOVE b.codec', {
        e: block.e,
        c: new Int8Array(v1.buffer, v1.byteOffset, v1.byteLength),
      });
    }
    assert.ok(
      (await blocksOf()).every((b) => b.codec === null && b.c[4] === 1),
      'the store now looks like the old code wrote it',
    );
    const before = await store.loadTopology(id);
    assert.deepEqual(before.edges, original.edges, 'version-1 blocks read back exactly');

    const reconnected = await connect(); // the schema step runs here
    try {
      const blocks = await blocksOf();
      assert.ok(
        blocks.length > 0 && blocks.every((b) => b.codec === 2 && b.c[4] === 2),
        'every block re-encoded with codec 2',
      );
      const after = await reconnected.loadTopology(id);
      assert.deepEqual(after.edges, original.edges);
      assert.deepEqual(after.biases, original.biases);
      await reconnected.deleteTopology(id);
    } finally {
      await reconnected.close();
    }
  } finally {
    await driver.close();
    await store.close();
  }
});

test('neo4j: a save that fails midway leaves nothing (the server rolls back the partial write)', { skip }, async () => {
  // The save fails after 3 connection batches have been written inside its transaction (an
  // injected fault; a server-side timeout is not deterministic: Neo4j checks it every ~2 s). The
  // topology node, layers, neurons and those connections are already on the server, uncommitted,
  // and must all be rolled back.
  const big = smallTopology({ sizes: [200, 200, 200, 200, 10], mode: 'replace', n: 1000, seed: 9 });
  const store = await connect({ failTopologySaveAfterBatches: 3 });
  try {
    const id = `fault-${process.pid}-${Date.now()}`;
    await assert.rejects(store.saveTopology(big, { id }), /injected fault after 3 connection batches/);
    await assert.rejects(store.getTopology(id), NotFoundError);
    // Other test files may write to the same server meanwhile, so look for leftovers, not totals.
    assert.deepEqual(await store.orphanCounts(), {
      layers: 0,
      neurons: 0,
      blocks: 0,
      metrics: 0,
      runs: 0,
      epochs: 0,
      rates: 0,
    });
  } finally {
    await store.close();
  }
});

test('neo4j: unreachable server → an error naming the URI and `npm run neo4j`', async () => {
  const uri = `bolt://127.0.0.1:${await freePort()}`;
  await assert.rejects(openStore(loadConfig({}, { EQPROP_STORE: 'neo4j', NEO4J_URI: uri })), (e: unknown) => {
    assert.ok(e instanceof EqpropError);
    assert.match(e.message, new RegExp(uri.replace(/[.]/g, '\\.')));
    assert.match(e.message, /npm run neo4j/);
    return true;
  });
});
