/**
 * A process's share of a leased queue (db/leased-queue.ts): it claims items, at most
 * `concurrency` at once, and runs each; it looks for work when woken and every `pollMs`
 * (back-offs ending, leases of dead processes expiring). The scrape queue and the insights
 * deliveries run one each.
 */
import { logInternal } from './graphql/errors.js';

export interface ClaimLoopOptions<T> {
  readonly concurrency: number;
  readonly pollMs: number;
  /** Takes the next item, or null when none is due. */
  claim(): Promise<T | null>;
  /** Works an item; `signal` aborts when the loop stops (give the item back then). */
  run(item: T, signal: AbortSignal): Promise<void>;
  /** Before each round of claims (the deliveries give new events theirs). */
  beforeRound?(): Promise<void>;
}

export interface ClaimLoop {
  /** Looks for work now. */
  wake(): void;
  /** Stops claiming, aborts the items in flight and waits for them. */
  stop(): Promise<void>;
}

export function startClaimLoop<T>(options: ClaimLoopOptions<T>): ClaimLoop {
  const stopping = new AbortController();
  const running = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let filling: Promise<void> | null = null;
  let again = false;

  const fill = async () => {
    do {
      again = false;
      await options.beforeRound?.();
      while (!stopping.signal.aborted && running.size < options.concurrency) {
        const item = await options.claim();
        if (item === null) break;
        const done = options
          .run(item, stopping.signal)
          .catch(logInternal)
          .finally(() => {
            running.delete(done);
            wake();
          });
        running.add(done);
      }
    } while (again && !stopping.signal.aborted);
  };
  const wake = () => {
    if (stopping.signal.aborted) return;
    if (filling) {
      again = true;
      return;
    }
    clearTimeout(timer);
    filling = fill()
      .catch(logInternal)
      .finally(() => {
        filling = null;
        if (!stopping.signal.aborted) timer = setTimeout(wake, options.pollMs);
      });
  };
  wake();
  return {
    wake,
    async stop() {
      if (stopping.signal.aborted) return;
      stopping.abort();
      clearTimeout(timer);
      await filling;
      await Promise.all(running);
    },
  };
}
