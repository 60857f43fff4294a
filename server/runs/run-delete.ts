import type { Knex } from '@mikro-orm/knex';
import { createBulkWriter } from '../db/bulk.js';
import type { Database } from '../db/orm.js';
import { toDate, utcDay } from '../db/sql.js';
import { applyRun, sqlTestShares, type TestShare } from './rollups.js';
import type { RunRow } from './run.service.js';

/** Ids per statement when deleting the rows a run left at zero. */
const IDS_PER_STATEMENT = 500;

/**
 * Deletes a run with everything stored for it, and takes its results back out of the tests'
 * aggregates and the daily rollups, in one transaction: the sums are then what they were
 * before it was ingested, and rollup rows and tests it alone had are gone. Returns false when
 * no such run.
 */
export async function deleteRun(db: Database, runRowId: number): Promise<boolean> {
  return db.knex.transaction(async (trx) => {
    const run: RunRow | undefined = await trx('runs').where('id', runRowId).first();
    if (!run) return false;
    const shares = await sharesOf(trx, runRowId);
    // Loaded when used: the insights sit above the runs (they read results and run keys).
    const { prepareRunRemoval } = await import('../insights/run-removal.js');
    const removeInsights = await prepareRunRemoval(
      db.dialect,
      trx,
      run,
      shares.map((t) => t.id),
    );
    // Results and attachments reference the run by cascading foreign keys. Deleted before the
    // aggregates change: of two processes deleting the same run at once (two servers expiring
    // on one MySQL), the second waits on this row's lock, then deletes nothing and stops here,
    // so the run is taken out of the sums once.
    if ((await trx('runs').where('id', runRowId).delete()) === 0) return false;
    const bulk = await createBulkWriter(db.dialect, trx);
    const runAt = toDate(run.run_at);
    await applyRun(
      bulk,
      {
        buildName: run.build_name,
        runAt,
        counts: { ...run, parseErrors: run.parse_errors },
        wallTime: run.wall_time === null ? null : Number(run.wall_time),
      },
      shares,
      -1,
    );
    await removeInsights(bulk);
    await deleteEmptied(
      trx,
      run.build_name,
      utcDay(runAt),
      shares.map((t) => t.id),
    );
    return true;
  });
}

/**
 * Deletes the rollup rows the run's removal left without runs, and its tests that no result
 * references any more (a test row still counting runs always has results).
 */
async function deleteEmptied(
  trx: Knex.Transaction,
  buildName: string | null,
  day: string,
  testIds: readonly number[],
): Promise<void> {
  for (let i = 0; i < testIds.length; i += IDS_PER_STATEMENT) {
    const ids = testIds.slice(i, i + IDS_PER_STATEMENT);
    await trx('test_daily')
      .where({ build_name: buildName ?? '', day, runs: 0 })
      .whereIn('test_id', ids)
      .delete();
    await trx('tests')
      .whereIn('id', ids)
      .where('runs', 0)
      .whereNotExists(
        trx('test_results as r').select(trx.raw('1')).whereRaw('r.test_id = tests.id'),
      )
      .delete();
  }
  if (buildName !== null) {
    await trx('job_daily').where({ build_name: buildName, day, runs: 0 }).delete();
  }
}

/** The run's share of each test's aggregates, as ingest added it. */
async function sharesOf(trx: Knex, runRowId: number): Promise<TestShare[]> {
  const rows = (await trx('test_results as r')
    .join('tests as t', 't.id', 'r.test_id')
    .select('r.test_id as id', 't.hash', 't.test_id as test_key', trx.raw(sqlTestShares('r')))
    .where('r.run_id', runRowId)
    .groupBy('r.test_id', 't.hash', 't.test_id')) as Record<string, number | string | null>[];
  return rows.map((row) => ({
    id: Number(row.id),
    hash: String(row.hash),
    testId: String(row.test_key),
    runs: Number(row.runs),
    successes: Number(row.successes),
    failures: Number(row.failures),
    skips: Number(row.skips),
    successUs: Number(row.success_us),
  }));
}
