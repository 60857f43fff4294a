/**
 * At most one call per interval, however fast events come, and never one lost: the last
 * event's call happens once the interval has passed. Create while a component initializes:
 * a pending call is dropped with the component.
 */
import { MIN_REFRESH_MS, refreshDelay } from './refresh.js';

export function throttled(call: () => void, minMs = MIN_REFRESH_MS): () => void {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  $effect(() => () => clearTimeout(timer));
  return () => {
    if (timer !== undefined) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        last = Date.now();
        call();
      },
      refreshDelay(last, Date.now(), minMs),
    );
  };
}
