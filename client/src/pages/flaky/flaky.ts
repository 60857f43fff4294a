/**
 * The Flaky tests page's table: its columns, the order a URL asks for (`?sort=&order=`), and
 * the verdicts in that order (sorted here: the page holds up to {@link FLAKY_ROWS} of them).
 */
import { hrefOf } from '../../lib/route.js';
import type { SortOrder } from '../../lib/test-list.js';

/** The verdicts the page loads; the filters narrow past it. */
export const FLAKY_ROWS = 200;

export const FLAKY_COLUMNS = [
  { key: 'testId', label: 'Test', numeric: false },
  { key: 'scope', label: 'Scope', numeric: false },
  { key: 'verdict', label: 'Verdict', numeric: false },
  { key: 'runs', label: 'Runs', numeric: true },
  { key: 'failures', label: 'Failures', numeric: true },
  { key: 'firstSeen', label: 'First failure', numeric: false },
  { key: 'lastSeen', label: 'Latest failure', numeric: false },
] as const;
export type FlakySortKey = (typeof FLAKY_COLUMNS)[number]['key'];
export interface FlakySort {
  key: FlakySortKey;
  order: SortOrder;
}
export const DEFAULT_FLAKY_SORT: FlakySort = { key: 'lastSeen', order: 'desc' };

/** Names read A→Z; counts and times biggest (newest) first. */
export function defaultFlakyOrder(key: FlakySortKey): SortOrder {
  return key === 'testId' || key === 'scope' || key === 'verdict' ? 'asc' : 'desc';
}

export function parseFlakySort(key: string, order: string): FlakySort {
  const column = FLAKY_COLUMNS.find((c) => c.key === key);
  if (!column) return DEFAULT_FLAKY_SORT;
  return {
    key: column.key,
    order: order === 'asc' || order === 'desc' ? order : defaultFlakyOrder(column.key),
  };
}

type Sortable = Record<FlakySortKey, string | number>;

/** The rows in the sort's order; ties by latest failure (newest first), then test and scope. */
export function sortVerdicts<T extends Sortable>(rows: readonly T[], sort: FlakySort): T[] {
  const compare = (a: string | number, b: string | number, order: SortOrder) =>
    a === b ? 0 : (a < b ? -1 : 1) * (order === 'asc' ? 1 : -1);
  return [...rows].sort(
    (a, b) =>
      compare(a[sort.key], b[sort.key], sort.order) ||
      compare(a.lastSeen, b.lastSeen, 'desc') ||
      compare(a.testId, b.testId, 'asc') ||
      compare(a.scope, b.scope, 'asc'),
  );
}

/** A scope (`job:NAME`, `project:NAME`, …) as a link where the dashboard has a page for it. */
export function scopeLink(scope: string): string | null {
  return scope.startsWith('job:')
    ? hrefOf({ page: 'job', name: scope.slice('job:'.length) })
    : null;
}
