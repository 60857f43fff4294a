/**
 * Retention of scraped runs: a run a scrape task stored is removed once older than the age,
 * through the one run deletion (the tests' aggregates and the daily rollups follow), with its
 * task. Runs uploaded or ingested by hand are never removed, even when a task answered with
 * one: a task that found the run already stored fetched nothing (attempts 0), and a run
 * ingested before its task was created is not the task's.
 */
import type { Database } from '../db/orm.js';
import { deleteRun } from '../runs/run-delete.js';
import { schedulePeriodic } from '../periodic.js';
import type { Runtime } from '../runtime.js';

export interface Purged {
  readonly runs: number;
  readonly tasks: number;
}

/** Removes the scraped runs ingested before now − `olderThanMs`, and old tasks without a run. */
export async function purgeScrapedRuns(
  db: Database,
  olderThanMs: number,
  now = new Date(),
): Promise<Purged> {
  const cutoff = new Date(now.getTime() - olderThanMs);
  const scraped: { task: number; run: number }[] = await db
    .knex('scrape_tasks as t')
    .join('runs as r', 'r.id', 't.run_id')
    .where('t.state', 'finished')
    .andWhere('t.attempts', '>', 0)
    .andWhere('r.ingested_at', '>=', db.knex.ref('t.created_at'))
    .andWhere('r.ingested_at', '<', cutoff)
    .select('t.id as task', 'r.id as run');
  let runs = 0;
  for (const { task, run } of scraped) {
    if (await deleteRun(db, Number(run))) runs += 1;
    await db.knex('scrape_tasks').where('id', task).delete();
  }
  // What is left of old tasks says nothing anymore: failures, and finished tasks whose run was
  // deleted (their run_id set null by the foreign key).
  const dead = await db
    .knex('scrape_tasks')
    .where('updated_at', '<', cutoff)
    .andWhere((q) =>
      q.where('state', 'failed').orWhere((f) => f.where('state', 'finished').whereNull('run_id')),
    )
    .delete();
  return { runs, tasks: scraped.length + dead };
}

/** Hourly purges under `runtime` (`serve`), stopped with its tasks; `retentionMs` 0: none. */
export function schedulePurge(
  runtime: Runtime,
  retentionMs: number,
  log: (message: string) => void,
  everyMs = 3_600_000,
): void {
  if (retentionMs === 0) return;
  const { db } = runtime.services;
  schedulePeriodic(runtime, 'scrape retention', everyMs, async () => {
    const { runs, tasks } = await purgeScrapedRuns(db, retentionMs);
    if (runs + tasks > 0) log(`scrape retention: ${runs} scraped runs and ${tasks} tasks removed`);
  });
}
