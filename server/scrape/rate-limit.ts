/**
 * Scrapes asked without a token (`--public-scrape`), counted per client address over the last
 * minute, in this process (each instance counts its own).
 */
const WINDOW_MS = 60_000;
/** Addresses tracked at most; past these the oldest is forgotten (a flood of addresses). */
const MAX_ADDRESSES = 10_000;

export interface RateLimiter {
  /** Counts one request from `address`; false when it is over the limit (not counted). */
  take(address: string, now?: number): boolean;
}

export function createRateLimiter(perMinute: number): RateLimiter {
  const seen = new Map<string, number[]>();
  return {
    take(address, now = Date.now()) {
      const recent = (seen.get(address) ?? []).filter((t) => t > now - WINDOW_MS);
      // Re-inserted last: the map's order is the order of last use.
      seen.delete(address);
      if (recent.length >= perMinute) {
        seen.set(address, recent);
        return false;
      }
      recent.push(now);
      seen.set(address, recent);
      if (seen.size > MAX_ADDRESSES) seen.delete(seen.keys().next().value!);
      return true;
    },
  };
}
