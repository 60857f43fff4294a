import type { DomainApi } from '../domain.js';
import {
  FlakyResolver,
  TestVerdictDetailsResolver,
  TestVerdictsResolver,
} from './flaky/flaky.resolver.js';
import { verdictLoaders } from './flaky/verdict-loaders.js';
import { RecheckCostResolver, SignatureRecheckCostResolver } from './rechecks/rechecks.resolver.js';
import { ResourceContextResolver } from './resources/resource-context.resolver.js';
import { resourcesLoaders } from './resources/resources.loaders.js';
import {
  ResultSignatureResolver,
  SignatureExampleResolver,
} from './signatures/result-insights.resolver.js';
import { RuleResolver } from './signatures/rule.resolver.js';
import { SignatureResolver } from './signatures/signature.resolver.js';
import { signaturesLoaders } from './signatures/signatures.loaders.js';
import { TestTimingsResolver } from './timings/timings.resolver.js';

export const insightsApi: DomainApi<unknown> = {
  resolvers: [
    FlakyResolver,
    TestVerdictsResolver,
    TestVerdictDetailsResolver,
    TestTimingsResolver,
    RecheckCostResolver,
    SignatureRecheckCostResolver,
    ResourceContextResolver,
    SignatureResolver,
    RuleResolver,
    ResultSignatureResolver,
    SignatureExampleResolver,
  ],
  loaders: (db) => ({
    ...resourcesLoaders(db),
    ...signaturesLoaders(db),
    ...verdictLoaders(db),
  }),
};
