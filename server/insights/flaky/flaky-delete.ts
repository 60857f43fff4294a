/**
 * Taking a run back out of the verdicts (`deleteRun`), in its transaction: each standing the
 * run touched is replayed over its scope's window without it (flaky-replay.ts), its
 * transitions there rewritten, its first and latest failure recomputed; a standing left with
 * no failure is removed with its history. Nothing is told: the replay undoes, it does not happen.
 */
import type { Knex } from '@mikro-orm/knex';
import { SCOPE_KINDS } from '../../config/parsers.js';
import type { Dialect } from '../../db/orm.js';
import { timeParam, toDate } from '../../db/sql.js';
import { sqlResultIs } from '../../runs/outcome.js';
import type { RunRow } from '../../runs/run.service.js';
import type { TestVerdict } from '../events.js';
import { defaultFlakySettings, type FlakySettings } from './flaky-ingest.js';
import { replay } from './flaky-replay.js';
import type { Standing, VerdictReason } from './judge.js';
import { outcomesIn, windowRuns } from './outcomes.js';
import { SCOPE_COLUMNS, scopesOfRun, type Scope } from './scopes.js';
import { standingsOf, type StandingRow } from './standings.js';

/** Reverses the run's share of the verdicts; `testIds` are the `tests` rows of its results. */
export async function reverseFlakyRun(
  dialect: Dialect,
  trx: Knex,
  run: RunRow,
  testIds: readonly number[],
  settings: FlakySettings = defaultFlakySettings(),
): Promise<void> {
  const keys = {
    buildName: run.build_name,
    project: run.project,
    branch: run.branch,
    pipeline: run.pipeline,
  };
  await trx('flaky_transitions').where('run_id', run.id).delete();
  for (const scope of scopesOfRun(keys, SCOPE_KINDS)) {
    const standings = await standingsOf(trx, [scope.name], testIds);
    if (standings.length > 0) await replayScope(dialect, trx, scope, standings, run.id, settings);
  }
}

async function replayScope(
  dialect: Dialect,
  trx: Knex,
  scope: Scope,
  standings: readonly StandingRow[],
  deleted: number,
  settings: FlakySettings,
): Promise<void> {
  const ids = standings.map((s) => s.testId);
  const seen = await failuresSeen(trx, scope, ids, deleted);
  const gone = ids.filter((id) => !seen.has(id));
  if (gone.length > 0) {
    await trx('flaky_verdicts').where('scope', scope.name).whereIn('test_id', gone).delete();
    await trx('flaky_transitions').where('scope', scope.name).whereIn('test_id', gone).delete();
  }
  const runs = await windowRuns(dialect, trx, scope, settings, deleted);
  const outcomes = await outcomesIn(trx, runs, [...seen.keys()]);
  const windowStart = runs[0]?.at ?? new Date(8.64e15);
  const before: Record<string, unknown>[] = await trx('flaky_transitions')
    .where('scope', scope.name)
    .whereIn('test_id', [...seen.keys()])
    .andWhere('at', '<', timeParam(dialect, windowStart))
    .orderBy('id');
  await trx('flaky_transitions')
    .where('scope', scope.name)
    .whereIn('test_id', [...seen.keys()])
    .andWhere('at', '>=', timeParam(dialect, windowStart))
    .delete();
  for (const [id, { first, last }] of seen) {
    const kept = before.filter((t) => Number(t.test_id) === id).at(-1);
    const start: Standing = {
      verdict: (kept?.to_verdict as TestVerdict | undefined) ?? null,
      reason: (kept?.reason as VerdictReason | undefined) ?? null,
      changedAt: kept ? toDate(kept.at) : null,
      lastSeen: first,
    };
    const { standing, transitions } = replay(start, runs, outcomes.get(id) ?? [], settings);
    await trx('flaky_verdicts')
      .where({ scope: scope.name, test_id: id })
      .update({
        verdict: standing.verdict,
        reason: standing.reason,
        changed_at: standing.changedAt === null ? null : timeParam(dialect, standing.changedAt),
        first_seen: timeParam(dialect, first),
        last_seen: timeParam(dialect, last),
      });
    if (transitions.length > 0) {
      await trx('flaky_transitions').insert(
        transitions.map((t) => ({
          test_id: id,
          scope: scope.name,
          from_verdict: t.from,
          to_verdict: t.to,
          reason: t.reason,
          at: timeParam(dialect, t.at),
          run_id: t.runId,
        })),
      );
    }
  }
}

/** First and latest failure of each test on the scope, without the deleted run. */
async function failuresSeen(
  trx: Knex,
  scope: Scope,
  ids: readonly number[],
  deleted: number,
): Promise<Map<number, { first: Date; last: Date }>> {
  const rows: Record<string, unknown>[] = await trx('test_results as tr')
    .join('runs as r', 'r.id', 'tr.run_id')
    .where(`r.${SCOPE_COLUMNS[scope.kind]}`, scope.value)
    .whereNot('r.id', deleted)
    .whereIn('tr.test_id', ids)
    .whereRaw(sqlResultIs('failing', 'tr.status'))
    .groupBy('tr.test_id')
    .select('tr.test_id', trx.raw('min(r.run_at) as first'), trx.raw('max(r.run_at) as last'));
  return new Map(
    rows.map((row) => [Number(row.test_id), { first: toDate(row.first), last: toDate(row.last) }]),
  );
}
