import type { Knex } from '@mikro-orm/knex';
import { createBulkWriter } from '../db/bulk.js';
import type { Database } from '../db/orm.js';
import { toDate } from '../db/sql.js';
import { applyRun, sqlTestShares, type TestShare } from './rollups.js';
import type { RunRow } from './run.service.js';

/**
 * Deletes a run with everything stored for it, and takes its results back out of the tests'
 * aggregates and the daily rollups, in one transaction. Returns false when no such run.
 */
export async function deleteRun(db: Database, runRowId: number): Promise<boolean> {
  return db.knex.transaction(async (trx) => {
    const run: RunRow | undefined = await trx('runs').where('id', runRowId).first();
    if (!run) return false;
    const bulk = await createBulkWriter(db.dialect, trx);
    await applyRun(
      bulk,
      {
        buildName: run.build_name,
        runAt: toDate(run.run_at),
        counts: { ...run, parseErrors: run.parse_errors },
        wallTime: run.wall_time === null ? null : Number(run.wall_time),
      },
      await sharesOf(trx, runRowId),
      -1,
    );
    // Results and attachments reference the run by cascading foreign keys.
    await trx('runs').where('id', runRowId).delete();
    return true;
  });
}

/** The run's share of each test's aggregates, as ingest added it. */
async function sharesOf(trx: Knex, runRowId: number): Promise<TestShare[]> {
  const rows = (await trx('test_results as r')
    .select('r.test_id as id', trx.raw(sqlTestShares('r')))
    .where('r.run_id', runRowId)
    .groupBy('r.test_id')) as Record<string, number | string | null>[];
  return rows.map((row) => ({
    id: Number(row.id),
    runs: Number(row.runs),
    successes: Number(row.successes),
    failures: Number(row.failures),
    skips: Number(row.skips),
    successTime: Number(row.success_time),
  }));
}
