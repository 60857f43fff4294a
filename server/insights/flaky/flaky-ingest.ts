/**
 * Flaky and broken verdicts kept up to date on ingest, inside the run's transaction: for each
 * of the run's scopes, only the tests that failed in it or already have a standing there are
 * judged, over the scope's window, read set-based. Tests that never failed on a scope cost
 * nothing but the one look-up of standings.
 */
import type { Knex } from '@mikro-orm/knex';
import type { Config } from '../../config/config.js';
import { SECTIONS } from '../../config/settings.js';
import type { BulkWriter } from '../../db/bulk.js';
import type { Dialect } from '../../db/orm.js';
import type { TestShare } from '../../runs/rollups.js';
import { judge, nextStanding } from './judge.js';
import { outcomesIn, windowRuns } from './outcomes.js';
import { scopesOfRun, type Scope, type ScopedRun } from './scopes.js';
import { standingsOf, writeStandings, type StandingChange, type StandingRow } from './standings.js';

export type FlakySettings = Config['flaky'];

/** The `flaky` section as its defaults give it. */
export function defaultFlakySettings(): FlakySettings {
  return Object.fromEntries(
    Object.entries(SECTIONS.flaky).map(([field, setting]) => [
      field,
      setting.parse(setting.default ?? ''),
    ]),
  ) as FlakySettings;
}

/** The run being stored, as the verdicts need it. */
export interface FlakyRun extends ScopedRun {
  id: number;
  runAt: Date;
}

/** Judges the run's tests on each of its scopes and writes what changed. */
export async function applyFlakyRun(
  dialect: Dialect,
  trx: Knex,
  bulk: BulkWriter,
  run: FlakyRun,
  shares: readonly TestShare[],
  settings: FlakySettings = defaultFlakySettings(),
): Promise<void> {
  const scopes = scopesOfRun(run, settings.scopes);
  const judged = shares.filter((s) => s.successes + s.failures > 0);
  if (scopes.length === 0 || judged.length === 0) return;
  const failedNow = new Set(judged.filter((s) => s.failures > 0).map((s) => s.id));
  const stored = await standingsOf(
    trx,
    scopes.map((s) => s.name),
    judged.map((s) => s.id),
  );
  const names = new Map(judged.map((s) => [s.id, s.testId]));
  const changes: StandingChange[] = [];
  for (const scope of scopes) {
    const standings = new Map(
      stored.filter((s) => s.scope === scope.name).map((s) => [s.testId, s]),
    );
    for (const id of failedNow) {
      const known = standings.get(id);
      standings.set(id, seenFailing(known, scope, id, run.runAt));
    }
    const changed = await settle(dialect, trx, scope, standings, run.runAt, settings);
    const failing = [...failedNow].filter((id) => !changed.some((c) => c.row.testId === id));
    changes.push(...changed, ...failing.map((id) => ({ row: standings.get(id)! })));
  }
  await writeStandings(dialect, trx, bulk, changes, names, run.id);
}

/** The standing once a failure at `at` is counted. */
function seenFailing(known: StandingRow | undefined, scope: Scope, id: number, at: Date) {
  if (!known) {
    return {
      testId: id,
      scope: scope.name,
      verdict: null,
      reason: null,
      changedAt: null,
      firstSeen: at,
      lastSeen: at,
    };
  }
  return {
    ...known,
    firstSeen: known.firstSeen < at ? known.firstSeen : at,
    lastSeen: known.lastSeen > at ? known.lastSeen : at,
  };
}

/**
 * Judges `standings` (by test) over the scope's window at `clock` (null: no time passes, as
 * when a run is taken out); returns the standings whose verdict or its reason changed.
 */
export async function settle(
  dialect: Dialect,
  knex: Knex,
  scope: Scope,
  standings: ReadonlyMap<number, StandingRow>,
  clock: Date | null,
  settings: FlakySettings,
  excludeRun?: number,
): Promise<StandingChange[]> {
  if (standings.size === 0) return [];
  const runs = await windowRuns(dialect, knex, scope, settings, excludeRun);
  const outcomes = await outcomesIn(knex, runs, [...standings.keys()]);
  const changes: StandingChange[] = [];
  for (const [id, standing] of standings) {
    const since = standing.verdict === 'fixed' ? standing.changedAt : null;
    const judged = judge(outcomes.get(id) ?? [], since, settings);
    const next = nextStanding(standing, judged, clock, settings);
    if (next === null) continue;
    if (next.verdict === standing.verdict) {
      // The same verdict on another ground (transitions, then the same code): no transition.
      changes.push({ row: { ...standing, reason: next.reason } });
    } else {
      const at = clock ?? runs.at(-1)?.at ?? standing.lastSeen;
      changes.push({
        row: { ...standing, ...next, changedAt: at },
        changed: { from: standing.verdict, at },
      });
    }
  }
  return changes;
}
