/**
 * What the job's tests table and the tests page share, without a browser: the sort as the URL
 * says it and as the API is asked for it, and the search as the API's TestFilter.
 */
import { describe, expect, it } from 'vitest';
import {
  checkPattern,
  DEFAULT_SORT,
  nextSort,
  parseMode,
  parseSort,
  serverSort,
  SORT_KEYS,
  testFilter,
} from '../../client/src/lib/test-list.js';

describe('the sort of a list of tests', () => {
  it('reads the URL, falling back to failures, most first', () => {
    expect(parseSort('', '')).toEqual(DEFAULT_SORT);
    expect(DEFAULT_SORT).toEqual({ key: 'failures', order: 'desc' });
    expect(parseSort('nonsense', 'asc')).toEqual(DEFAULT_SORT);
    expect(parseSort('meanDuration', 'asc')).toEqual({ key: 'meanDuration', order: 'asc' });
    // An unknown order is the column's own default.
    expect(parseSort('testId', 'sideways')).toEqual({ key: 'testId', order: 'asc' });
    expect(parseSort('skips', '')).toEqual({ key: 'skips', order: 'desc' });
    expect(parseSort('', '', { key: 'testId', order: 'asc' })).toEqual({
      key: 'testId',
      order: 'asc',
    });
  });

  it('flips the order of the same column and starts another at its default', () => {
    expect(nextSort({ key: 'failures', order: 'desc' }, 'failures')).toEqual({
      key: 'failures',
      order: 'asc',
    });
    expect(nextSort({ key: 'failures', order: 'asc' }, 'failures')).toEqual({
      key: 'failures',
      order: 'desc',
    });
    expect(nextSort({ key: 'failures', order: 'asc' }, 'testId')).toEqual({
      key: 'testId',
      order: 'asc',
    });
    expect(nextSort({ key: 'testId', order: 'asc' }, 'meanDuration')).toEqual({
      key: 'meanDuration',
      order: 'desc',
    });
  });

  it('asks the API to rank every test by the column, in the direction shown', () => {
    expect(
      Object.fromEntries(SORT_KEYS.map((key) => [key, serverSort({ key, order: 'desc' })])),
    ).toEqual({
      testId: { orderBy: 'TEST_ID', direction: 'DESC' },
      passes: { orderBy: 'PASSES', direction: 'DESC' },
      failures: { orderBy: 'FAILURES', direction: 'DESC' },
      skips: { orderBy: 'SKIPS', direction: 'DESC' },
      failureRate: { orderBy: 'FAILURE_RATE', direction: 'DESC' },
      meanDuration: { orderBy: 'MEAN_DURATION', direction: 'DESC' },
      runs: { orderBy: 'RUNS', direction: 'DESC' },
    });
    expect(serverSort({ key: 'failureRate', order: 'asc' })).toEqual({
      orderBy: 'FAILURE_RATE',
      direction: 'ASC',
    });
  });
});

describe('the search of test ids', () => {
  it('asks for a substring, a prefix or a regular expression, or for every test', () => {
    expect(testFilter('tempest.api', 'prefix')).toEqual({ prefix: 'tempest.api' });
    expect(testFilter('test_create', 'contains')).toEqual({ contains: 'test_create' });
    expect(testFilter('api\\.(compute|image)', 'regex')).toEqual({
      matches: 'api\\.(compute|image)',
    });
    expect(testFilter('', 'regex')).toBeNull();
  });

  it('searches substrings unless told otherwise', () => {
    expect(parseMode('prefix')).toBe('prefix');
    expect(parseMode('regex')).toBe('regex');
    expect(parseMode('contains')).toBe('contains');
    expect(parseMode('')).toBe('contains');
    expect(parseMode('glob')).toBe('contains');
  });

  it('tells why an expression is invalid before asking, in regex mode only', () => {
    expect(checkPattern('test_(create', 'regex')).toEqual({
      ok: false,
      error: expect.stringMatching(/unterminated group/i),
    });
    expect(checkPattern('[z-a]', 'regex').ok).toBe(false);
    expect(checkPattern('test_(create', 'contains')).toEqual({ ok: true });
    expect(checkPattern('^(a|c)\\.', 'regex')).toEqual({ ok: true });
    expect(checkPattern('', 'regex')).toEqual({ ok: true });
  });
});
