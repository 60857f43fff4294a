/**
 * A process's share of the scrape queue: claims tasks from the table, at most
 * `scrape.concurrency` at once, and runs each (runner.ts). It looks for work when a task is
 * queued (told by the event bus, from any instance on Redis) and every few seconds (back-offs
 * ending, leases of dead processes expiring). `serve` and `gatewatch scrape` run one.
 */
import { startClaimLoop } from '../claim-loop.js';
import { holderName } from '../gerrit/lease.js';
import { logInternal } from '../graphql/errors.js';
import type { Runtime } from '../runtime.js';
import { runTask, type Fetcher } from './runner.js';
import { eventOf, scrapeTaskChanged } from './scrape.topics.js';
import { claim, heldTask, type Task } from './tasks.js';

/** Looks for claimable tasks this often besides when told of one. */
const POLL_MS = 2_000;

export interface ScrapeQueue {
  /** Looks for work now. */
  wake(): void;
  /** Stops claiming; aborts the downloads in flight and gives their tasks back to the queue. */
  stop(): Promise<void>;
}

/** Starts claiming under `runtime`, which stops it with the tasks. */
export function startScrapeQueue(runtime: Runtime, fetcher: Fetcher): ScrapeQueue {
  const { services } = runtime;
  const { db, events, config } = services;
  const { concurrency, lease, maxAttempts } = config.scrape;
  const holder = holderName();

  const run = async (task: Task, signal: AbortSignal) => {
    const held = heldTask(db, task, holder);
    if (signal.aborted) {
      await held.release();
      return;
    }
    // Claimed once more after its process died each time: it is what kills them, perhaps.
    if (task.attempts > maxAttempts) {
      const failed = await held.fail(
        `given up: the scrape was interrupted ${maxAttempts} times (its process stopped)`,
      );
      if (failed) events.publish(scrapeTaskChanged, eventOf(failed));
      return;
    }
    await runTask({ services, fetcher }, task, held, signal);
  };
  const loop = startClaimLoop({
    concurrency,
    pollMs: POLL_MS,
    claim: () => claim(db, holder, lease),
    run,
  });

  const told = events.subscribe(scrapeTaskChanged)[Symbol.asyncIterator]();
  const listening = (async () => {
    for (let next = await told.next(); !next.done; next = await told.next()) {
      if (next.value.state === 'queued') loop.wake();
    }
  })().catch(logInternal);

  let stopped: Promise<void> | undefined;
  const queue: ScrapeQueue = {
    wake: loop.wake,
    stop: () =>
      (stopped ??= (async () => {
        await loop.stop();
        await told.return?.();
        await listening;
      })()),
  };
  runtime.add({ name: 'scrape queue', stage: 'tasks', stop: () => queue.stop() });
  return queue;
}
