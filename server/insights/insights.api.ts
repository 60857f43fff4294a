import type { DomainApi } from '../domain.js';
import { FlakyResolver, TestVerdictsResolver } from './flaky/flaky.resolver.js';
import { ResourceContextResolver } from './resources/resource-context.resolver.js';
import { resourcesLoaders } from './resources/resources.loaders.js';
import { RuleResolver } from './signatures/rule.resolver.js';
import { SignatureResolver } from './signatures/signature.resolver.js';
import { signaturesLoaders } from './signatures/signatures.loaders.js';
import { TestTimingsResolver } from './timings/timings.resolver.js';
import { insightEventDelivered } from './webhooks/insight-event.topics.js';
import { InsightEventSubscription } from './webhooks/insight-event.resolver.js';

export const insightsApi: DomainApi<unknown> = {
  resolvers: [
    FlakyResolver,
    TestVerdictsResolver,
    TestTimingsResolver,
    ResourceContextResolver,
    InsightEventSubscription,
    SignatureResolver,
    RuleResolver,
  ],
  loaders: (db) => ({
    ...resourcesLoaders(db),
    ...signaturesLoaders(db),
  }),
  topics: [insightEventDelivered],
};
