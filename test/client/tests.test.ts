/**
 * The tests page's logic without a browser: its sortable columns and the stack of page cursors
 * kept in the URL (the search is test/client/test-list.test.ts').
 */
import { describe, expect, it } from 'vitest';
import {
  currentCursor,
  formatCursors,
  nextPage,
  pageRange,
  parseCursors,
  previousPage,
} from '../../client/src/lib/cursors.js';
import { parseSort, serverSort } from '../../client/src/lib/test-list.js';
import {
  COLUMNS,
  DEFAULT_TESTS_SORT,
  PAGE_SIZE,
  pageSort,
} from '../../client/src/pages/tests/tests.js';

describe('the tests page columns', () => {
  it('sort on the server by results, failures, failure rate and mean time, or by id', () => {
    expect(COLUMNS.map((c) => serverSort({ key: c.key, order: 'desc' }).orderBy)).toEqual([
      'TEST_ID',
      'RUNS',
      'FAILURES',
      'FAILURE_RATE',
      'MEAN_DURATION',
    ]);
  });

  it('open by id, and fall back to it for a column the page does not show', () => {
    expect(pageSort(parseSort('', '', DEFAULT_TESTS_SORT))).toEqual({
      key: 'testId',
      order: 'asc',
    });
    expect(pageSort(parseSort('failureRate', 'asc', DEFAULT_TESTS_SORT))).toEqual({
      key: 'failureRate',
      order: 'asc',
    });
    expect(pageSort(parseSort('skips', 'desc', DEFAULT_TESTS_SORT))).toEqual(DEFAULT_TESTS_SORT);
  });
});

describe('page cursors', () => {
  // Cursors as the API makes them: base64url of the last key.
  const cursor = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
  const a = cursor(['tempest.api.compute.test_a']);
  const b = cursor(['tempest.api.compute.test_b?/+']);

  it('start on the first page', () => {
    expect(parseCursors('')).toEqual([]);
    expect(currentCursor([])).toBeNull();
    expect(pageRange([], 50, PAGE_SIZE)).toEqual([1, 50]);
    expect(pageRange([], 0, PAGE_SIZE)).toEqual([0, 0]);
  });

  it('stack up going forward and unstack going back, through the URL', () => {
    const two = nextPage([], a);
    const three = nextPage(two, b);
    const url = new URL('http://x/tests');
    url.searchParams.set('pages', formatCursors(three));
    const read = parseCursors(new URL(url.href).searchParams.get('pages')!);
    expect(read).toEqual([a, b]);
    expect(currentCursor(read)).toBe(b);
    expect(pageRange(read, 7, PAGE_SIZE)).toEqual([2 * PAGE_SIZE + 1, 2 * PAGE_SIZE + 7]);
    expect(previousPage(read)).toEqual([a]);
    expect(currentCursor(previousPage(previousPage(read)))).toBeNull();
  });

  it('drop what is not a cursor', () => {
    expect(parseCursors(`${a}..not a cursor!.${b}`)).toEqual([a, b]);
  });
});
