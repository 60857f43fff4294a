import type { DomainApi } from '../domain.js';
import { TestResultTestResolver } from './test-result.resolver.js';
import { testsLoaders } from './test.loaders.js';
import { TestResolver } from './test.resolver.js';

export const testsApi: DomainApi<unknown> = {
  resolvers: [TestResolver, TestResultTestResolver],
  loaders: testsLoaders,
};
