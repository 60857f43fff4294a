/**
 * How results and runs are classified (openstack-health's and subunit2sql's rules), defined
 * once: each rule as a TypeScript predicate and as its SQL twin, which must agree on every
 * input (test/db/outcome.test.ts checks it on both backends).
 *
 * - A result is passing (success, xfail), failing (fail, uxsuccess), skipped (skip) or none
 *   of these (incomplete: started and never ended).
 * - A run failed if it has a failing result, passed if not and it has a passing one, else it
 *   is skipped.
 */
import type { ResultStatus } from '../../workers/subunit/types.js';
import { RunStatus } from './run.type.js';

/** How a result counts. */
export type ResultOutcome = 'passing' | 'failing' | 'skipped';

/** The statuses of each outcome. */
export const STATUSES_OF: Readonly<Record<ResultOutcome, readonly ResultStatus[]>> = {
  passing: ['success', 'xfail'],
  failing: ['fail', 'uxsuccess'],
  skipped: ['skip'],
};

/** How a result with `status` counts; null for one that never ended (incomplete). */
export function outcomeOf(status: ResultStatus): ResultOutcome | null {
  for (const [outcome, statuses] of Object.entries(STATUSES_OF)) {
    if (statuses.includes(status)) return outcome as ResultOutcome;
  }
  return null;
}

/** SQL: whether the status in `column` has `outcome`. */
export function sqlResultIs(outcome: ResultOutcome, column = 'status'): string {
  return `${column} in (${STATUSES_OF[outcome].map((s) => `'${s}'`).join(', ')})`;
}

/** A run's counts per status, as `runs` stores them. */
export interface RunStatusCounts {
  passes: number;
  failures: number;
  skips: number;
  xfails: number;
  uxsuccesses: number;
}

/** Failing results of a run (fail + uxsuccess). */
export function failingResults(run: RunStatusCounts): number {
  return run.failures + run.uxsuccesses;
}

/** Passing results of a run (success + xfail). */
export function passingResults(run: RunStatusCounts): number {
  return run.passes + run.xfails;
}

/** The run's status from its counts. */
export function runStatusOf(run: RunStatusCounts): RunStatus {
  if (failingResults(run) > 0) return RunStatus.FAILED;
  if (passingResults(run) > 0) return RunStatus.PASSED;
  return RunStatus.SKIPPED;
}

/** SQL: failing results of the `runs` row aliased `runs`. */
export const sqlFailingResults = (runs = 'runs') => `(${runs}.failures + ${runs}.uxsuccesses)`;

/** SQL: passing results of the `runs` row aliased `runs`. */
export const sqlPassingResults = (runs = 'runs') => `(${runs}.passes + ${runs}.xfails)`;

/** SQL: whether the `runs` row aliased `runs` has `status` (the twin of {@link runStatusOf}). */
export function sqlRunIs(status: RunStatus, runs = 'runs'): string {
  const failed = `${sqlFailingResults(runs)} > 0`;
  switch (status) {
    case RunStatus.FAILED:
      return `(${failed})`;
    case RunStatus.PASSED:
      return `(not ${failed} and ${sqlPassingResults(runs)} > 0)`;
    case RunStatus.SKIPPED:
      return `(not ${failed} and ${sqlPassingResults(runs)} = 0)`;
  }
}

/** A run's results counted by status (incomplete: started, never finished). */
export interface StatusCounts extends RunStatusCounts {
  incomplete: number;
}

export function noCounts(): StatusCounts {
  return { passes: 0, failures: 0, skips: 0, xfails: 0, uxsuccesses: 0, incomplete: 0 };
}
