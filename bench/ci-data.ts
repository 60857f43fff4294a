/**
 * The CI benchmark's database: the history of bench/ci-story.ts written straight into the
 * Gerrit and CI tables (collecting millions of events would take longer than the benchmark),
 * one day of new changes per transaction, in foreign-key order, `ci_job_days` kept as the
 * report writer keeps it. Deterministic: the same shape gives the same database.
 */
import { changesOf, trackJobDays } from '../server/cis/job-days.js';
import { createBulkWriter } from '../server/db/bulk.js';
import type { Database } from '../server/db/orm.js';
import { timeParam } from '../server/db/sql.js';
import type { CiShape } from './ci-model.js';
import { ciAccountId, COLUMNS, TABLES, type Table } from './ci-rows.js';
import { CiStory, HUMANS } from './ci-story.js';

export const SERVER = { name: 'bench', url: 'https://review.example.org' };
/** Statics and rows per table. */
export type RowCounts = Record<
  Table | 'gerrit_projects' | 'gerrit_accounts' | 'ci_systems',
  number
>;

/**
 * Fills an empty, migrated database; calls `progress` with the days written so far. The
 * server's `last_event_at` is written last: a database that has it is complete.
 */
export async function generateCiHistory(
  db: Database,
  shape: CiShape,
  progress: (days: number) => void = () => {},
): Promise<{ story: CiStory; rows: RowCounts }> {
  const story = new CiStory(shape);
  const at = (v: unknown) => (v instanceof Date ? timeParam(db.dialect, v) : v);
  const rows = Object.fromEntries(TABLES.map((t) => [t, 0])) as RowCounts;
  rows.gerrit_projects = story.projects.length;
  rows.gerrit_accounts = story.cis.length + HUMANS;
  rows.ci_systems = story.cis.length;

  await db.knex.transaction(async (trx) => {
    await trx('gerrit_servers').insert({ id: 1, ...SERVER, last_event_at: null });
    await trx('gerrit_projects').insert(
      story.projects.map((name, i) => ({ id: i + 1, server_id: 1, name })),
    );
    const accounts = [
      ...story.cis.map((ci, i) => ({
        id: ciAccountId(i),
        server_id: 1,
        key: ci.account,
        username: ci.account,
        name: ci.name,
        email: `${ci.account}@ci.example.org`,
        account_id: 10_000 + i,
      })),
      ...Array.from({ length: HUMANS }, (_, h) => ({
        id: story.humanAccountId(h),
        server_id: 1,
        key: `dev${h}`,
        username: `dev${h}`,
        name: `Developer ${h}`,
        email: `dev${h}@example.org`,
        account_id: 20_000 + h,
      })),
    ];
    // knex quotes `key`, a reserved word in MySQL.
    for (let i = 0; i < accounts.length; i += 200)
      await trx('gerrit_accounts').insert(accounts.slice(i, i + 200));
    await trx('ci_systems').insert(
      story.cis.map((ci, i) => ({
        id: ciAccountId(i),
        account_id: ciAccountId(i),
        name: ci.name,
        upstream: ci.upstream ? 1 : 0,
        first_report_at: null,
        last_report_at: null,
      })),
    );
  });

  for (let d = 0; d < shape.days; d++) {
    const batch = story.day(d);
    await db.knex.transaction(async (trx) => {
      const bulk = await createBulkWriter(db.dialect, trx);
      const patchSetAt = COLUMNS.ci_reports.split(' ').indexOf('patch_set_id');
      let rollUp: (() => Promise<void>) | null = null;
      for (const table of TABLES) {
        const tableRows = batch[table];
        if (tableRows.length === 0) continue;
        // Once the day's patch sets are in, as the store has them before a report comes.
        if (table === 'ci_reports') {
          const reported = tableRows.map((row) => Number(row[patchSetAt]));
          rollUp = await trackJobDays(trx, db.dialect, bulk, changesOf(reported));
        }
        await bulk.insert(
          table,
          COLUMNS[table].split(' '),
          tableRows.map((row) => row.map(at)),
        );
        rows[table] += tableRows.length;
      }
      await rollUp?.();
    });
    progress(d + 1);
  }

  await db.knex.transaction(async (trx) => {
    for (const [i, tally] of story.tallies.entries()) {
      if (tally.firstReport === null) continue;
      await trx('ci_systems')
        .where('id', ciAccountId(i))
        .update({
          first_report_at: at(new Date(tally.firstReport)),
          last_report_at: at(new Date(tally.lastReport!)),
        });
    }
    await trx('gerrit_servers')
      .where('id', 1)
      .update({ last_event_at: at(shape.end) });
  });
  return { story, rows };
}

/** Whether a generation finished in this database (it may hold an interrupted one). */
export async function ciHistoryComplete(db: Database): Promise<boolean> {
  const row = (await db
    .knex('gerrit_servers')
    .where('name', SERVER.name)
    .first('last_event_at')) as { last_event_at: unknown } | undefined;
  return row !== undefined && row.last_event_at !== null;
}
