import type { Database } from '../db/orm.js';
import type { DomainApi } from '../domain.js';
import { feedRoutes } from './job.feed.js';
import { FailedTestResolver, JobResolver, JobTestResolver } from './job.resolver.js';

export const jobsApi: DomainApi<{ readonly db: Database }> = {
  resolvers: [JobResolver, JobTestResolver, FailedTestResolver],
  routes: feedRoutes,
};
