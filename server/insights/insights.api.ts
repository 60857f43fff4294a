import type { DomainApi } from '../domain.js';

export const insightsApi: DomainApi<unknown> = {
  resolvers: [],
};
