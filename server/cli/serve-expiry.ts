/** `serve --expire AGE`: the runs older than AGE are expired daily, in the server process. */
import { logInternal } from '../graphql/errors.js';
import { expireRunsBefore, type ExpiryPace } from '../runs/run-expire.js';
import type { Runtime } from '../runtime.js';

const DAY = 86_400_000;
/** The first expiry waits this long after start: the server answers first. */
const FIRST_AFTER_MS = 60_000;

/** When the expiries run: `firstAfterMs` after start, then every `everyMs`. */
export interface ExpirySchedule {
  readonly firstAfterMs: number;
  readonly everyMs: number;
}

/**
 * Expires, under `runtime`, the runs older than `ageMs` (0: never) once shortly after start and
 * then daily; each expiry is logged. Stopping the runtime stops an expiry between two runs.
 * Several servers on one database may do this at once: a run two of them delete together is
 * taken out once (see `deleteRun`), the other finds it gone.
 */
export function scheduleExpiry(
  runtime: Runtime,
  ageMs: number,
  pace: ExpiryPace,
  log: (message: string) => void,
  schedule: ExpirySchedule = { firstAfterMs: FIRST_AFTER_MS, everyMs: DAY },
): void {
  if (ageMs === 0) return;
  const { db } = runtime.services;
  const stopping = new AbortController();
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout;
  const expire = () => {
    const cutoff = new Date(Date.now() - ageMs);
    running = expireRunsBefore(db, cutoff, pace, { signal: stopping.signal })
      .then(({ runs, results }) =>
        log(
          `retention: ${runs} runs (${results} test results) that ran before ${cutoff.toISOString()} expired`,
        ),
      )
      .catch(logInternal)
      .finally(() => {
        if (!stopping.signal.aborted) timer = setTimeout(expire, schedule.everyMs);
      });
  };
  timer = setTimeout(expire, schedule.firstAfterMs);
  runtime.add({
    name: 'run retention',
    stage: 'tasks',
    stop: async () => {
      stopping.abort();
      clearTimeout(timer);
      await running;
    },
  });
}
