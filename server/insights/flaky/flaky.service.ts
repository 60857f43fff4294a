/**
 * Reading verdicts: pages of standings (from `flaky_verdicts` alone, however many results are
 * stored), each with its evidence — the window outcomes the rules judged, re-read for the page's
 * tests, one pair of queries per scope — and its history of transitions.
 */
import type { Knex } from '@mikro-orm/knex';
import type { Database } from '../../db/orm.js';
import { decodeCursor, toPage, type Page } from '../../db/page.js';
import { timeParam, toDate } from '../../db/sql.js';
import { GatewatchError } from '../../errors.js';
import type { TestVerdict } from '../events.js';
import type { FlakySettings } from './flaky-ingest.js';
import { judge, type Judged, type PatchSetEvidence, type VerdictReason } from './judge.js';
import { outcomesIn, windowRuns, type Outcome } from './outcomes.js';
import { parseScope } from './scopes.js';
import { standingRow, type StandingRow } from './standings.js';

/** Which verdicts: on any of the given scopes (none: every scope), last failed since. */
export interface VerdictFilter {
  job?: string | null;
  project?: string | null;
  branch?: string | null;
  queue?: string | null;
  since?: Date | null;
  /** Default: flaky and broken. */
  verdict?: TestVerdict | null;
}

export interface EvidenceRun {
  run: string;
  job: string | null;
  at: Date;
  result: Outcome['result'];
  retried: boolean;
  change: number | null;
  patchset: number | null;
}

export interface Evidence {
  /** The runs behind the verdict, oldest first. */
  runs: EvidenceRun[];
  patchSets: PatchSetEvidence[];
  transitions: number;
}

export interface VerdictTransition {
  from: TestVerdict | null;
  to: TestVerdict;
  reason: VerdictReason | null;
  at: Date;
  /** The run whose ingest made it; null: the sweep or a run since deleted. */
  run: string | null;
}

export interface VerdictView {
  testId: string;
  scope: string;
  verdict: TestVerdict | null;
  reason: VerdictReason | null;
  /** Runs of the test in the window looked at, and how many of them failed. */
  runs: number;
  failures: number;
  firstSeen: Date;
  lastSeen: Date;
  changedAt: Date | null;
  evidence: Evidence;
  history: VerdictTransition[];
}

/** A page of verdicts, newest failure first. */
export async function listVerdicts(
  db: Database,
  settings: FlakySettings,
  filter: VerdictFilter,
  page: { first: number; after?: string | null },
): Promise<Page<VerdictView>> {
  if (!Number.isInteger(page.first) || page.first < 1 || page.first > settings.maxPage) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `first must be 1…${settings.maxPage}, got ${page.first}`,
    );
  }
  const base = () => filtered(db, filter);
  const query = base()
    .join('tests as t', 't.id', 'v.test_id')
    .select('v.*', 't.test_id as name')
    .orderBy([
      { column: 'v.last_seen', order: 'desc' },
      { column: 'v.test_id', order: 'asc' },
      { column: 'v.scope', order: 'asc' },
    ])
    .limit(page.first + 1);
  const cursor = decodeCursor(page.after);
  if (cursor) {
    const [seen, test, scope] = cursor as [number, number, string];
    const at = timeParam(db.dialect, new Date(seen));
    query.andWhere((q) =>
      q
        .where('v.last_seen', '<', at)
        .orWhere((q2) =>
          q2
            .where('v.last_seen', at)
            .andWhere((q3) =>
              q3
                .where('v.test_id', '>', test)
                .orWhere((q4) => q4.where('v.test_id', test).andWhere('v.scope', '>', scope)),
            ),
        ),
    );
  }
  const rows: Record<string, unknown>[] = await query;
  const views = await viewsOf(db, settings, rows.slice(0, page.first));
  const byKey = new Map(views.map((v, i) => [i, v]));
  return toPage(
    rows.map((row, i) => ({ row, i })),
    page.first,
    ({ row }) => [toDate(row.last_seen).getTime(), Number(row.test_id), String(row.scope)],
    ({ i }) => byKey.get(i)!,
    async () => Number(((await base().count({ n: '*' })) as { n: unknown }[])[0]!.n),
  );
}

function filtered(db: Database, filter: VerdictFilter): Knex.QueryBuilder {
  const scopes = (['job', 'project', 'branch', 'queue'] as const).flatMap((kind) => {
    const value = filter[kind];
    return value === undefined || value === null ? [] : [`${kind}:${value}`];
  });
  const query = db.knex('flaky_verdicts as v');
  if (filter.verdict) query.where('v.verdict', filter.verdict);
  else query.whereIn('v.verdict', ['flaky', 'broken']);
  if (scopes.length > 0) query.whereIn('v.scope', scopes);
  if (filter.since) query.where('v.last_seen', '>=', timeParam(db.dialect, filter.since));
  return query;
}

/** The rows with their evidence and history, in their order. */
export async function viewsOf(
  db: Database,
  settings: FlakySettings,
  rows: readonly Record<string, unknown>[],
): Promise<VerdictView[]> {
  const standings = rows.map((row) => ({ standing: standingRow(row), name: String(row.name) }));
  const history = await historyOf(
    db,
    standings.map((s) => s.standing),
  );
  const judged = new Map<string, Judged>();
  for (const scopeName of new Set(standings.map((s) => s.standing.scope))) {
    const ofScope = standings.filter((s) => s.standing.scope === scopeName);
    const runs = await windowRuns(db.dialect, db.knex, parseScope(scopeName), settings);
    const outcomes = await outcomesIn(
      db.knex,
      runs,
      ofScope.map((s) => s.standing.testId),
    );
    for (const { standing } of ofScope) {
      const since = lastFixed(standing, history.get(key(standing)) ?? []);
      judged.set(key(standing), judge(outcomes.get(standing.testId) ?? [], since, settings));
    }
  }
  return standings.map(({ standing, name }) => {
    const seen = judged.get(key(standing))!;
    return {
      testId: name,
      scope: standing.scope,
      verdict: standing.verdict,
      reason: standing.reason,
      runs: seen.outcomes.length,
      failures: seen.outcomes.filter((o) => o.result === 'fail').length,
      firstSeen: standing.firstSeen,
      lastSeen: standing.lastSeen,
      changedAt: standing.changedAt,
      evidence: evidenceOf(seen, standing.reason, settings.brokenRuns),
      history: history.get(key(standing)) ?? [],
    };
  });
}

const key = (s: { testId: number; scope: string }) => `${s.testId} ${s.scope}`;

/**
 * Evidence from before a test's last `fixed` does not count, as on ingest; a standing that is
 * fixed now shows what it was fixed of (the evidence after the `fixed` before).
 */
function lastFixed(standing: StandingRow, history: readonly VerdictTransition[]): Date | null {
  const fixes = history.filter((t) => t.to === 'fixed').map((t) => t.at);
  if (standing.verdict === 'fixed') fixes.pop();
  return fixes.at(-1) ?? null;
}

/** The runs that make the verdict: the patch sets' runs, the last N, or the whole window. */
function evidenceOf(judged: Judged, reason: VerdictReason | null, brokenRuns: number): Evidence {
  const onPatchSet = (o: Outcome) =>
    o.retried ||
    judged.patchSets.some((p) => p.change === o.run.change && p.patchset === o.run.patchset);
  const outcomes =
    reason === 'same-code'
      ? judged.outcomes.filter(onPatchSet)
      : reason === 'broken'
        ? judged.outcomes.slice(-brokenRuns)
        : judged.outcomes;
  return {
    runs: outcomes.map(({ run, result, retried }) => ({
      run: run.uuid,
      job: run.job,
      at: run.at,
      result,
      retried,
      change: run.change,
      patchset: run.patchset,
    })),
    patchSets: judged.patchSets,
    transitions: judged.transitions,
  };
}

async function historyOf(
  db: Database,
  standings: readonly StandingRow[],
): Promise<Map<string, VerdictTransition[]>> {
  const history = new Map<string, VerdictTransition[]>();
  if (standings.length === 0) return history;
  const rows: Record<string, unknown>[] = await db
    .knex('flaky_transitions as f')
    .leftJoin('runs as r', 'r.id', 'f.run_id')
    .whereIn('f.test_id', [...new Set(standings.map((s) => s.testId))])
    .whereIn('f.scope', [...new Set(standings.map((s) => s.scope))])
    .orderBy('f.id')
    .select('f.*', 'r.uuid');
  for (const row of rows) {
    const k = key({ testId: Number(row.test_id), scope: String(row.scope) });
    const list = history.get(k) ?? [];
    list.push({
      from: (row.from_verdict as TestVerdict | null) ?? null,
      to: row.to_verdict as TestVerdict,
      reason: (row.reason as VerdictReason | null) ?? null,
      at: toDate(row.at),
      run: row.uuid === null || row.uuid === undefined ? null : String(row.uuid),
    });
    history.set(k, list);
  }
  return history;
}
