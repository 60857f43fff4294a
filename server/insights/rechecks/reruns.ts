/**
 * The re-runs of a window as SQL common table expressions, for every recheck-cost query to
 * start from (README "Recheck cost"):
 *
 * - `reruns`: each CI report on a patch set the same CI had reported on before (its 2nd, 3rd…
 *   by `created_at`, id breaking ties), made in the window: `id`, `prev_id` (that CI's report
 *   before it), `patch_set_id`, `seconds` (its builds' durations) and `unknown` (its builds
 *   without one).
 * - `blamed`: the attributed failures behind each re-run, one row per distinct (`rerun_id`,
 *   `test_id`, `signature_id`): the failing results (fail, uxsuccess) of the runs linked to the
 *   failed builds of the previous report, whose test is flaky on a scope the run belongs to or
 *   that a known-issue rule hit. `signature_id` is null for a failure without a signature.
 */
import type { Knex } from '@mikro-orm/knex';
import { NON_RESULTS } from '../../cis/job-days.js';
import type { Database } from '../../db/orm.js';
import { timeParam } from '../../db/sql.js';
import { SCOPE_COLUMNS } from '../flaky/scopes.js';

/** Which re-runs: made in `[since, until)`, on a project, by some CIs (row ids). */
export interface RerunScope {
  since: Date;
  until: Date;
  project: string | null;
  /** Null: every CI. */
  ciIds: readonly number[] | null;
}

/** A build result that failed: neither SUCCESS nor a non-result (job-days' classification). */
const NOT_FAILED = ['SUCCESS', ...NON_RESULTS];

/** A query builder starting `with ranked, reruns, blamed` for the scope. */
export function withReruns(db: Database, scope: RerunScope): Knex.QueryBuilder {
  const { knex, dialect } = db;
  const time = (date: Date) => timeParam(dialect, date);
  const inScope = (query: Knex.QueryBuilder, alias: string) => {
    if (scope.ciIds) query.whereIn(`${alias}.ci_id`, scope.ciIds);
    if (scope.project !== null) {
      query.whereIn(
        `${alias}.project_id`,
        knex('gerrit_projects').select('id').where('name', scope.project),
      );
    }
    return query;
  };
  // Every report on the patch sets reported on in the window: a re-run's previous report may
  // be older than the window.
  const reported = inScope(
    knex('ci_reports as w')
      .where('w.created_at', '>=', time(scope.since))
      .where('w.created_at', '<', time(scope.until))
      .distinct('w.patch_set_id'),
    'w',
  );
  const ranked = inScope(
    knex('ci_reports as r')
      .whereIn('r.patch_set_id', reported)
      .select(
        'r.id',
        'r.patch_set_id',
        'r.created_at',
        knex.raw(
          'lag(r.id) over (partition by r.ci_id, r.patch_set_id order by r.created_at, r.id) as prev_id',
        ),
      ),
    'r',
  );
  const reruns = knex('ranked as k')
    .leftJoin('ci_builds as b', 'b.report_id', 'k.id')
    .whereNotNull('k.prev_id')
    .where('k.created_at', '>=', time(scope.since))
    .where('k.created_at', '<', time(scope.until))
    .groupBy('k.id', 'k.prev_id', 'k.patch_set_id')
    .select(
      'k.id',
      'k.prev_id',
      'k.patch_set_id',
      knex.raw('coalesce(sum(b.duration), 0) as seconds'),
      knex.raw(
        'sum(case when b.id is not null and b.duration is null then 1 else 0 end) as unknown',
      ),
    );
  const blamed = knex('reruns as x')
    .join('ci_builds as pb', 'pb.report_id', 'x.prev_id')
    .join('test_results as tr', 'tr.run_id', 'pb.run_id')
    .join('runs as u', 'u.id', 'tr.run_id')
    .leftJoin('result_signatures as rs', (on) =>
      on.on('rs.run_id', 'tr.run_id').andOn('rs.seq', 'tr.seq'),
    )
    .whereNotIn('pb.result', NOT_FAILED)
    .whereIn('tr.status', ['fail', 'uxsuccess'])
    .where((either) =>
      either
        .whereExists(
          knex('flaky_verdicts as fv')
            .select(knex.raw('1'))
            .whereRaw('fv.test_id = tr.test_id')
            .where('fv.verdict', 'flaky')
            .whereRaw(`fv.scope in (${runScopes(dialect)})`),
        )
        .orWhereExists(
          knex('rule_hits as h')
            .select(knex.raw('1'))
            .whereRaw('h.run_id = tr.run_id and h.seq = tr.seq'),
        ),
    )
    .distinct('x.id as rerun_id', 'tr.test_id', 'rs.signature_id');
  return knex.queryBuilder().with('ranked', ranked).with('reruns', reruns).with('blamed', blamed);
}

/** The scope names (`job:NAME`, …) of run `u`, as SQL expressions. */
function runScopes(dialect: Database['dialect']): string {
  return Object.entries(SCOPE_COLUMNS)
    .map(([kind, column]) =>
      dialect === 'sqlite' ? `'${kind}:' || u.${column}` : `concat('${kind}:', u.${column})`,
    )
    .join(', ');
}
