/** Placeholder until the Neo4j adapter lands (same commit series). */
import { EqpropError } from '../../../graph/errors.js';
import type { Store } from '../contract.js';

export const Neo4jStore = {
  async connect(options: { uri: string }): Promise<Store> {
    throw new EqpropError('store', `the Neo4j store is not implemented yet (${options.uri}); expected EQPROP_STORE=sqlite for now`);
  },
};
