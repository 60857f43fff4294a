/**
 * Why a run is FAILED when none of its tests failed: the API fails a run with a test that
 * never ended (its worker died) or with damaged packets, as stestr fails a crashed run.
 */

/** What to say beside such a run's status; null when the rule does not apply. */
export function brokenReason(run: { incomplete: number; parseErrors: number }): string | null {
  const reasons: string[] = [];
  if (run.incomplete > 0) {
    reasons.push(
      run.incomplete === 1
        ? '1 test never ended (a worker died)'
        : `${run.incomplete} tests never ended (a worker died)`,
    );
  }
  if (run.parseErrors > 0) {
    reasons.push(run.parseErrors === 1 ? '1 damaged packet' : `${run.parseErrors} damaged packets`);
  }
  return reasons.length === 0 ? null : reasons.join(', ');
}
