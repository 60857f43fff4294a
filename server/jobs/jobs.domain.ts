import type { Domain } from '../domain.js';
import type { FeedDeps } from './job.feed.js';

/** Jobs (`build_name`): run series, failure rates, per-job test tables, the failures feed. */
export const jobsDomain: Domain<FeedDeps> = {
  name: 'jobs',
  api: async () => (await import('./jobs.api.js')).jobsApi,
};
