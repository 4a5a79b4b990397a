/** The store layer's public surface. */
export * from './contract.js';
export { openStore, withOpenedStore } from './open.js';
export { SqliteStore } from './sqlite/store.js';
export { encodeConnections, decodeConnections, CODEC_VERSION } from './topology-codec.js';
export { resolveId, resolveOptionalId, AmbiguousIdError, MIN_PREFIX } from './resolve-id.js';
