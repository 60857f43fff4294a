/**
 * How results and runs are classified (openstack-health's and subunit2sql's rules), defined
 * once: each rule as a TypeScript predicate and as its SQL twin, which must agree on every
 * input (test/db/outcome.test.ts checks it on both backends).
 *
 * - A result is passing (success, xfail), failing (fail, uxsuccess), skipped (skip) or none
 *   of these (incomplete: started and never ended).
 * - A run failed if it has a failing result, an incomplete one (a worker died mid-test) or
 *   damaged packets (parse errors), as stestr fails a run whose worker crashed; otherwise it
 *   passed if it has a passing result, else it is skipped.
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

/** What a run's status depends on: its counts per status and its parse errors. */
export interface RunStatusCounts {
  passes: number;
  failures: number;
  skips: number;
  xfails: number;
  uxsuccesses: number;
  /** Results started and never ended. */
  incomplete: number;
  /** Damaged packets skipped while parsing. */
  parseErrors: number;
}

/** Failing results of a run (fail + uxsuccess). */
export function failingResults(run: RunStatusCounts): number {
  return run.failures + run.uxsuccesses;
}

/** Passing results of a run (success + xfail). */
export function passingResults(run: RunStatusCounts): number {
  return run.passes + run.xfails;
}

/** Whether the run is FAILED though no test failed: a test never ended or a packet was damaged. */
export function brokenRun(run: RunStatusCounts): boolean {
  return run.incomplete > 0 || run.parseErrors > 0;
}

/** The run's status from its counts. */
export function runStatusOf(run: RunStatusCounts): RunStatus {
  if (failingResults(run) > 0 || brokenRun(run)) return RunStatus.FAILED;
  if (passingResults(run) > 0) return RunStatus.PASSED;
  return RunStatus.SKIPPED;
}

/** SQL: failing results of the `runs` row aliased `runs`. */
export const sqlFailingResults = (runs = 'runs') => `(${runs}.failures + ${runs}.uxsuccesses)`;

/** SQL: passing results of the `runs` row aliased `runs`. */
export const sqlPassingResults = (runs = 'runs') => `(${runs}.passes + ${runs}.xfails)`;

/** SQL: whether the `runs` row aliased `runs` has `status` (the twin of {@link runStatusOf}). */
export function sqlRunIs(status: RunStatus, runs = 'runs'): string {
  const failed = `(${sqlFailingResults(runs)} > 0 or ${runs}.incomplete > 0 or ${runs}.parse_errors > 0)`;
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
export type StatusCounts = Omit<RunStatusCounts, 'parseErrors'>;

export function noCounts(): StatusCounts {
  return { passes: 0, failures: 0, skips: 0, xfails: 0, uxsuccesses: 0, incomplete: 0 };
}
