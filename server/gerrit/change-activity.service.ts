/** What a change's view shows beside its patch sets: the rechecks left on it, the runs ingested for it. */
import type { Knex } from '@mikro-orm/knex';
import { classifyComment } from '../cis/comment-parser.js';
import { groupBy } from '../db/rows.js';
import { toDate } from '../db/sql.js';
import { runsByRowId } from '../runs/run.service.js';
import type { Run } from '../runs/run.type.js';
import type { GerritRecheck } from './gerrit.type.js';

/** The most runs a change lists (the newest). */
export const MAX_CHANGE_RUNS = 200;

type Row = Record<string, unknown>;

/** Each change's recheck comments, oldest first; reason and target read again from the message. */
export async function rechecksByChange(
  knex: Knex,
  changeIds: readonly number[],
): Promise<Map<number, GerritRecheck[]>> {
  const rows = (await knex('gerrit_comments as m')
    .join('gerrit_patch_sets as ps', 'ps.id', 'm.patch_set_id')
    .whereIn('ps.change_id', changeIds)
    .where('m.kind', 'recheck')
    .select('ps.change_id', 'ps.number', 'm.author_id', 'm.created_at', 'm.message')
    .orderBy([{ column: 'm.created_at' }, { column: 'm.id' }])) as Row[];
  return groupBy(
    rows,
    (r) => Number(r.change_id),
    (r): GerritRecheck => {
      const parsed = classifyComment(String(r.message), []);
      return {
        authorId: Number(r.author_id),
        patchSet: Number(r.number),
        createdAt: toDate(r.created_at),
        reason: parsed.kind === 'recheck' ? parsed.reason : null,
        ci: parsed.kind === 'recheck' ? (parsed.target ?? null) : null,
      };
    },
  );
}

/**
 * Each change's runs, newest first, at most {@link MAX_CHANGE_RUNS}: those its reports' builds
 * link to and those whose `build_change` metadata is its number in its project.
 */
export async function runsByChange(
  knex: Knex,
  changeIds: readonly number[],
): Promise<Map<number, Run[]>> {
  const linked = knex('ci_builds as b')
    .join('ci_reports as r', 'r.id', 'b.report_id')
    .join('gerrit_patch_sets as ps', 'ps.id', 'r.patch_set_id')
    .whereIn('ps.change_id', changeIds)
    .whereNotNull('b.run_id')
    .select('ps.change_id', 'b.run_id');
  const named = knex('gerrit_changes as c')
    .join('gerrit_projects as p', 'p.id', 'c.project_id')
    .join('runs', (on) => on.on('runs.change_number', 'c.number').andOn('runs.project', 'p.name'))
    .whereIn('c.id', changeIds)
    .select('c.id as change_id', 'runs.id as run_id');
  // `union` drops the runs found both ways.
  const pairs = (await knex
    .from(linked.union(named).as('u'))
    .join('runs', 'runs.id', 'u.run_id')
    .select('u.change_id', 'u.run_id')
    .orderBy([
      { column: 'u.change_id' },
      { column: 'runs.run_at', order: 'desc' },
      { column: 'runs.id', order: 'desc' },
    ])) as Row[];
  const idsOf = groupBy(
    pairs,
    (r) => Number(r.change_id),
    (r) => Number(r.run_id),
  );
  for (const [change, ids] of idsOf) idsOf.set(change, ids.slice(0, MAX_CHANGE_RUNS));
  const runs = await runsByRowId(knex, [...new Set([...idsOf.values()].flat())]);
  return new Map([...idsOf].map(([change, ids]) => [change, ids.map((id) => runs.get(id)!)]));
}
