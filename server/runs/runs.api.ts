import type { DomainApi } from '../domain.js';
import { DstatResolver } from './dstat.resolver.js';
import { runsLoaders } from './run.loaders.js';
import { runRoutes, type RunRoutesDeps } from './run.routes.js';
import { runIngested } from './run.topics.js';
import { AttachmentResolver, ResultResolver } from './result.resolver.js';
import { RunResolver } from './run.resolver.js';

export const runsApi: DomainApi<RunRoutesDeps> = {
  resolvers: [RunResolver, ResultResolver, AttachmentResolver, DstatResolver],
  loaders: runsLoaders,
  routes: runRoutes,
  topics: [runIngested],
};
