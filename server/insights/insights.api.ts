import type { DomainApi } from '../domain.js';
import { FlakyResolver, TestVerdictsResolver } from './flaky/flaky.resolver.js';

export const insightsApi: DomainApi<unknown> = {
  resolvers: [FlakyResolver, TestVerdictsResolver],
};
