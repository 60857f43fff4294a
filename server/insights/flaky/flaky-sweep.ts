/**
 * "Fixed after N clean days" as time passes: ingest fixes the standings of the tests a run
 * brings (at the run's time); the sweep, run by `serve` every `flaky.sweepEvery`, fixes those of
 * scopes whose tests stopped failing, or stopped running, at the wall clock.
 */
import type { Database } from '../../db/orm.js';
import { createBulkWriter } from '../../db/bulk.js';
import { timeParam } from '../../db/sql.js';
import { logInternal } from '../../graphql/errors.js';
import type { FlakySettings } from './flaky-ingest.js';
import { standingRow, writeStandings, type StandingChange } from './standings.js';

/** Marks `fixed` every flaky or broken standing without a failure for `fixedAfter` before `now`. */
export async function sweepFixed(
  db: Database,
  settings: Pick<FlakySettings, 'fixedAfter'>,
  now = new Date(),
): Promise<number> {
  const cutoff = new Date(now.getTime() - settings.fixedAfter);
  return db.knex.transaction(async (trx) => {
    const rows: Record<string, unknown>[] = await trx('flaky_verdicts as v')
      .join('tests as t', 't.id', 'v.test_id')
      .whereIn('v.verdict', ['flaky', 'broken'])
      .andWhere('v.last_seen', '<=', timeParam(db.dialect, cutoff))
      .select('v.*', 't.test_id as name')
      .modify((q) => (db.dialect === 'mysql' ? q.forUpdate() : q));
    const names = new Map(rows.map((r) => [Number(r.test_id), String(r.name)]));
    const changes: StandingChange[] = rows.map((r) => {
      const standing = standingRow(r);
      return {
        row: { ...standing, verdict: 'fixed', reason: null, changedAt: now },
        changed: { from: standing.verdict, at: now },
      };
    });
    await writeStandings(
      db.dialect,
      trx,
      await createBulkWriter(db.dialect, trx),
      changes,
      names,
      null,
    );
    return changes.length;
  });
}

/**
 * Sweeps every `settings.sweepEvery` from now on (`serve`); the service it returns stops it,
 * waiting for a sweep under way.
 */
export function scheduleFlakySweep(
  db: Database,
  settings: FlakySettings,
  log: (message: string) => void,
): { name: string; stage: 'tasks'; stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const sweep = () => {
    running = sweepFixed(db, settings)
      .then((fixed) => {
        if (fixed > 0) log(`flaky: ${fixed} verdicts fixed`);
      })
      .catch(logInternal);
  };
  const timer = setInterval(sweep, settings.sweepEvery);
  sweep();
  return {
    name: 'flaky sweep',
    stage: 'tasks',
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
