import type { Services } from '../runtime.js';
import { fetchJobArtifacts, isTransient, scrapeLimits } from './artifacts.js';
import type { Fetcher } from './runner.js';
import { cachedSeenHosts } from './seen-hosts.js';

/**
 * `fetchJobArtifacts` within the settings' limits, from the listed hosts and those of the log
 * URLs the collector has stored (the collector adds to them: see `cachedSeenHosts`).
 */
export function createFetcher(services: Services): Fetcher {
  const limits = scrapeLimits(services.config);
  const seenHosts = cachedSeenHosts(services.db);
  return {
    fetch: async (url, onProgress, signal) =>
      fetchJobArtifacts(url, {
        limits,
        allowHosts: services.config.scrape.allowHosts ?? [],
        seenHosts: await seenHosts(url),
        onProgress,
        signal,
      }),
    isTransient,
  };
}
