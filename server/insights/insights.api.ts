import type { DomainApi } from '../domain.js';
import { RuleResolver } from './signatures/rule.resolver.js';
import { SignatureResolver } from './signatures/signature.resolver.js';
import { signaturesLoaders } from './signatures/signatures.loaders.js';

export const insightsApi: DomainApi<unknown> = {
  resolvers: [SignatureResolver, RuleResolver],
  loaders: (db) => ({
    ...signaturesLoaders(db),
  }),
};
