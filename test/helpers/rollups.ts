/** The aggregates runs add to, as comparable text (deleting a run must leave them as before it). */
import type { Knex } from '@mikro-orm/knex';

/**
 * Every aggregate a run adds to, row for row as stored: sums are integer microseconds, so
 * taking a run out must restore them exactly, and the rows it alone had must be gone.
 * Daily rows are keyed by the test's name, not its row id.
 */
export async function rollupsOf(knex: Knex): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const dayOf = (day: unknown) =>
    String(day instanceof Date ? day.toISOString() : day).slice(0, 10);
  for (const t of await knex('tests').select('*')) {
    out[`tests ${t.test_id}`] = JSON.stringify([
      t.id,
      t.runs,
      t.successes,
      t.failures,
      t.skips,
      Number(t.success_us),
    ]);
  }
  const daily = await knex('test_daily as d')
    .join('tests as t', 't.id', 'd.test_id')
    .select('d.*', 't.test_id as name');
  for (const t of daily) {
    out[`test_daily ${t.name} ${t.build_name} ${dayOf(t.day)}`] = JSON.stringify([
      t.runs,
      t.successes,
      t.failures,
      t.skips,
      Number(t.success_us),
    ]);
  }
  for (const j of await knex('job_daily').select('*')) {
    out[`job_daily ${j.build_name} ${dayOf(j.day)}`] = JSON.stringify([
      j.runs,
      j.passed_runs,
      j.failed_runs,
      j.skipped_runs,
      Number(j.wall_us),
    ]);
  }
  return out;
}
