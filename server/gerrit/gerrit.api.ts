import type { DomainApi } from '../domain.js';
import {
  CiMatrixRowLinks,
  CiMissedPatchSetLinks,
  CiReportLinks,
  RunLinks,
} from './ci-links.resolver.js';
import { gerritLoaders } from './gerrit.loaders.js';
import {
  GerritChangeResolver,
  GerritEventSubscription,
  GerritPatchSetResolver,
  GerritRecheckResolver,
  GerritServerResolver,
} from './gerrit.resolver.js';
import { gerritEvent } from './gerrit.topics.js';

export const gerritApi: DomainApi<unknown> = {
  resolvers: [
    GerritServerResolver,
    GerritChangeResolver,
    GerritPatchSetResolver,
    GerritRecheckResolver,
    GerritEventSubscription,
    CiReportLinks,
    CiMatrixRowLinks,
    CiMissedPatchSetLinks,
    RunLinks,
  ],
  loaders: gerritLoaders,
  topics: [gerritEvent],
};
