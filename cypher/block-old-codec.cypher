// Blocks written before codec version 2 (no `codec` property), a batch at a time: the schema
// step in src/store/neo4j/upgrade.ts re-encodes them.
MATCH (b:Block) WHERE b.codec IS NULL
RETURN elementId(b) AS id, b.connections AS connections
LIMIT $limit
