/**
 * Upgrading a database whose job rollups counted a run with incomplete results or parse
 * errors as passed or skipped: those days are recounted with such runs failed, the others
 * left alone; and down counts them the old way again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/orm.js';
import { timeParam } from '../../server/db/sql.js';
import { backends } from '../helpers/databases.js';

/** The last migration before the run status rule changed. */
const BEFORE = '20261202164503-identifiers-run-keys';

interface OldRun {
  job: string;
  at: string;
  passes: number;
  failures: number;
  skips: number;
  incomplete: number;
  parseErrors: number;
}

const RUNS: OldRun[] = [
  // 11-30: one clean pass, one "pass" with a dead worker, one "skip" with a damaged packet.
  {
    job: 'gate',
    at: '2026-11-30T10:00:00Z',
    passes: 5,
    failures: 0,
    skips: 0,
    incomplete: 0,
    parseErrors: 0,
  },
  {
    job: 'gate',
    at: '2026-11-30T23:59:59Z',
    passes: 5,
    failures: 0,
    skips: 0,
    incomplete: 1,
    parseErrors: 0,
  },
  {
    job: 'gate',
    at: '2026-11-30T12:00:00Z',
    passes: 0,
    failures: 0,
    skips: 3,
    incomplete: 0,
    parseErrors: 2,
  },
  // 12-01: a failure with an incomplete result (failed either way) and a clean pass.
  {
    job: 'gate',
    at: '2026-12-01T00:00:00Z',
    passes: 1,
    failures: 1,
    skips: 0,
    incomplete: 1,
    parseErrors: 0,
  },
  {
    job: 'gate',
    at: '2026-12-01T08:00:00Z',
    passes: 2,
    failures: 0,
    skips: 0,
    incomplete: 0,
    parseErrors: 0,
  },
];

/** The rollup rows as the old rule wrote them: [job, day, runs, passed, failed, skipped]. */
const OLD_ROLLUPS: [string, string, number, number, number, number][] = [
  ['gate', '2026-11-30', 3, 2, 0, 1],
  ['gate', '2026-12-01', 2, 1, 1, 0],
];

describe.each(backends)('run status migration on $name', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let db: Database;

  async function rollups(): Promise<number[][]> {
    const rows = await db
      .knex('job_daily')
      .select('runs', 'passed_runs', 'failed_runs', 'skipped_runs')
      .orderBy('day');
    return rows.map((row: Record<string, unknown>) =>
      ['runs', 'passed_runs', 'failed_runs', 'skipped_runs'].map((c) => Number(row[c])),
    );
  }

  beforeAll(async () => {
    handle = await backend.create();
    db = await openDatabase(handle.target, { migrate: false });
    await db.orm.migrator.up({ to: BEFORE });
    for (const [i, run] of RUNS.entries()) {
      const at = timeParam(db.dialect, new Date(run.at));
      await db.knex('runs').insert({
        uuid: `bbbb0000-0000-4000-8000-00000000000${i}`,
        run_at: at,
        ingested_at: at,
        build_name: run.job,
        format: 'v2',
        tests: run.passes + run.failures + run.skips + run.incomplete,
        passes: run.passes,
        failures: run.failures,
        skips: run.skips,
        xfails: 0,
        uxsuccesses: 0,
        incomplete: run.incomplete,
        parse_errors: run.parseErrors,
        workers: 1,
        summed_time: 0,
      });
    }
    await db.knex('job_daily').insert(
      OLD_ROLLUPS.map(([job, day, runs, passed, failed, skipped]) => ({
        build_name: job,
        day,
        runs,
        passed_runs: passed,
        failed_runs: failed,
        skipped_runs: skipped,
        wall_time: 0,
      })),
    );
  });
  afterAll(async () => {
    await db?.close();
    await handle?.drop();
  });

  it('recounts the days holding such a run, with it failed, and down undoes it', async () => {
    expect(await rollups()).toEqual(OLD_ROLLUPS.map((row) => row.slice(2)));
    await db.orm.migrator.up();
    expect(await rollups()).toEqual([
      [3, 1, 2, 0],
      [2, 1, 1, 0],
    ]);
    await db.orm.migrator.down({ to: BEFORE });
    expect(await rollups()).toEqual(OLD_ROLLUPS.map((row) => row.slice(2)));
  });
});
