import type { Database } from '../db/orm.js';
import type { Domain } from '../domain.js';

/** Jobs (`build_name`): run series, failure rates, per-job test tables, the failures feed. */
export const jobsDomain: Domain<{ readonly db: Database }> = {
  name: 'jobs',
  api: async () => (await import('./jobs.api.js')).jobsApi,
};
