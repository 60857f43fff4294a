/** The aggregates runs add to, as comparable text (deleting a run must leave them as before it). */
import type { Knex } from '@mikro-orm/knex';

/**
 * Every aggregate a run adds to, keyed; rows whose counters are all zero are left out (a
 * deletion leaves the rows it emptied), times rounded (sums of doubles are not exact).
 */
export async function rollupsOf(knex: Knex): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const keep = (key: string, counts: number[], time: number) => {
    if (counts.every((n) => n === 0) && Math.abs(time) < 1e-6) return;
    out[key] = JSON.stringify([...counts, Number(time.toFixed(6))]);
  };
  for (const t of await knex('tests').select('*')) {
    keep(`tests ${t.test_id}`, [t.runs, t.successes, t.failures, t.skips], t.success_time);
  }
  for (const t of await knex('test_daily').select('*')) {
    const day = String(t.day instanceof Date ? t.day.toISOString() : t.day).slice(0, 10);
    keep(
      `test_daily ${t.test_id} ${t.build_name} ${day}`,
      [t.runs, t.successes, t.failures, t.skips],
      t.success_time,
    );
  }
  for (const j of await knex('job_daily').select('*')) {
    const day = String(j.day instanceof Date ? j.day.toISOString() : j.day).slice(0, 10);
    keep(
      `job_daily ${j.build_name} ${day}`,
      [j.runs, j.passed_runs, j.failed_runs, j.skipped_runs],
      j.wall_time,
    );
  }
  return out;
}
