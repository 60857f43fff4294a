/**
 * What a verdict is judged on: per test, its outcome in each of a scope's window runs (the
 * newest `windowRuns` runs no older than `window` before the scope's newest), with the code
 * each run tested — its Gerrit change and patch set, from its metadata or else from the CI
 * build linked to it. Read set-based: one query for the runs, one per chunk of tests.
 */
import type { Knex } from '@mikro-orm/knex';
import type { Dialect } from '../../db/orm.js';
import { timeParam, toDate } from '../../db/sql.js';
import { logKey } from '../../cis/run-link.js';
import { sqlResultIs } from '../../runs/outcome.js';
import { SCOPE_COLUMNS, type Scope } from './scopes.js';

/** How far back a scope's window reaches. */
export interface Window {
  /** Milliseconds before the scope's newest run. */
  window: number;
  windowRuns: number;
}

export interface WindowRun {
  id: number;
  uuid: string;
  job: string | null;
  at: Date;
  change: number | null;
  patchset: number | null;
}

/** A test in one run: `fail` when any attempt failed, `pass` when one passed and none failed. */
export interface Outcome {
  run: WindowRun;
  result: 'pass' | 'fail';
  /** Both a passing and a failing attempt in the run (a retry that passed). */
  retried: boolean;
}

const IDS_PER_STATEMENT = 500;

/** The scope's window runs, oldest first; `excludeRun` is left out (a run being deleted). */
export async function windowRuns(
  dialect: Dialect,
  knex: Knex,
  scope: Scope,
  window: Window,
  excludeRun?: number,
): Promise<WindowRun[]> {
  const column = `r.${SCOPE_COLUMNS[scope.kind]}`;
  const newest = knex('runs as r')
    .where(column, scope.value)
    .modify((q) => (excludeRun === undefined ? q : q.whereNot('r.id', excludeRun)))
    .max({ at: 'r.run_at' });
  const [{ at } = { at: null }] = (await newest) as { at: unknown }[];
  if (at === null || at === undefined) return [];
  const since = new Date(toDate(at as string).getTime() - window.window);
  const rows: Record<string, unknown>[] = await knex('runs as r')
    .where(column, scope.value)
    .andWhere('r.run_at', '>=', timeParam(dialect, since))
    .modify((q) => (excludeRun === undefined ? q : q.whereNot('r.id', excludeRun)))
    .select(
      'r.id',
      'r.uuid',
      'r.build_name',
      'r.run_at',
      'r.change_number',
      'r.patchset',
      'r.artifacts_url',
    )
    .orderBy([
      { column: 'r.run_at', order: 'desc' },
      { column: 'r.id', order: 'desc' },
    ])
    .limit(window.windowRuns);
  const runs = rows.reverse().map((row) => ({
    logKey: row.artifacts_url ? logKey(String(row.artifacts_url)) : null,
    id: Number(row.id),
    uuid: String(row.uuid),
    job: row.build_name === null ? null : String(row.build_name),
    at: toDate(row.run_at as string),
    change: row.change_number === null ? null : Number(row.change_number),
    patchset: row.patchset === null ? null : Number(row.patchset),
  }));
  await fillFromCiBuilds(knex, runs);
  return runs;
}

/**
 * Runs without change and patch set in their metadata take them from their CI build: the one
 * linked to them, or — for a run being ingested, linked only once committed — the one whose
 * log URL is its artifacts URL (server/cis/run-link.ts).
 */
async function fillFromCiBuilds(knex: Knex, runs: (WindowRun & { logKey: string | null })[]) {
  const unknown = runs.filter((r) => r.change === null || r.patchset === null);
  if (unknown.length === 0) return;
  const keys = unknown.flatMap((r) => (r.logKey === null ? [] : [r.logKey]));
  const rows: {
    run_id: number | null;
    log_key: string | null;
    change: number;
    patchset: number;
  }[] = await knex('ci_builds as b')
    .join('ci_reports as cr', 'cr.id', 'b.report_id')
    .join('gerrit_patch_sets as ps', 'ps.id', 'cr.patch_set_id')
    .join('gerrit_changes as c', 'c.id', 'ps.change_id')
    .where((q) =>
      q
        .whereIn(
          'b.run_id',
          unknown.map((r) => r.id),
        )
        .orWhereIn('b.log_key', keys),
    )
    .select('b.run_id', 'b.log_key', 'c.number as change', 'ps.number as patchset');
  for (const run of unknown) {
    const build =
      rows.find((b) => b.run_id !== null && Number(b.run_id) === run.id) ??
      rows.find((b) => b.run_id === null && b.log_key === run.logKey);
    if (build) [run.change, run.patchset] = [Number(build.change), Number(build.patchset)];
  }
}

/** Each test's outcomes (by `tests` row id) in `runs`, oldest first; skips are no outcome. */
export async function outcomesIn(
  knex: Knex,
  runs: readonly WindowRun[],
  testIds: readonly number[],
): Promise<Map<number, Outcome[]>> {
  const outcomes = new Map<number, Outcome[]>();
  if (runs.length === 0 || testIds.length === 0) return outcomes;
  const runById = new Map(runs.map((r) => [r.id, r]));
  const order = new Map(runs.map((r, i) => [r.id, i]));
  for (let i = 0; i < testIds.length; i += IDS_PER_STATEMENT) {
    const rows: { run_id: number; test_id: number; fails: unknown; passes: unknown }[] = await knex(
      'test_results as tr',
    )
      .whereIn('tr.run_id', [...runById.keys()])
      .whereIn('tr.test_id', testIds.slice(i, i + IDS_PER_STATEMENT))
      .groupBy('tr.run_id', 'tr.test_id')
      .select(
        'tr.run_id',
        'tr.test_id',
        knex.raw(
          `sum(case when ${sqlResultIs('failing', 'tr.status')} then 1 else 0 end) as fails`,
        ),
        knex.raw(
          `sum(case when ${sqlResultIs('passing', 'tr.status')} then 1 else 0 end) as passes`,
        ),
      );
    for (const row of rows) {
      const [fails, passes] = [Number(row.fails), Number(row.passes)];
      if (fails + passes === 0) continue;
      const test = Number(row.test_id);
      const list = outcomes.get(test) ?? [];
      list.push({
        run: runById.get(Number(row.run_id))!,
        result: fails > 0 ? 'fail' : 'pass',
        retried: fails > 0 && passes > 0,
      });
      outcomes.set(test, list);
    }
  }
  for (const list of outcomes.values()) {
    list.sort((a, b) => order.get(a.run.id)! - order.get(b.run.id)!);
  }
  return outcomes;
}
