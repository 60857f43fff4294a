/**
 * `Test.verdicts` for a page of failures: one query for the standings of every test the request
 * asks about; a verdict's runs, evidence and history (the window re-read) only when selected,
 * batched over the verdicts that select them.
 */
import DataLoader from 'dataloader';
import type { Database } from '../../db/orm.js';
import type { Context } from '../../graphql/context.js';
import { batched } from '../../graphql/loaders.js';
import type { FlakySettings } from './flaky-ingest.js';
import { viewsOf, type VerdictView } from './flaky.service.js';
import { standingRow } from './standings.js';

const IDS_PER_STATEMENT = 500;

/** A verdict without what its window says: what `flaky_verdicts` holds. */
export interface VerdictStanding extends Omit<
  VerdictView,
  'runs' | 'failures' | 'evidence' | 'history'
> {
  /** The stored row, for loading the rest. */
  readonly row: Record<string, unknown>;
}

/** Every standing (flaky, broken or fixed) of each test (`tests` row id), by scope. */
async function standingsOfTests(
  db: Database,
  testRowIds: readonly number[],
): Promise<Map<number, VerdictStanding[]>> {
  const found = new Map<number, VerdictStanding[]>();
  for (let i = 0; i < testRowIds.length; i += IDS_PER_STATEMENT) {
    const rows: Record<string, unknown>[] = await db
      .knex('flaky_verdicts as v')
      .join('tests as t', 't.id', 'v.test_id')
      .whereIn('v.test_id', testRowIds.slice(i, i + IDS_PER_STATEMENT))
      .whereNotNull('v.verdict')
      .select('v.*', 't.test_id as name')
      .orderBy('v.scope');
    for (const row of rows) {
      const standing = standingRow(row);
      const list = found.get(standing.testId) ?? [];
      list.push({
        testId: String(row.name),
        scope: standing.scope,
        verdict: standing.verdict,
        reason: standing.reason,
        firstSeen: standing.firstSeen,
        lastSeen: standing.lastSeen,
        changedAt: standing.changedAt,
        row,
      });
      found.set(standing.testId, list);
    }
  }
  return found;
}

/** A verdict's details to load, with the settings that judge them (the request's config). */
export interface VerdictDetailKey {
  readonly standing: VerdictStanding;
  readonly settings: FlakySettings;
}

export function verdictLoaders(db: Database) {
  return {
    testVerdicts: batched((ids: readonly number[]) => standingsOfTests(db, ids), []),
    verdictDetails: new DataLoader<VerdictDetailKey, VerdictView, string>(
      async (keys) =>
        keys.length === 0
          ? []
          : viewsOf(
              db,
              keys[0]!.settings,
              keys.map((k) => k.standing.row),
            ),
      { cacheKeyFn: (k) => `${String(k.standing.row.test_id)} ${k.standing.scope}` },
    ),
  };
}

export type VerdictsContext = Context<ReturnType<typeof verdictLoaders>>;
