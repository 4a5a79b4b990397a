/** The route table: every API route, in the order Express tries them. */
import type { Route } from '../route.js';
import { systemRoutes } from './system.js';
import { topologyRoutes } from './topologies.js';
import { runRoutes } from './runs.js';
import { jobRoutes } from './jobs.js';
import { queryRoutes } from './queries.js';

export const ROUTES: readonly Route[] = [
  ...systemRoutes(() => ROUTES),
  ...topologyRoutes,
  ...runRoutes,
  ...jobRoutes,
  ...queryRoutes,
];
