/**
 * Opening a Neo4j connection: the driver, a connectivity check that fails with a message saying
 * how to get a Neo4j, and the schema (constraints, indexes) applied idempotently.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import { EqpropError } from '../../../lib/index.js';
import { cypherStatements } from './cypher.js';

export interface Neo4jOptions {
  uri: string;
  user: string;
  password: string;
}

export function unreachableError(uri: string, cause: string): EqpropError {
  return new EqpropError(
    'store',
    `cannot reach Neo4j at ${uri} (${cause}); expected a running Neo4j 5: start one with \`npm run neo4j\` ` +
      '(listens on 127.0.0.1:7687, data in ./data/neo4j) or point NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD at yours, ' +
      'or use EQPROP_STORE=sqlite',
  );
}

export async function openDriver({ uri, user, password }: Neo4jOptions): Promise<Driver> {
  let driver: Driver;
  try {
    driver = neo4j.driver(uri, neo4j.auth.basic(user, password), {
      // Integers come back as JS numbers: every integer we store (indices, counts, epochs) is far below 2^53.
      disableLosslessIntegers: true,
      connectionTimeout: 5_000,
      maxTransactionRetryTime: 15_000,
    });
  } catch (e) {
    throw unreachableError(uri, (e as Error).message);
  }
  try {
    await driver.verifyConnectivity();
  } catch (e) {
    await driver.close().catch(() => undefined);
    throw unreachableError(uri, (e as Error).message);
  }
  await applySchema(driver);
  return driver;
}

/**
 * Runs cypher/schema.cypher. Every statement is IF NOT EXISTS; a race with another client creating
 * the same rule is retried once.
 */
async function applySchema(driver: Driver): Promise<void> {
  for (const statement of cypherStatements('schema')) {
    for (let attempt = 0; ; attempt++) {
      try {
        await driver.executeQuery(statement);
        break;
      } catch (e) {
        if (attempt >= 2) throw e;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }
}
