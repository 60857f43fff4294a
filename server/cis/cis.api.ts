import type { DomainApi } from '../domain.js';
import { cisLoaders } from './ci.loaders.js';
import {
  CiBuildResolver,
  CiReportResolver,
  CiReportSubscription,
  CiSystemResolver,
} from './ci.resolver.js';
import { CiMatrixResolver, CiRecordResolver } from './health.resolver.js';
import { ciReport } from './ci.topics.js';

export const cisApi: DomainApi<unknown> = {
  resolvers: [
    CiSystemResolver,
    CiReportResolver,
    CiReportSubscription,
    CiBuildResolver,
    CiMatrixResolver,
    CiRecordResolver,
  ],
  loaders: cisLoaders,
  topics: [ciReport],
};
