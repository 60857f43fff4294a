/**
 * Writing standings: a test's verdict rows on a scope change here only, each change of
 * verdict recorded as a transition (the history) and told through the insights outbox in the
 * caller's transaction.
 */
import type { Knex } from '@mikro-orm/knex';
import type { BulkWriter } from '../../db/bulk.js';
import type { Dialect } from '../../db/orm.js';
import { timeParam, toDate } from '../../db/sql.js';
import { recordInsightEvents, type TestVerdict, type TestVerdictEvent } from '../events.js';
import type { Standing, VerdictReason } from './judge.js';

/** A stored standing with its keys. */
export interface StandingRow extends Standing {
  testId: number;
  scope: string;
  firstSeen: Date;
}

/** A standing to write; `from` is the verdict it replaces (when it changes). */
export interface StandingChange {
  row: StandingRow;
  /** Set when the verdict changed: what it was. */
  changed?: { from: TestVerdict | null; at: Date };
}

const IDS_PER_STATEMENT = 500;

/** Stored standings of `testIds` on `scopes`. */
export async function standingsOf(
  knex: Knex,
  scopes: readonly string[],
  testIds: readonly number[],
): Promise<StandingRow[]> {
  const rows: StandingRow[] = [];
  if (scopes.length === 0) return rows;
  for (let i = 0; i < testIds.length; i += IDS_PER_STATEMENT) {
    const found: Record<string, unknown>[] = await knex('flaky_verdicts')
      .whereIn('scope', scopes)
      .whereIn('test_id', testIds.slice(i, i + IDS_PER_STATEMENT));
    rows.push(...found.map(standingRow));
  }
  return rows;
}

export function standingRow(row: Record<string, unknown>): StandingRow {
  return {
    testId: Number(row.test_id),
    scope: String(row.scope),
    verdict: (row.verdict as TestVerdict | null) ?? null,
    reason: (row.reason as VerdictReason | null) ?? null,
    changedAt: row.changed_at === null ? null : toDate(row.changed_at),
    firstSeen: toDate(row.first_seen),
    lastSeen: toDate(row.last_seen),
  };
}

/**
 * Writes the standings (in key order, so that concurrent ingests wait instead of deadlocking),
 * the transitions of those whose verdict changed, caused by `runId` (null: the sweep), and
 * their events. `names` maps `tests` row ids to test ids.
 */
export async function writeStandings(
  dialect: Dialect,
  trx: Knex,
  bulk: BulkWriter,
  changes: readonly StandingChange[],
  names: ReadonlyMap<number, string>,
  runId: number | null,
): Promise<void> {
  if (changes.length === 0) return;
  const sorted = [...changes].sort(
    (a, b) => a.row.testId - b.row.testId || (a.row.scope < b.row.scope ? -1 : 1),
  );
  const columns = [
    'test_id',
    'scope',
    'verdict',
    'reason',
    'first_seen',
    'last_seen',
    'changed_at',
  ];
  await bulk.upsert(
    'flaky_verdicts',
    columns,
    ['test_id', 'scope'],
    (incoming) =>
      columns
        .slice(2)
        .map((c) => `${c} = ${incoming(c)}`)
        .join(', '),
    sorted.map(({ row }) => [
      row.testId,
      row.scope,
      row.verdict,
      row.reason,
      timeParam(dialect, row.firstSeen),
      timeParam(dialect, row.lastSeen),
      row.changedAt === null ? null : timeParam(dialect, row.changedAt),
    ]),
  );
  const transitions = sorted.filter((c) => c.changed !== undefined && c.row.verdict !== null);
  if (transitions.length === 0) return;
  // Through the bulk writer: a run can turn thousands of tests broken at once, more rows than
  // one SQLite multi-row insert takes.
  await bulk.insert(
    'flaky_transitions',
    ['test_id', 'scope', 'from_verdict', 'to_verdict', 'reason', 'at', 'run_id'],
    transitions.map(({ row, changed }) => [
      row.testId,
      row.scope,
      changed!.from,
      row.verdict,
      row.reason,
      timeParam(dialect, changed!.at),
      runId,
    ]),
  );
  await recordInsightEvents(
    trx,
    transitions.map(({ row, changed }): TestVerdictEvent => ({
      kind: 'test.verdict',
      testId: names.get(row.testId) ?? String(row.testId),
      scope: row.scope,
      from: changed!.from,
      to: row.verdict!,
      at: changed!.at.toISOString(),
    })),
  );
}
