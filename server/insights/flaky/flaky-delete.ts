/**
 * Taking a run back out of the verdicts (`deleteRun`), in its transaction: the transitions its
 * ingest made are removed and each standing it touched goes back to its last remaining
 * transition, its first and latest failure recomputed without the run; a standing left with no
 * failure is removed with its history. Nothing is told: no transition happened, one is undone.
 */
import type { Knex } from '@mikro-orm/knex';
import { SCOPE_KINDS } from '../../config/parsers.js';
import type { Dialect } from '../../db/orm.js';
import { timeParam, toDate } from '../../db/sql.js';
import { sqlResultIs } from '../../runs/outcome.js';
import type { TestVerdict } from '../events.js';
import type { VerdictReason } from './judge.js';
import type { RunRow } from '../../runs/run.service.js';
import { SCOPE_COLUMNS, scopesOfRun } from './scopes.js';
import { standingsOf } from './standings.js';

const IDS_PER_STATEMENT = 500;

/** Reverses the run's share of the verdicts; `testIds` are the `tests` rows of its results. */
export async function reverseFlakyRun(
  dialect: Dialect,
  trx: Knex,
  run: RunRow,
  testIds: readonly number[],
): Promise<void> {
  await trx('flaky_transitions').where('run_id', run.id).delete();
  const keys = {
    buildName: run.build_name,
    project: run.project,
    branch: run.branch,
    pipeline: run.pipeline,
  };
  for (const scope of scopesOfRun(keys, SCOPE_KINDS)) {
    const standings = await standingsOf(trx, [scope.name], testIds);
    for (let i = 0; i < standings.length; i += IDS_PER_STATEMENT) {
      const ids = standings.slice(i, i + IDS_PER_STATEMENT).map((s) => s.testId);
      const seen: Record<string, unknown>[] = await trx('test_results as tr')
        .join('runs as r', 'r.id', 'tr.run_id')
        .where(`r.${SCOPE_COLUMNS[scope.kind]}`, scope.value)
        .whereNot('r.id', run.id)
        .whereIn('tr.test_id', ids)
        .whereRaw(sqlResultIs('failing', 'tr.status'))
        .groupBy('tr.test_id')
        .select('tr.test_id', trx.raw('min(r.run_at) as first'), trx.raw('max(r.run_at) as last'));
      const last: Record<string, unknown>[] = await trx('flaky_transitions as f')
        .where('f.scope', scope.name)
        .whereIn('f.test_id', ids)
        .orderBy('f.id')
        .select('f.test_id', 'f.to_verdict', 'f.reason', 'f.at');
      const lastOf = new Map(last.map((t) => [Number(t.test_id), t]));
      const gone = ids.filter((id) => !seen.some((s) => Number(s.test_id) === id));
      if (gone.length > 0) {
        await trx('flaky_verdicts').where('scope', scope.name).whereIn('test_id', gone).delete();
        await trx('flaky_transitions').where('scope', scope.name).whereIn('test_id', gone).delete();
      }
      for (const row of seen) {
        const transition = lastOf.get(Number(row.test_id));
        await trx('flaky_verdicts')
          .where({ scope: scope.name, test_id: Number(row.test_id) })
          .update({
            first_seen: timeParam(dialect, toDate(row.first)),
            last_seen: timeParam(dialect, toDate(row.last)),
            verdict: (transition?.to_verdict as TestVerdict | undefined) ?? null,
            reason: (transition?.reason as VerdictReason | undefined) ?? null,
            changed_at: transition ? timeParam(dialect, toDate(transition.at)) : null,
          });
      }
    }
  }
}
