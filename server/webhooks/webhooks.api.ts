import type { DomainApi } from '../domain.js';
import { InsightEventSubscription } from './insight-event.resolver.js';
import { insightEventDelivered } from './insight-event.topics.js';

export const webhooksApi: DomainApi<unknown> = {
  resolvers: [InsightEventSubscription],
  topics: [insightEventDelivered],
};
