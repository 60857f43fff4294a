/**
 * The tests page's logic without a browser: the search as the API's filter and the stack of
 * page cursors kept in the URL.
 */
import { describe, expect, it } from 'vitest';
import {
  currentCursor,
  formatCursors,
  nextPage,
  PAGE_SIZE,
  pageRange,
  parseCursors,
  parseMode,
  previousPage,
  testFilter,
} from '../../client/src/pages/tests/tests.js';

describe('the tests search', () => {
  it('asks for a prefix or a substring, or for every test', () => {
    expect(testFilter('tempest.api', 'prefix')).toEqual({ prefix: 'tempest.api' });
    expect(testFilter('test_create', 'contains')).toEqual({ contains: 'test_create' });
    expect(testFilter('', 'prefix')).toBeNull();
  });

  it('searches substrings unless told prefix', () => {
    expect(parseMode('prefix')).toBe('prefix');
    expect(parseMode('contains')).toBe('contains');
    expect(parseMode('')).toBe('contains');
    expect(parseMode('regex')).toBe('contains');
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
    expect(pageRange([], 50)).toEqual([1, 50]);
    expect(pageRange([], 0)).toEqual([0, 0]);
  });

  it('stack up going forward and unstack going back, through the URL', () => {
    const two = nextPage([], a);
    const three = nextPage(two, b);
    const url = new URL('http://x/tests');
    url.searchParams.set('pages', formatCursors(three));
    const read = parseCursors(new URL(url.href).searchParams.get('pages')!);
    expect(read).toEqual([a, b]);
    expect(currentCursor(read)).toBe(b);
    expect(pageRange(read, 7)).toEqual([2 * PAGE_SIZE + 1, 2 * PAGE_SIZE + 7]);
    expect(previousPage(read)).toEqual([a]);
    expect(currentCursor(previousPage(previousPage(read)))).toBeNull();
  });

  it('drop what is not a cursor', () => {
    expect(parseCursors(`${a}..not a cursor!.${b}`)).toEqual([a, b]);
  });
});
