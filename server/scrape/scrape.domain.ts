import type { Domain } from '../domain.js';

/** On-demand scraping: resolve a pasted change or log URL, fetch a job's artifacts, store its run. */
export const scrapeDomain: Domain = {
  name: 'scrape',
  api: async () => (await import('./scrape.api.js')).scrapeApi,
};
