import type { Knex } from '@mikro-orm/knex';
import { createBulkWriter } from '../db/bulk.js';
import type { Database } from '../db/orm.js';
import { toDate } from '../db/sql.js';
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
    const perTest = await sumsPerTest(trx, runRowId);
    const day = toDate(run.run_at).toISOString().slice(0, 10);
    const counters = ['runs', 'successes', 'failures', 'skips', 'success_time'];
    const negated = (t: TestSums) => [-t.runs, -t.successes, -t.failures, -t.skips, -t.time];
    // Key order, as ingest writes them: concurrent writers wait instead of deadlocking.
    await bulk.addTo(
      'tests',
      ['id', 'hash', 'test_id', ...counters],
      ['id'],
      counters,
      perTest.map((t) => [t.id, '', '', ...negated(t)]),
      { rowsExist: true },
    );
    await bulk.addTo(
      'test_daily',
      ['test_id', 'build_name', 'day', ...counters],
      ['test_id', 'build_name', 'day'],
      counters,
      perTest.map((t) => [t.id, run.build_name ?? '', day, ...negated(t)]),
      { rowsExist: true },
    );
    if (run.build_name !== null) {
      const failed = run.failures + run.uxsuccesses > 0;
      const passed = !failed && run.passes + run.xfails > 0;
      const jobCounters = ['runs', 'passed_runs', 'failed_runs', 'skipped_runs', 'wall_time'];
      await bulk.addTo(
        'job_daily',
        ['build_name', 'day', ...jobCounters],
        ['build_name', 'day'],
        jobCounters,
        [
          [
            run.build_name,
            day,
            -1,
            -Number(passed),
            -Number(failed),
            -Number(!passed && !failed),
            -(run.wall_time ?? 0),
          ],
        ],
        { rowsExist: true },
      );
    }
    // Results and attachments reference the run by cascading foreign keys.
    await trx('runs').where('id', runRowId).delete();
    return true;
  });
}

interface TestSums {
  id: number;
  runs: number;
  successes: number;
  failures: number;
  skips: number;
  time: number;
}

/** The run's share of each test's aggregates, as ingest added it (see RunWriter.count). */
async function sumsPerTest(trx: Knex, runRowId: number): Promise<TestSums[]> {
  const rows = (await trx('test_results')
    .select('test_id as id')
    .count({ runs: '*' })
    .select(
      trx.raw(`sum(case when status in ('success', 'xfail') then 1 else 0 end) as successes`),
      trx.raw(`sum(case when status in ('fail', 'uxsuccess') then 1 else 0 end) as failures`),
      trx.raw(`sum(case when status = 'skip' then 1 else 0 end) as skips`),
      trx.raw(`sum(case when status = 'success' then coalesce(duration, 0) else 0 end) as time`),
    )
    .where('run_id', runRowId)
    .groupBy('test_id')
    .orderBy('test_id')) as Record<keyof TestSums, number | string | null>[];
  return rows.map((row) => ({
    id: Number(row.id),
    runs: Number(row.runs),
    successes: Number(row.successes),
    failures: Number(row.failures),
    skips: Number(row.skips),
    time: Number(row.time),
  }));
}
