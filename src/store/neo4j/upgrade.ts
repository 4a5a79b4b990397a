/**
 * The Neo4j schema step for stores written before codec version 2: their Block nodes hold
 * version-1 blobs (13 bytes per connection; ≈ 3.8× what version 2 takes). Reads never needed
 * this (the codec reads both versions); it returns the disk. Runs on every connect after the
 * schema; on an up-to-date store it is one label scan that finds nothing. Each batch is its own
 * transaction, so an interrupted upgrade resumes on the next connect, and two clients upgrading
 * at once write the same bytes.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import { codecVersionOf, decodeConnections, encodeConnections } from '../topology-codec.js';
import { cypher } from './cypher.js';

/** Blocks per transaction: a paper network's largest block is ~6 MB in version 1. */
const UPGRADE_BATCH = 8;

/** Re-encodes every version-1 block; returns how many it rewrote. */
export async function upgradeBlocks(driver: Driver): Promise<number> {
  let upgraded = 0;
  for (;;) {
    const session = driver.session({ defaultAccessMode: neo4j.session.WRITE });
    try {
      const done = await session.executeWrite(async (tx) => {
        const found = await tx.run(cypher('block-old-codec'), { limit: neo4j.int(UPGRADE_BATCH) });
        const blocks = found.records.map((r) => {
          const old = r.get('connections') as Int8Array;
          const bytes = new Uint8Array(old.buffer, old.byteOffset, old.byteLength);
          // A block that is already version 2 (written by another client mid-upgrade) only gets its mark.
          const blob = codecVersionOf(bytes) === 1 ? encodeConnections(decodeConnections(bytes)) : bytes;
          const connections = new Int8Array(blob.buffer, blob.byteOffset, blob.byteLength); // Bolt bytes
          return { id: r.get('id') as string, connections };
        });
        if (blocks.length > 0) await tx.run(cypher('block-upgrade'), { blocks });
        return blocks.length;
      });
      upgraded += done;
      if (done < UPGRADE_BATCH) return upgraded;
    } finally {
      await session.close();
    }
  }
}
