import type { Domain } from '../domain.js';
import { insightsCommands } from './insights.commands.js';

/**
 * What gatewatch finds in the history: flaky and broken tests, failure signatures, timings,
 * resource context; its transitions go to the outbox the webhooks domain delivers.
 */
export const insightsDomain: Domain = {
  name: 'insights',
  commands: insightsCommands,
  api: async () => (await import('./insights.api.js')).insightsApi,
};
