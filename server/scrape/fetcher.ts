import type { Services } from '../runtime.js';
import { fetchJobArtifacts, isTransient, scrapeLimits } from './artifacts.js';
import type { Fetcher } from './runner.js';
import { seenHosts } from './seen-hosts.js';

/**
 * `fetchJobArtifacts` within the settings' limits, from the listed hosts and those of the log
 * URLs the collector has stored (read again for each task: the collector adds to them).
 */
export function createFetcher(services: Services): Fetcher {
  const limits = scrapeLimits(services.config);
  return {
    fetch: async (url, onProgress, signal) =>
      fetchJobArtifacts(url, {
        limits,
        allowHosts: services.config.scrape.allowHosts ?? [],
        seenHosts: await seenHosts(services.db),
        onProgress,
        signal,
      }),
    isTransient,
  };
}
