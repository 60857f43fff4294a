/**
 * A standing's verdicts replayed over a scope's window, run by run, as ingest would have made
 * them had the runs come in this order: what `deleteRun` leaves once a run is taken out.
 */
import type { TestVerdict } from '../events.js';
import type { FlakySettings } from './flaky-ingest.js';
import { judge, nextStanding, type Standing, type VerdictReason } from './judge.js';
import type { Outcome, WindowRun } from './outcomes.js';

export interface ReplayedTransition {
  from: TestVerdict | null;
  to: TestVerdict;
  reason: VerdictReason | null;
  at: Date;
  runId: number;
}

/**
 * Replays `outcomes` (the test's, oldest first, in the scope's `runs`) from `start` (its
 * standing before the window, verdict null when it had none); returns the standing reached and
 * the transitions on the way.
 */
export function replay(
  start: Standing,
  runs: readonly WindowRun[],
  outcomes: readonly Outcome[],
  settings: FlakySettings,
): { standing: Standing; transitions: ReplayedTransition[] } {
  let standing = start;
  let failedOnce = start.verdict !== null;
  const transitions: ReplayedTransition[] = [];
  for (const [i, outcome] of outcomes.entries()) {
    const at = outcome.run.at;
    if (outcome.result === 'fail') {
      failedOnce = true;
      standing = { ...standing, lastSeen: at };
    }
    // Ingest judges a test on a scope once it has failed there.
    if (!failedOnce) continue;
    const inWindow = new Set(
      runs
        .filter((r) => r.at <= at && r.at.getTime() >= at.getTime() - settings.window)
        .slice(-settings.windowRuns)
        .map((r) => r.id),
    );
    const seen = outcomes.slice(0, i + 1).filter((o) => inWindow.has(o.run.id));
    const since = standing.verdict === 'fixed' ? standing.changedAt : null;
    const next = nextStanding(standing, judge(seen, since, settings), at, settings);
    if (next === null) continue;
    if (next.verdict !== standing.verdict) {
      transitions.push({
        from: standing.verdict,
        to: next.verdict,
        reason: next.reason,
        at,
        runId: outcome.run.id,
      });
      standing = { ...standing, ...next, changedAt: at };
    } else {
      standing = { ...standing, reason: next.reason };
    }
  }
  return { standing, transitions };
}
