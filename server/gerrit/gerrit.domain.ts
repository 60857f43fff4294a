import type { Domain } from '../domain.js';

/** Gerrit: servers, projects, changes, patch sets, live `gerritEvents`. */
export const gerritDomain: Domain = {
  name: 'gerrit',
  api: async () => (await import('./gerrit.api.js')).gerritApi,
};
