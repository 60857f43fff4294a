/**
 * How lists of tests are ranked by their figures, in SQL, once for the test catalogue and a
 * job's tests alike: both hold per test `runs`, `successes`, `failures`, `skips` and
 * `success_us` (microseconds over `success` results).
 */
import type { Dialect } from './orm.js';
import { bytewise } from './sql.js';

/** What a list of tests is ranked by. */
export type TestRank =
  'failures' | 'failure_rate' | 'mean_duration' | 'runs' | 'passes' | 'skips' | 'test_id';

/** How a list of tests is ordered; the direction defaults to the rank's natural one. */
export interface TestsOrder {
  rank: TestRank;
  direction?: 'asc' | 'desc' | null;
}

/** The SQL of each figure over the row aliased `a`; null for the id itself. */
function figureOf(rank: TestRank, a: string): string | null {
  switch (rank) {
    case 'failures':
      return `${a}.failures`;
    // `1e0` makes MySQL divide in doubles, as SQLite does, not in 4-decimal DECIMALs.
    case 'failure_rate':
      return `(${a}.failures * 1e0 / nullif(${a}.successes + ${a}.failures, 0))`;
    case 'mean_duration':
      return `(${a}.success_us * 1e0 / nullif(${a}.successes, 0))`;
    case 'runs':
      return `${a}.runs`;
    case 'passes':
      return `${a}.successes`;
    case 'skips':
      return `${a}.skips`;
    case 'test_id':
      return null;
  }
}

/** The direction a rank reads best in: ids A→Z, figures biggest first. */
export function naturalDirection(rank: TestRank): 'asc' | 'desc' {
  return rank === 'test_id' ? 'asc' : 'desc';
}

/**
 * The ORDER BY clause ranking tests (figures in `a`, the test id in `idColumn`): by the
 * figure in `direction`, a missing rate or duration last either way, ties by test id
 * ascending, byte by byte; or by the id itself in `direction`.
 */
export function orderOfTests(
  dialect: Dialect,
  rank: TestRank,
  direction: 'asc' | 'desc',
  a: string,
  idColumn: string,
): string {
  const id = bytewise(dialect, idColumn);
  const figure = figureOf(rank, a);
  if (figure === null) return `${id} ${direction}`;
  return `(${figure} is null), ${figure} ${direction}, ${id}`;
}
