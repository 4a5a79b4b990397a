/**
 * The queue's pure rules, no Redis needed: which Redis addresses count as this machine, how a
 * Redis URL is read (and its password kept out of messages), which store a worker may write a
 * job's results to, and which job payloads are refused outright.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnrecoverableError } from 'bullmq';
import { InputError } from '../../lib/errors.js';
import {
  assertStoreReachableByAllWorkers,
  isLoopbackHost,
  parseQueuedRun,
  parseRedisUrl,
} from '../../src/queue/index.js';
import { storeIdentity, storeMismatch } from '../../src/queue/store-rule.js';
import { planSweep } from '../../src/experiments/plan/sweep-plan.js';

test('loopback hosts: localhost, 127.0.0.0/8 and ::1; anything else may be another machine', () => {
  for (const host of [
    'localhost',
    'LOCALHOST',
    '127.0.0.1',
    '127.8.9.10',
    '::1',
    '[::1]',
    '::ffff:127.0.0.1',
    'redis.localhost',
  ])
    assert.equal(isLoopbackHost(host), true, host);
  for (const host of ['10.0.0.5', '192.168.1.2', 'queue-host', '128.0.0.1', '::2', '0.0.0.0', 'localhost.example.com'])
    assert.equal(isLoopbackHost(host), false, host);
});

test('Redis URLs: host, port, database, credentials and TLS; the password never shown', () => {
  const a = parseRedisUrl('redis://:s3cret@10.0.0.5:6380/2');
  assert.deepEqual(
    [a.connection.host, a.connection.port, a.connection.db, a.connection.password, a.loopback],
    ['10.0.0.5', 6380, 2, 's3cret', false],
  );
  assert.equal(a.display.includes('s3cret'), false);
  assert.match(a.display, /redis:\/\/:\*\*\*@10\.0\.0\.5:6380\/2/);
  const b = parseRedisUrl('rediss://worker:p%40ss@[::1]');
  assert.deepEqual(
    [b.connection.host, b.connection.port, b.connection.db, b.connection.username, b.connection.password, b.loopback],
    ['::1', 6379, 0, 'worker', 'p@ss', true],
  );
  assert.deepEqual(b.connection.tls, {});
  assert.equal(b.connection.maxRetriesPerRequest, null, 'BullMQ workers need blocking commands to wait out reconnects');
  for (const [raw, problem] of [
    [undefined, /no Redis URL/],
    ['', /no Redis URL/],
    ['127.0.0.1:6379', /not a URL|unsupported scheme/],
    ['http://127.0.0.1:6379', /unsupported scheme "http:"/],
    ['redis://127.0.0.1:6379/x', /database "x"/],
  ] as const) {
    assert.throws(
      () => parseRedisUrl(raw),
      (e: unknown) => e instanceof InputError && e.field === 'redisUrl' && problem.test(e.message),
      String(raw),
    );
  }
});

test('SQLite is refused with a Redis off this machine; Neo4j is fine anywhere', () => {
  const sqlite = { store: 'sqlite' as const, sqlitePath: '/data/eqprop.db' };
  assert.throws(
    () => assertStoreReachableByAllWorkers(parseRedisUrl('redis://queue-host:6379'), sqlite),
    (e: unknown) => e instanceof InputError && /\/data\/eqprop\.db/.test(e.message) && /Neo4j/.test(e.expected),
  );
  assert.doesNotThrow(() => assertStoreReachableByAllWorkers(parseRedisUrl('redis://127.0.0.1:6379'), sqlite));
  assert.doesNotThrow(() =>
    assertStoreReachableByAllWorkers(parseRedisUrl('redis://queue-host:6379'), {
      store: 'neo4j',
      sqlitePath: '/unused',
    }),
  );
});

test('a job is written only by a worker on its store: same SQLite host and file, or Neo4j', () => {
  const here = storeIdentity({ store: 'sqlite', sqlitePath: '/data/a.db' }, 'alpha');
  assert.equal(storeMismatch(here, storeIdentity({ store: 'sqlite', sqlitePath: '/data/a.db' }, 'alpha')), null);
  assert.match(
    storeMismatch(here, storeIdentity({ store: 'sqlite', sqlitePath: '/data/a.db' }, 'beta')) ?? '',
    /a\.db on alpha but this worker writes to the SQLite file \/data\/a\.db on beta/,
  );
  assert.match(
    storeMismatch(here, storeIdentity({ store: 'sqlite', sqlitePath: '/data/b.db' }, 'alpha')) ?? '',
    /b\.db/,
  );
  assert.match(storeMismatch(here, { kind: 'neo4j' }) ?? '', /writes to Neo4j/);
  assert.equal(storeMismatch({ kind: 'neo4j' }, { kind: 'neo4j' }), null);
  assert.match(storeMismatch({ kind: 'neo4j' }, here) ?? '', /submitted for Neo4j/);
});

test('job payloads: a planned run is accepted; malformed ones and bad parameters are unrecoverable', () => {
  const plan = planSweep(
    {
      name: 's',
      sizes: [784, 8, 10],
      mode: 'add',
      parameter: 'n',
      values: [5],
      seeds: [1],
      baseline: false,
      epochs: 1,
      data: { train: 40, eval: 20, test: 0 },
      train: {
        epsilon: 0.5,
        beta: 1,
        freeSteps: 5,
        clampedSteps: 2,
        batchSize: 10,
        learningRates: [0.05],
        randomBetaSign: true,
        rateEvery: 1,
        checkpointEvery: 0,
      },
    },
    'cpu',
  );
  const request = plan.jobs[0].request;
  const good = { format: 1, request, store: { kind: 'neo4j' } };
  assert.deepEqual(parseQueuedRun(good), good);
  const bad: [unknown, RegExp][] = [
    [null, /not an object/],
    [{ ...good, format: 2 }, /format 2/],
    [{ ...good, store: { kind: 'sqlite' } }, /store/],
    [
      {
        ...good,
        request: { ...request, config: { ...request.config, train: { ...request.config.train, batchSize: 0 } } },
      },
      /bad run parameters: .*batchSize/,
    ],
    [
      { ...good, request: { ...request, config: { ...request.config, data: { train: 40, eval: 0, test: 0 } } } },
      /bad run parameters: .*data\.eval/,
    ],
  ];
  for (const [payload, reason] of bad)
    assert.throws(
      () => parseQueuedRun(payload),
      (e: unknown) => e instanceof UnrecoverableError && reason.test(e.message),
      JSON.stringify(payload)?.slice(0, 80),
    );
});
