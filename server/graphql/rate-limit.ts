/**
 * Requests counted per client address over the last minute, in this process (each instance
 * counts its own): what a client may ask without a token (`--public-scrape`) is bounded so.
 */
const WINDOW_MS = 60_000;
/** Addresses tracked at most; past these the oldest is forgotten (a flood of addresses). */
const MAX_ADDRESSES = 10_000;

export interface RateLimiter {
  /**
   * Counts one request of `bucket` (what is asked) from `address`; false when that is over
   * `perMinute` (and it is not counted).
   */
  take(bucket: string, address: string, perMinute: number, now?: number): boolean;
}

export function createRateLimiter(): RateLimiter {
  const seen = new Map<string, number[]>();
  return {
    take(bucket, address, perMinute, now = Date.now()) {
      const key = `${bucket} ${address}`;
      const recent = (seen.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
      // Re-inserted last: the map's order is the order of last use.
      seen.delete(key);
      if (recent.length >= perMinute) {
        seen.set(key, recent);
        return false;
      }
      recent.push(now);
      seen.set(key, recent);
      if (seen.size > MAX_ADDRESSES) seen.delete(seen.keys().next().value!);
      return true;
    },
  };
}
