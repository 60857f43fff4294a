/**
 * Recheck economics (README "Recheck cost"): the rechecks left in a window, the node-hours
 * spent re-running jobs, and the share of them that flaky tests and known issues caused,
 * ranked by test and by signature. A handful of queries whatever the window holds.
 */
import { ciSystemsByAccount } from '../../cis/ci.service.js';
import type { Database } from '../../db/orm.js';
import { timeParam } from '../../db/sql.js';
import { GatewatchError } from '../../errors.js';
import {
  HOUR_S,
  rankSignatures,
  rankTests,
  type SignatureRecheckCost,
  type TestRecheckCost,
} from './recheck-rankings.js';
import { withReruns, type RerunScope } from './reruns.js';

/** The default window: the 30 days before `until`. */
export const RECHECK_WINDOW_MS = 30 * 86_400_000;
/** The longest window: every report of its patch sets is read, so it is bounded. */
export const MAX_RECHECK_WINDOW_MS = 90 * 86_400_000;
/** The most entries a ranking lists. */
export const MAX_RECHECK_RANKING = 100;

/** Which rechecks and re-runs: every given condition holds. */
export interface RecheckCostFilter {
  since?: Date | null;
  /** Default: now. */
  until?: Date | null;
  project?: string | null;
  /** A CI's account; its re-runs only (rechecks are counted whichever CI they ask). */
  ci?: string | null;
}

export interface RecheckedChange {
  change: number;
  project: string;
  subject: string | null;
  rechecks: number;
  reruns: number;
  nodeHours: number;
}

export interface RecheckCost {
  since: Date;
  until: Date;
  rechecks: number;
  changes: number;
  reruns: number;
  rerunNodeHours: number;
  unknownDurations: number;
  attributedReruns: number;
  attributedNodeHours: number;
  unattributedReruns: number;
  topChanges: RecheckedChange[];
  byTest: TestRecheckCost[];
  bySignature: SignatureRecheckCost[];
}

type Row = Record<string, unknown>;

/** Rechecks, re-runs and their attributed cost over the window; rankings of `first` entries. */
export async function recheckCost(
  db: Database,
  filter: RecheckCostFilter,
  first: number,
): Promise<RecheckCost> {
  const scope = await scopeOf(db, filter, first);
  const { knex } = db;
  const [totals] = (await withReruns(db, scope)
    .from('reruns as x')
    .leftJoin(knex('blamed').distinct('rerun_id').as('a'), 'a.rerun_id', 'x.id')
    .select(
      knex.raw('count(*) as reruns'),
      knex.raw('coalesce(sum(x.seconds), 0) as seconds'),
      knex.raw('coalesce(sum(x.unknown), 0) as unknown'),
      knex.raw('count(a.rerun_id) as attributed'),
      knex.raw(
        'coalesce(sum(case when a.rerun_id is null then 0 else x.seconds end), 0) as blamed',
      ),
    )) as Row[];
  const [recheckRows, topChanges, byTest, bySignature] = await Promise.all([
    rechecks(db, scope).select(
      knex.raw('count(*) as n'),
      knex.raw('count(distinct ps.change_id) as changes'),
    ) as Promise<Row[]>,
    mostRechecked(db, scope, first),
    rankTests(db, scope, first),
    rankSignatures(db, scope, first),
  ]);
  const reruns = Number(totals!.reruns);
  const attributed = Number(totals!.attributed);
  return {
    since: scope.since,
    until: scope.until,
    rechecks: Number(recheckRows[0]!.n),
    changes: Number(recheckRows[0]!.changes),
    reruns,
    rerunNodeHours: Number(totals!.seconds) / HOUR_S,
    unknownDurations: Number(totals!.unknown),
    attributedReruns: attributed,
    attributedNodeHours: Number(totals!.blamed) / HOUR_S,
    unattributedReruns: reruns - attributed,
    topChanges,
    byTest,
    bySignature,
  };
}

/** The window and CIs asked for, checked. */
async function scopeOf(db: Database, filter: RecheckCostFilter, first: number) {
  if (!Number.isInteger(first) || first < 1 || first > MAX_RECHECK_RANKING) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `first must be 1…${MAX_RECHECK_RANKING}, got ${first}`,
    );
  }
  const until = filter.until ?? new Date();
  const since = filter.since ?? new Date(until.getTime() - RECHECK_WINDOW_MS);
  if (since >= until) throw new GatewatchError('BAD_ARGUMENT', 'since must be before until');
  if (until.getTime() - since.getTime() > MAX_RECHECK_WINDOW_MS) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `the window ${since.toISOString()} … ${until.toISOString()} is longer than ` +
        `${MAX_RECHECK_WINDOW_MS / 86_400_000} days`,
    );
  }
  // An empty name would match nothing, silently.
  for (const [name, value] of [
    ['project', filter.project],
    ['ci', filter.ci],
  ] as const) {
    if (value === '') throw new GatewatchError('BAD_ARGUMENT', `${name} must not be empty`);
  }
  const ciIds =
    filter.ci != null
      ? (await ciSystemsByAccount(db.knex, filter.ci, null)).map((c) => c.rowId)
      : null;
  return { since, until, project: filter.project ?? null, ciIds } satisfies RerunScope;
}

/** The recheck comments of the window (`m`), their patch sets (`ps`), changes (`c`), projects (`p`). */
function rechecks(db: Database, scope: RerunScope) {
  const query = db
    .knex('gerrit_comments as m')
    .join('gerrit_patch_sets as ps', 'ps.id', 'm.patch_set_id')
    .join('gerrit_changes as c', 'c.id', 'ps.change_id')
    .join('gerrit_projects as p', 'p.id', 'c.project_id')
    .where('m.kind', 'recheck')
    .where('m.created_at', '>=', timeParam(db.dialect, scope.since))
    .where('m.created_at', '<', timeParam(db.dialect, scope.until));
  if (scope.project !== null) query.where('p.name', scope.project);
  return query;
}

/** The most rechecked changes, with the re-runs of the window on them. */
async function mostRechecked(
  db: Database,
  scope: RerunScope,
  first: number,
): Promise<RecheckedChange[]> {
  const { knex } = db;
  const changes = (await rechecks(db, scope)
    .groupBy('c.id', 'c.number', 'p.name', 'c.subject')
    .select('c.id', 'c.number', 'p.name as project', 'c.subject', knex.raw('count(*) as n'))
    .orderByRaw('count(*) desc, c.number, c.id')
    .limit(first)) as Row[];
  const cost = (await withReruns(db, scope)
    .from('reruns as x')
    .join('gerrit_patch_sets as ps', 'ps.id', 'x.patch_set_id')
    .whereIn(
      'ps.change_id',
      changes.map((c) => Number(c.id)),
    )
    .groupBy('ps.change_id')
    .select(
      'ps.change_id',
      knex.raw('count(*) as reruns'),
      knex.raw('coalesce(sum(x.seconds), 0) as seconds'),
    )) as Row[];
  const costOf = new Map(cost.map((r) => [Number(r.change_id), r]));
  return changes.map((c) => {
    const spent = costOf.get(Number(c.id));
    return {
      change: Number(c.number),
      project: String(c.project),
      subject: c.subject === null ? null : String(c.subject),
      rechecks: Number(c.n),
      reruns: Number(spent?.reruns ?? 0),
      nodeHours: Number(spent?.seconds ?? 0) / HOUR_S,
    };
  });
}
