import type { Domain } from '../domain.js';
import { webhooksCommands } from './webhooks.commands.js';

/**
 * The insights' events told to the outside: the `insightEvents` subscription and signed,
 * retried webhooks, fed from the insights outbox (server/insights/events.ts). Its own domain,
 * above the runtime it runs in; the insights below it only write the outbox.
 */
export const webhooksDomain: Domain = {
  name: 'webhooks',
  commands: webhooksCommands,
  api: async () => (await import('./webhooks.api.js')).webhooksApi,
};
