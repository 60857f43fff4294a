import type { Domain } from '../domain.js';
import { scrapeCommands } from './scrape.commands.js';

/** On-demand scraping: resolve a pasted change or log URL, fetch a job's artifacts, store its run. */
export const scrapeDomain: Domain = {
  name: 'scrape',
  commands: scrapeCommands,
  api: async () => (await import('./scrape.api.js')).scrapeApi,
};
