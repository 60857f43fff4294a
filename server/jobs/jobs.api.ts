import type { DomainApi } from '../domain.js';
import { feedRoutes, type FeedDeps } from './job.feed.js';
import { FailedTestResolver, JobResolver, JobTestResolver } from './job.resolver.js';

export const jobsApi: DomainApi<FeedDeps> = {
  resolvers: [JobResolver, JobTestResolver, FailedTestResolver],
  routes: feedRoutes,
};
