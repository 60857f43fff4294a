/**
 * Upgrading to integer-microsecond sums: `success_us` and `wall_us` are recomputed from the
 * stored results and runs (not converted from the old floating-point sums, which carried a
 * deleted run's residue), the rows deleted runs had left at zero go, and down brings the
 * seconds back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/orm.js';
import { timeParam } from '../../server/db/sql.js';
import { backends } from '../helpers/databases.js';

/** The last migration with floating-point sums. */
const BEFORE = '20261203090000-run-status';
const RUN_AT = new Date('2026-11-30T10:00:00Z');
const DAY = '2026-11-30';
/** Durations whose float sum is not exact (0.1 + 0.2 + 0.7 = 1.0000000000000002 s). */
const DURATIONS = [0.1, 0.2, 0.7];

describe.each(backends)('the integer sums migration on $name', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let db: Database;

  beforeAll(async () => {
    handle = await backend.create();
    db = await openDatabase(handle.target, { migrate: false });
    await db.orm.migrator.up({ to: BEFORE });
    const at = timeParam(db.dialect, RUN_AT);
    const [runId] = await db.knex('runs').insert({
      uuid: 'cccc0000-0000-4000-8000-000000000001',
      run_at: at,
      ingested_at: at,
      build_name: 'gate',
      format: 'v2',
      tests: 4,
      passes: 3,
      failures: 1,
      skips: 0,
      xfails: 0,
      uxsuccesses: 0,
      incomplete: 0,
      parse_errors: 0,
      workers: 1,
      wall_time: 2.5,
      summed_time: 1,
    });
    const float = DURATIONS.reduce((a, b) => a + b, 0) + 1e-9; // a deleted run's residue
    await db.knex('tests').insert([
      {
        id: 1,
        test_id: 'kept',
        hash: 'a'.repeat(64),
        runs: 4,
        successes: 3,
        failures: 1,
        skips: 0,
        success_time: float,
      },
      {
        id: 2,
        test_id: 'emptied',
        hash: 'b'.repeat(64),
        runs: 0,
        successes: 0,
        failures: 0,
        skips: 0,
        success_time: 1e-12,
      },
    ]);
    await db.knex('test_results').insert(
      [...DURATIONS, 3].map((duration, seq) => ({
        run_id: runId,
        test_id: 1,
        seq,
        status: seq < DURATIONS.length ? 'success' : 'fail',
        duration,
        tags: '',
        attrs: '',
      })),
    );
    await db.knex('test_daily').insert([
      {
        test_id: 1,
        build_name: 'gate',
        day: DAY,
        runs: 4,
        successes: 3,
        failures: 1,
        skips: 0,
        success_time: float,
      },
      {
        test_id: 2,
        build_name: 'gate',
        day: DAY,
        runs: 0,
        successes: 0,
        failures: 0,
        skips: 0,
        success_time: 1e-12,
      },
    ]);
    await db.knex('job_daily').insert([
      {
        build_name: 'gate',
        day: DAY,
        runs: 1,
        passed_runs: 0,
        failed_runs: 1,
        skipped_runs: 0,
        wall_time: 2.5000001,
      },
      {
        build_name: 'gone',
        day: DAY,
        runs: 0,
        passed_runs: 0,
        failed_runs: 0,
        skipped_runs: 0,
        wall_time: 1e-9,
      },
    ]);
  });
  afterAll(async () => {
    await db?.close();
    await handle?.drop();
  });

  it('recomputes the sums in microseconds from the results, drops emptied rows, and down undoes it', async () => {
    await db.orm.migrator.up();
    const exact = 1_000_000; // 100,000 + 200,000 + 700,000 µs
    expect(
      (await db.knex('tests').select('id', 'success_us')).map((t) => [t.id, Number(t.success_us)]),
    ).toEqual([[1, exact]]);
    const daily = await db.knex('test_daily').select('test_id', 'success_us');
    expect(daily.map((d) => [d.test_id, Number(d.success_us)])).toEqual([[1, exact]]);
    const jobs = await db.knex('job_daily').select('build_name', 'wall_us');
    expect(jobs.map((j) => [j.build_name, Number(j.wall_us)])).toEqual([['gate', 2_500_000]]);

    await db.orm.migrator.down({ to: BEFORE });
    const [test] = await db.knex('tests').select('success_time');
    expect(Number(test.success_time)).toBe(1);
    const [job] = await db.knex('job_daily').select('wall_time');
    expect(Number(job.wall_time)).toBe(2.5);
  });
});
