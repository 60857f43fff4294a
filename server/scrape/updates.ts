/**
 * A task's updates as they happen: the task at once, then each change, ending once it is
 * finished or failed. Changes come from the event bus (every instance's, on Redis) and, in
 * case its publisher is out of earshot (another process without Redis), from reading the task
 * again every few seconds. The `scrapeTaskUpdated` subscription and `gatewatch scrape` use it.
 */
import type { Database } from '../db/orm.js';
import type { Events } from '../graphql/pubsub.js';
import { scrapeTaskChanged, taskOfEvent, type ScrapeTaskEvent } from './scrape.topics.js';
import { taskByUuid, type Task } from './tasks.js';

const REREAD_MS = 2_000;

export function hasEnded(task: Task): boolean {
  return task.state === 'finished' || task.state === 'failed';
}

function unchanged(a: Task, b: Task): boolean {
  return (
    a.state === b.state &&
    a.stage === b.stage &&
    a.bytesFetched === b.bytesFetched &&
    a.attempts === b.attempts &&
    a.updatedAt.getTime() === b.updatedAt.getTime()
  );
}

export async function* taskUpdates(
  db: Database,
  events: Events,
  uuid: string,
  rereadMs = REREAD_MS,
): AsyncGenerator<Task, void, undefined> {
  // Subscribed before the first read: a change made in between is not missed.
  const source = events.subscribe(scrapeTaskChanged)[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  try {
    let last = await taskByUuid(db.knex, uuid);
    if (last === null) return;
    yield last;
    let pending = source.next();
    let rereadAt = Date.now() + rereadMs;
    while (!hasEnded(last)) {
      const tick = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), Math.max(0, rereadAt - Date.now()));
      });
      const got: IteratorResult<ScrapeTaskEvent> | null = await Promise.race([pending, tick]);
      clearTimeout(timer);
      let task: Task | null;
      if (got === null) {
        rereadAt = Date.now() + rereadMs;
        task = await taskByUuid(db.knex, uuid);
        if (task === null) return;
        if (unchanged(task, last)) continue;
      } else {
        if (got.done) return;
        pending = source.next();
        if (got.value.uuid !== uuid) continue;
        task = taskOfEvent(got.value);
      }
      last = task;
      yield task;
    }
  } finally {
    clearTimeout(timer);
    await source.return?.();
  }
}
