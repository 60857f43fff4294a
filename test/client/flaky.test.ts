/** The Flaky tests page's table order, read from the URL and applied to its rows. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FLAKY_SORT,
  parseFlakySort,
  scopeLink,
  sortVerdicts,
} from '../../client/src/pages/flaky/flaky.js';

const row = (testId: string, scope: string, failures: number, lastSeen: string) => ({
  testId,
  scope,
  verdict: 'FLAKY',
  runs: 10,
  failures,
  firstSeen: '2026-12-01T00:00:00.000Z',
  lastSeen,
});

describe('flaky table', () => {
  it('reads the sort from the URL, with each column starting in its natural order', () => {
    expect(parseFlakySort('', '')).toEqual(DEFAULT_FLAKY_SORT);
    expect(parseFlakySort('nonsense', 'asc')).toEqual(DEFAULT_FLAKY_SORT);
    expect(parseFlakySort('testId', '')).toEqual({ key: 'testId', order: 'asc' });
    expect(parseFlakySort('failures', '')).toEqual({ key: 'failures', order: 'desc' });
    expect(parseFlakySort('failures', 'asc')).toEqual({ key: 'failures', order: 'asc' });
  });

  it('sorts by the column, ties by latest failure, then test and scope', () => {
    const rows = [
      row('b', 'job:x', 2, '2026-12-03T00:00:00.000Z'),
      row('a', 'job:y', 2, '2026-12-03T00:00:00.000Z'),
      row('a', 'job:x', 2, '2026-12-03T00:00:00.000Z'),
      row('c', 'job:x', 5, '2026-12-01T00:00:00.000Z'),
      row('d', 'job:x', 2, '2026-12-04T00:00:00.000Z'),
    ];
    const keys = (sorted: typeof rows) => sorted.map((r) => `${r.testId} ${r.scope}`);
    expect(keys(sortVerdicts(rows, { key: 'failures', order: 'desc' }))).toEqual([
      'c job:x',
      'd job:x',
      'a job:x',
      'a job:y',
      'b job:x',
    ]);
    expect(keys(sortVerdicts(rows, { key: 'lastSeen', order: 'asc' }))[0]).toBe('c job:x');
    expect(keys(sortVerdicts(rows, { key: 'testId', order: 'desc' }))[0]).toBe('d job:x');
  });

  it('links job scopes to their page', () => {
    expect(scopeLink('job:tempest full')).toBe('/jobs/tempest%20full');
    expect(scopeLink('project:openstack/nova')).toBeNull();
  });
});
