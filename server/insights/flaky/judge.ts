/**
 * The verdict rules (README "Flaky and broken tests"), pure: from a test's outcomes in a
 * scope's window and its standing so far, its standing now.
 */
import type { TestVerdict } from '../events.js';
import type { Outcome } from './outcomes.js';

/** The thresholds of the `flaky` settings the rules read. */
export interface Thresholds {
  transitionRate: number;
  minRuns: number;
  brokenRuns: number;
  /** Milliseconds without a failure after which a verdict is `fixed`. */
  fixedAfter: number;
}

export type VerdictReason = 'same-code' | 'transitions' | 'broken';

/** A test's standing on a scope; `verdict` null: it failed there, no verdict yet. */
export interface Standing {
  verdict: TestVerdict | null;
  reason: VerdictReason | null;
  /** When the verdict last changed (evidence from before a `fixed` is not looked at again). */
  changedAt: Date | null;
  /** Its latest failure there. */
  lastSeen: Date;
}

/** A Gerrit patch set the test both passed and failed on. */
export interface PatchSetEvidence {
  change: number;
  patchset: number;
  passes: number;
  failures: number;
}

/** What the rules saw: the verdict's evidence. */
export interface Judged {
  verdict: Exclude<TestVerdict, 'fixed'> | null;
  reason: VerdictReason | null;
  /** The outcomes looked at (after a `fixed`, only the newer ones), oldest first. */
  outcomes: Outcome[];
  patchSets: PatchSetEvidence[];
  transitions: number;
}

/**
 * The rules over `outcomes`: broken when the last `brokenRuns` all failed; else flaky when it
 * passed and failed on the same patch set (or within one run) or when its pass↔fail
 * transitions per consecutive pair reach `transitionRate` over at least `minRuns` runs.
 */
export function judge(all: readonly Outcome[], since: Date | null, t: Thresholds): Judged {
  const outcomes = since === null ? [...all] : all.filter((o) => o.run.at > since);
  const patchSets = samePatchSet(outcomes);
  let transitions = 0;
  for (let i = 1; i < outcomes.length; i += 1) {
    if (outcomes[i]!.result !== outcomes[i - 1]!.result) transitions += 1;
  }
  const last = outcomes.slice(-t.brokenRuns);
  const broken = last.length === t.brokenRuns && last.every((o) => o.result === 'fail');
  const byRate =
    outcomes.length >= t.minRuns && transitions / (outcomes.length - 1) >= t.transitionRate;
  const sameCode = patchSets.length > 0 || outcomes.some((o) => o.retried);
  const [verdict, reason]: [Judged['verdict'], VerdictReason | null] = broken
    ? ['broken', 'broken']
    : sameCode
      ? ['flaky', 'same-code']
      : byRate
        ? ['flaky', 'transitions']
        : [null, null];
  return { verdict, reason, outcomes, patchSets, transitions };
}

function samePatchSet(outcomes: readonly Outcome[]): PatchSetEvidence[] {
  const sets = new Map<string, PatchSetEvidence>();
  for (const { run, result } of outcomes) {
    if (run.change === null || run.patchset === null) continue;
    const key = `${run.change},${run.patchset}`;
    const set = sets.get(key) ?? {
      change: run.change,
      patchset: run.patchset,
      passes: 0,
      failures: 0,
    };
    if (result === 'pass') set.passes += 1;
    else set.failures += 1;
    sets.set(key, set);
  }
  return [...sets.values()].filter((s) => s.passes > 0 && s.failures > 0);
}

/**
 * The standing after judging at `clock` (the time the scope has reached): a verdict stays until
 * the test has not failed for `fixedAfter`, then it is `fixed`; a new verdict replaces an old
 * one. Null when nothing changes.
 */
export function nextStanding(
  standing: Standing,
  judged: Judged,
  clock: Date | null,
  t: Thresholds,
): { verdict: TestVerdict; reason: VerdictReason | null } | null {
  if (isFixedAt(standing, clock, t)) return { verdict: 'fixed', reason: null };
  if (judged.verdict === null) return null;
  if (judged.verdict === standing.verdict && judged.reason === standing.reason) return null;
  return { verdict: judged.verdict, reason: judged.reason };
}

/** A flaky or broken test whose latest failure is `fixedAfter` or more before `clock`. */
export function isFixedAt(standing: Standing, clock: Date | null, t: Thresholds): boolean {
  return (
    clock !== null &&
    (standing.verdict === 'flaky' || standing.verdict === 'broken') &&
    clock.getTime() - standing.lastSeen.getTime() >= t.fixedAfter
  );
}
