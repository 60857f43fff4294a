import type { Domain } from '../domain.js';

/** Tests: their aggregates, history, percentiles and recent failures. */
export const testsDomain: Domain = {
  name: 'tests',
  api: async () => (await import('./tests.api.js')).testsApi,
};
