import type { Domain } from '../domain.js';

/** Runs grouped by any metadata key: the home page's table. */
export const groupsDomain: Domain = {
  name: 'groups',
  api: async () => (await import('./groups.api.js')).groupsApi,
};
