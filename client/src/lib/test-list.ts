/**
 * What the two lists of tests (a job's tests table, the tests page) share, as plain data:
 * which column sorts them and how, as the URL says it (`?sort=&order=`) and as the API asks
 * it (`orderBy`, `direction`), and the search of test ids as the API's TestFilter.
 */
import type { Scalar } from './graphql/graphql.js';

/** The columns, as they appear in URLs (`?sort=failureRate`). */
export const SORT_KEYS = [
  'testId',
  'passes',
  'failures',
  'skips',
  'failureRate',
  'meanDuration',
  'runs',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortOrder = 'asc' | 'desc';

export interface Sort {
  key: SortKey;
  order: SortOrder;
}

/** Most failures first: what both lists open with unless the URL says otherwise. */
export const DEFAULT_SORT: Sort = { key: 'failures', order: 'desc' };

/** Names first A→Z, figures biggest first: what a click on a new column shows. */
export function defaultOrder(key: string): SortOrder {
  return key === 'testId' ? 'asc' : 'desc';
}

/** The sort a URL asks for (`?sort=&order=`), `fallback` for anything unknown. */
export function parseSort(key: string, order: string, fallback: Sort = DEFAULT_SORT): Sort {
  const known = (SORT_KEYS as readonly string[]).includes(key) ? (key as SortKey) : null;
  if (!known) return fallback;
  return { key: known, order: order === 'asc' || order === 'desc' ? order : defaultOrder(known) };
}

/**
 * A click on a column header: the same column flips its order, another starts at its default
 * (`orderOf`, for tables of other columns than the tests').
 */
export function nextSort<K extends string = SortKey>(
  current: { key: K; order: SortOrder },
  clicked: K,
  orderOf: (key: K) => SortOrder = defaultOrder,
): { key: K; order: SortOrder } {
  if (current.key === clicked) {
    return { key: clicked, order: current.order === 'asc' ? 'desc' : 'asc' };
  }
  return { key: clicked, order: orderOf(clicked) };
}

/** `JobTestOrder` and `TestOrder` hold the same values. */
type TestOrder = Scalar<'TestOrder'> & Scalar<'JobTestOrder'>;

const ORDER_OF: Record<SortKey, TestOrder> = {
  testId: 'TEST_ID',
  passes: 'PASSES',
  failures: 'FAILURES',
  skips: 'SKIPS',
  failureRate: 'FAILURE_RATE',
  meanDuration: 'MEAN_DURATION',
  runs: 'RUNS',
};

/** The API's `orderBy` and `direction` for a sort: the server ranks every test. */
export function serverSort(sort: Sort): { orderBy: TestOrder; direction: 'ASC' | 'DESC' } {
  return { orderBy: ORDER_OF[sort.key], direction: sort.order === 'asc' ? 'ASC' : 'DESC' };
}

/** How the search text matches test ids. */
export const SEARCH_MODES = ['contains', 'prefix', 'regex'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

/** What each mode reads as beside its radio button. */
export const MODE_LABELS: Record<SearchMode, string> = {
  contains: 'contains',
  prefix: 'starts with',
  regex: 'regular expression',
};

/** How a test id found by each mode reads: "whose id matches …". */
export const MODE_VERBS: Record<SearchMode, string> = {
  contains: 'contains',
  prefix: 'starts with',
  regex: 'matches',
};

export function parseMode(text: string): SearchMode {
  return (SEARCH_MODES as readonly string[]).includes(text) ? (text as SearchMode) : 'contains';
}

/** The API's TestFilter for a search: null when there is nothing to search for. */
export function testFilter(
  query: string,
  mode: SearchMode,
): { prefix: string } | { contains: string } | { matches: string } | null {
  if (query === '') return null;
  switch (mode) {
    case 'prefix':
      return { prefix: query };
    case 'contains':
      return { contains: query };
    case 'regex':
      return { matches: query };
  }
}

/** Whether a search can be sent, or why not (an expression JavaScript cannot compile). */
export type Pattern = { ok: true } | { ok: false; error: string };

/**
 * The search checked before it is sent: in regex mode it must be a regular expression (the
 * server also refuses what its engines do not share, such as lookaround, and says so).
 */
export function checkPattern(query: string, mode: SearchMode): Pattern {
  if (mode !== 'regex' || query === '') return { ok: true };
  try {
    new RegExp(query);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
