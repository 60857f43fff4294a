/** How often live updates may refetch a page, however many events arrive. */

/** Live updates refetch at most this often (ms). */
export const MIN_REFRESH_MS = 3000;

/** How long (ms) to wait before refetching, given the last refetch: at most one per `min`. */
export function refreshDelay(lastAt: number, now: number, min = MIN_REFRESH_MS): number {
  return Math.max(0, lastAt + min - now);
}
