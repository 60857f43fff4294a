import type { Domain } from '../domain.js';
import { insightsCommands } from './insights.commands.js';

/** Insights: flaky tests, failure signatures, test timings, resource context, webhooks. */
export const insightsDomain: Domain = {
  name: 'insights',
  commands: insightsCommands,
  api: async () => (await import('./insights.api.js')).insightsApi,
};
