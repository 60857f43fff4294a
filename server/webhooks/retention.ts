import { schedulePeriodic } from '../periodic.js';
import type { Runtime } from '../runtime.js';
import { purgeInsightEvents } from './deliveries.js';

const HOUR_MS = 3_600_000;

/**
 * Hourly purges of the insights outbox under `runtime` (`serve`): events older than
 * `retentionMs` go, with their deliveries, given up or not. `retentionMs` 0: none.
 */
export function scheduleInsightPurge(
  runtime: Runtime,
  retentionMs: number,
  log: (message: string) => void,
): void {
  if (retentionMs === 0) return;
  schedulePeriodic(runtime, 'insights retention', HOUR_MS, async () => {
    const { events, deliveries } = await purgeInsightEvents(runtime.services.db, retentionMs);
    if (events > 0)
      log(`insights retention: ${events} events and ${deliveries} deliveries removed`);
  });
}
