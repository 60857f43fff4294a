import { schedulePeriodic } from '../../periodic.js';
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
  schedulePeriodic(runtime, 'insights retention', everyMs, async () => {
    const { events, deliveries } = await purgeInsightEvents(db, retentionMs);
    if (events > 0)
      log(`insights retention: ${events} events and ${deliveries} deliveries removed`);
  });
}
