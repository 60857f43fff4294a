/**
 * The job page's tests table as plain data: which column sorts it and how, which order to ask
 * the API for, and the user's regular expression (the API filters by prefix or substring only,
 * so the page fetches a large page and applies the expression here).
 */
import type { Scalar } from '../../lib/graphql/graphql.js';
import type { JobTestRow } from '../../documents/job.js';

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

type JobTestOrder = Scalar<'JobTestOrder'>;

export const DEFAULT_SORT: Sort = { key: 'failures', order: 'desc' };

/** How many tests the page asks for; the API's largest page. */
export const TESTS_PAGE = 500;

/** Names first A→Z, figures biggest first: what a click on a new column shows. */
export function defaultOrder(key: SortKey): SortOrder {
  return key === 'testId' ? 'asc' : 'desc';
}

/** The sort a URL asks for (`?sort=&order=`), the default for anything unknown. */
export function parseSort(key: string, order: string): Sort {
  const known = (SORT_KEYS as readonly string[]).includes(key) ? (key as SortKey) : null;
  if (!known) return DEFAULT_SORT;
  return { key: known, order: order === 'asc' || order === 'desc' ? order : defaultOrder(known) };
}

/** A click on a column header: the same column flips its order, another starts at its default. */
export function nextSort(current: Sort, clicked: SortKey): Sort {
  if (current.key === clicked) {
    return { key: clicked, order: current.order === 'asc' ? 'desc' : 'asc' };
  }
  return { key: clicked, order: defaultOrder(clicked) };
}

/**
 * The API order that fetches the tests most relevant to a column, so that the page of
 * {@link TESTS_PAGE} holds the top of the table. Passes and skips have none: by results.
 */
export function serverOrder(key: SortKey): JobTestOrder {
  switch (key) {
    case 'testId':
      return 'TEST_ID';
    case 'failures':
      return 'FAILURES';
    case 'failureRate':
      return 'FAILURE_RATE';
    case 'meanDuration':
      return 'MEAN_DURATION';
    case 'runs':
    case 'passes':
    case 'skips':
      return 'RUNS';
  }
}

export type Pattern = { ok: true; regex: RegExp | null } | { ok: false; error: string };

/** The user's filter as a RegExp (`null` when empty), or why it is not one. */
export function compilePattern(text: string): Pattern {
  if (text === '') return { ok: true, regex: null };
  try {
    return { ok: true, regex: new RegExp(text) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The rows whose test id the expression matches (all of them for `null`). */
export function filterRows<T extends { testId: string }>(
  rows: readonly T[],
  regex: RegExp | null,
): T[] {
  return regex ? rows.filter((row) => regex.test(row.testId)) : [...rows];
}

/**
 * The rows sorted by a column. Missing rates and durations go last in either order (as the API
 * ranks them); ties keep test id order, so the table never shuffles between renders.
 */
export function sortRows(rows: readonly JobTestRow[], { key, order }: Sort): JobTestRow[] {
  const sign = order === 'asc' ? 1 : -1;
  const byId = (a: JobTestRow, b: JobTestRow) =>
    a.testId < b.testId ? -1 : a.testId > b.testId ? 1 : 0;
  return [...rows].sort((a, b) => {
    if (key === 'testId') return sign * byId(a, b);
    const x = a[key];
    const y = b[key];
    if (x === null || y === null) {
      if (x === y) return byId(a, b);
      return x === null ? 1 : -1;
    }
    return sign * (x - y) || byId(a, b);
  });
}
