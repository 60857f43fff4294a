import type { DomainApi } from '../domain.js';
import { ScrapeJobResolver } from './scrape-job.resolver.js';
import { ScrapeResolver, ScrapeTaskSubscription } from './scrape.resolver.js';

export const scrapeApi: DomainApi<unknown> = {
  resolvers: [ScrapeResolver, ScrapeTaskSubscription, ScrapeJobResolver],
};
