/**
 * The tests page's lists as plain data: its page size, and the columns it sorts by (the
 * search, the sort and the cursors are those of lib/test-list.ts and lib/cursors.ts).
 */
import type { Sort, SortKey } from '../../lib/test-list.js';

/** Tests per page. */
export const PAGE_SIZE = 50;

/**
 * The traceback search as the API bounds it (`TestFilter.tracebackContains`): the newest
 * failures it reads, and the longest text (characters).
 */
export const TRACEBACK_SEARCH = { failures: 1000, tailKiB: 64, maxLength: 200 } as const;

/** The columns of the tests table, in order; each sorts on the server. */
export const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'testId', label: 'Test', numeric: false },
  { key: 'runs', label: 'Results', numeric: true },
  { key: 'failures', label: 'Failures', numeric: true },
  { key: 'failureRate', label: 'Failure rate', numeric: true },
  { key: 'meanDuration', label: 'Mean time', numeric: true },
];

/** What the page opens with: every test by id, as openstack-health's list did before sorting. */
export const DEFAULT_TESTS_SORT: Sort = { key: 'testId', order: 'asc' };

/** The sort a URL asks for, limited to the page's columns. */
export function pageSort(sort: Sort): Sort {
  return COLUMNS.some((c) => c.key === sort.key) ? sort : DEFAULT_TESTS_SORT;
}
