/**
 * The home page's logic without a browser: the metadata filter as it reads in URLs, where a
 * group leads, the chart columns laid on every bucket of the window, staleness, throttling.
 */
import { describe, expect, it } from 'vitest';
import { bucketStarts } from '../../client/src/lib/buckets.js';
import { parseRoute } from '../../client/src/lib/route.js';
import {
  ageAt,
  busiestGroups,
  failureRate,
  failureRateColumns,
  formatWhere,
  groupHref,
  groupLabel,
  isStale,
  parseWhere,
  passFailColumns,
  withoutKey,
  withPair,
} from '../../client/src/pages/home/home.js';
import { refreshDelay } from '../../client/src/lib/refresh.js';
import type { Bucket, GroupSeries } from '../../client/src/documents/home.js';

const bucket = (start: string, passedRuns: number, failedRuns: number): Bucket => ({
  start,
  runs: passedRuns + failedRuns,
  passedRuns,
  failedRuns,
  failureRate: failureRate(passedRuns, failedRuns),
});

describe('the where filter', () => {
  it('reads and writes metadata pairs, slashes left readable', () => {
    const pairs = [
      { key: 'project', value: 'openstack/nova' },
      { key: 'branch', value: 'stable/2024.1' },
    ];
    const text = formatWhere(pairs);
    expect(text).toBe('project:openstack/nova,branch:stable/2024.1');
    expect(parseWhere(text)).toEqual(pairs);
  });

  it('round-trips values holding its separators and percent signs', () => {
    const pairs = [
      { key: 'a:b', value: 'x,y:z' },
      { key: 'pct', value: '100%,%2C' },
    ];
    expect(parseWhere(formatWhere(pairs))).toEqual(pairs);
    // As a URL parameter too.
    const url = new URL('http://x/');
    url.searchParams.set('where', formatWhere(pairs));
    expect(parseWhere(new URL(url.href).searchParams.get('where')!)).toEqual(pairs);
  });

  it('ignores malformed parts and keeps the first value of a key', () => {
    expect(parseWhere('')).toEqual([]);
    expect(parseWhere('nokey,:novalue,project:a,project:b,%E0%A4%A:x')).toEqual([
      { key: 'project', value: 'a' },
      { key: '%E0%A4%A', value: 'x' },
    ]);
  });

  it('adds, replaces and removes pairs by key', () => {
    const one = withPair([], { key: 'project', value: 'a' });
    const two = withPair(one, { key: 'branch', value: 'master' });
    expect(withPair(two, { key: 'project', value: 'b' })).toEqual([
      { key: 'branch', value: 'master' },
      { key: 'project', value: 'b' },
    ]);
    expect(withoutKey(two, 'project')).toEqual([{ key: 'branch', value: 'master' }]);
  });
});

describe('group links', () => {
  const view = { period: '30d', resolution: 'WEEK', where: [{ key: 'branch', value: 'master' }] };

  it('sends a job to its page', () => {
    const href = groupHref('build_name', 'tempest-full', view);
    expect(href).toBe('/jobs/tempest-full');
    expect(parseRoute(href)).toEqual({ page: 'job', name: 'tempest-full' });
  });

  it('narrows the home page to any other group, grouped by job, keeping the view', () => {
    const href = groupHref('project', 'openstack/nova', view);
    const url = new URL(href, 'http://x');
    expect(url.pathname).toBe('/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      group: 'build_name',
      period: '30d',
      resolution: 'WEEK',
      where: 'branch:master,project:openstack/nova',
    });
  });

  it('names the runs lacking the key', () => {
    expect(groupLabel('openstack/nova')).toBe('openstack/nova');
    expect(groupLabel(null)).toBe('(none)');
  });
});

describe('chart columns', () => {
  const starts = bucketStarts(
    new Date('2026-03-01T10:30:00Z'),
    new Date('2026-03-04T10:30:00Z'),
    'DAY',
  );
  const series: GroupSeries[] = [
    { value: 'nova', buckets: [bucket('2026-03-01T00:00:00.000Z', 2, 1)] },
    {
      value: 'neutron',
      buckets: [bucket('2026-03-01T00:00:00.000Z', 1, 0), bucket('2026-03-03T00:00:00.000Z', 0, 3)],
    },
    { value: null, buckets: [bucket('2026-03-04T00:00:00.000Z', 4, 0)] },
  ];
  const x = [1, 2, 3, 4].map((d) => Date.UTC(2026, 2, d) / 1000);

  it('sums passed and failed runs over groups, empty buckets as zeros', () => {
    expect(passFailColumns(series, starts)).toEqual([x, [3, 0, 0, 4], [1, 0, 3, 0]]);
  });

  it('gives the failure rate overall and per group, gaps where nothing ran', () => {
    expect(failureRateColumns(series, series.slice(0, 2), starts)).toEqual([
      x,
      [0.25, null, 1, 0],
      [1 / 3, null, null, null],
      [0, null, 1, null],
    ]);
  });

  it('ignores buckets outside the window', () => {
    const outside: GroupSeries[] = [
      { value: 'a', buckets: [bucket('2026-02-27T00:00:00.000Z', 5, 5)] },
    ];
    expect(passFailColumns(outside, starts)).toEqual([x, [0, 0, 0, 0], [0, 0, 0, 0]]);
  });

  it('picks the busiest groups for lines of their own', () => {
    // neutron and the runs without a project have 4 runs each, nova 3.
    expect(busiestGroups(series, 2).map((g) => g.value)).toEqual(['neutron', null]);
    // Ties go by name, the runs without a value last.
    const tied: GroupSeries[] = [
      { value: null, buckets: [bucket('2026-03-01T00:00:00.000Z', 1, 0)] },
      { value: 'b', buckets: [bucket('2026-03-01T00:00:00.000Z', 1, 0)] },
      { value: 'a', buckets: [bucket('2026-03-01T00:00:00.000Z', 0, 1)] },
    ];
    expect(busiestGroups(tied).map((g) => g.value)).toEqual(['a', 'b', null]);
  });

  it('rates like the API: null when nothing passed or failed', () => {
    expect(failureRate(0, 0)).toBeNull();
    expect(failureRate(3, 1)).toBe(0.25);
  });
});

describe('freshness and live updates', () => {
  it('calls data stale past a day, or when there is none', () => {
    expect(isStale(3600)).toBe(false);
    expect(isStale(24 * 3600)).toBe(false);
    expect(isStale(24 * 3600 + 1)).toBe(true);
    expect(isStale(null)).toBe(true);
    expect(isStale(120, 60)).toBe(true);
  });

  it('measures the age of the newest run at the end of the page window', () => {
    const now = '2026-05-13T12:30:00.000Z';
    expect(ageAt('2026-05-13T10:30:00.000Z', now)).toBe(2 * 3600);
    expect(ageAt('2026-05-12T12:29:59.000Z', now)).toBe(24 * 3600 + 1);
    expect(ageAt(null, now)).toBeNull();
  });

  it('refetches at once after a quiet spell, else when the interval is up', () => {
    expect(refreshDelay(0, 1_000_000, 3000)).toBe(0);
    expect(refreshDelay(10_000, 11_000, 3000)).toBe(2000);
    expect(refreshDelay(10_000, 13_000, 3000)).toBe(0);
  });
});
