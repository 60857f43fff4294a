import { logInternal } from '../../graphql/errors.js';
import type { Runtime } from '../../runtime.js';
import { purgeInsightEvents } from './deliveries.js';

/**
 * Hourly purges of the insights outbox under `runtime` (`serve`): events older than
 * `retentionMs` go, with their deliveries, given up or not. `retentionMs` 0: none.
 */
export function scheduleInsightPurge(
  runtime: Runtime,
  retentionMs: number,
  log: (message: string) => void,
  everyMs = 3_600_000,
): void {
  if (retentionMs === 0) return;
  const { db } = runtime.services;
  let running: Promise<void> = Promise.resolve();
  const purge = () => {
    running = purgeInsightEvents(db, retentionMs)
      .then(({ events, deliveries }) => {
        if (events > 0) {
          log(`insights retention: ${events} events and ${deliveries} deliveries removed`);
        }
      })
      .catch(logInternal);
  };
  const timer = setInterval(purge, everyMs);
  purge();
  runtime.add({
    name: 'insights retention',
    stage: 'tasks',
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  });
}
