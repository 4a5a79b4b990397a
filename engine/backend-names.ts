/**
 * The engine's backend names, in the order 'auto' tries them. Its own module, with no imports, so
 * that configuration code (src/config.ts, the server's schemas) can list the choices without
 * loading TensorFlow.js.
 */
export type BackendName = 'onnxruntime' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendRequest = 'auto' | BackendName;
export const BACKEND_ORDER: readonly BackendName[] = ['onnxruntime', 'tensorflow', 'wasm', 'cpu'];
/** Every accepted value of a backend setting: 'auto' first, then the names. */
export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', ...BACKEND_ORDER];
