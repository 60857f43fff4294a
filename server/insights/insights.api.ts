import type { DomainApi } from '../domain.js';
import { insightEventDelivered } from './webhooks/insight-event.topics.js';
import { InsightEventSubscription } from './webhooks/insight-event.resolver.js';

export const insightsApi: DomainApi<unknown> = {
  resolvers: [InsightEventSubscription],
  topics: [insightEventDelivered],
};
