/** The server layer's public surface: start it, or build the Express app around a context. */
export { startServer, childEnvironment, type RunningServer, type StartOptions } from './start.js';
export { createApp, type AppOptions } from './app.js';
export { ROUTES } from './routes/index.js';
export { buildOpenApi } from './openapi.js';
export { checkBindPolicy } from './auth.js';
export type { ServerContext } from './context.js';
export type { JobSummary, JobEvent, JobKind, JobStatus } from './jobs/manager.js';
export type { GraphView, NeuronView, BlockAggregate } from './graph-view.js';
