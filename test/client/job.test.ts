/**
 * The job page's logic without a browser: the tests table's sort, the order asked of the API,
 * the user's regular expression, the buckets charts lay the API's series on, and the chart data.
 */
import { describe, expect, it } from 'vitest';
import { alignBuckets, bucketStart, bucketStarts } from '../../client/src/lib/buckets.js';
import {
  failureRateData,
  runCountsData,
  runTimeData,
  testCountsData,
} from '../../client/src/pages/job/charts.js';
import {
  compilePattern,
  DEFAULT_SORT,
  filterRows,
  nextSort,
  parseSort,
  serverOrder,
  SORT_KEYS,
  sortRows,
} from '../../client/src/pages/job/job.js';
import type { JobBucket, JobTestRow } from '../../client/src/documents/job.js';

const row = (testId: string, figures: Partial<JobTestRow> = {}): JobTestRow => ({
  testId,
  runs: 0,
  passes: 0,
  failures: 0,
  skips: 0,
  failureRate: null,
  meanDuration: null,
  ...figures,
});

const ROWS = [
  row('b.test', { passes: 3, failures: 1, failureRate: 0.25, meanDuration: 2 }),
  row('a.test', { passes: 4, failures: 1, failureRate: 0.2, meanDuration: null }),
  row('c.test', { passes: 0, failures: 3, failureRate: 1, meanDuration: null, skips: 2 }),
  row('d.test', { skips: 5 }),
];
const ids = (rows: JobTestRow[]) => rows.map((r) => r.testId);

describe('the tests table sort', () => {
  it('reads the URL, falling back to failures, most first', () => {
    expect(parseSort('', '')).toEqual(DEFAULT_SORT);
    expect(DEFAULT_SORT).toEqual({ key: 'failures', order: 'desc' });
    expect(parseSort('nonsense', 'asc')).toEqual(DEFAULT_SORT);
    expect(parseSort('meanDuration', 'asc')).toEqual({ key: 'meanDuration', order: 'asc' });
    // An unknown order is the column's own default.
    expect(parseSort('testId', 'sideways')).toEqual({ key: 'testId', order: 'asc' });
    expect(parseSort('skips', '')).toEqual({ key: 'skips', order: 'desc' });
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

  it('asks the API for the order of the column, by results where it has none', () => {
    expect(Object.fromEntries(SORT_KEYS.map((key) => [key, serverOrder(key)]))).toEqual({
      testId: 'TEST_ID',
      passes: 'RUNS',
      failures: 'FAILURES',
      skips: 'RUNS',
      failureRate: 'FAILURE_RATE',
      meanDuration: 'MEAN_DURATION',
      runs: 'RUNS',
    });
  });

  it('sorts by figures with ties in test id order', () => {
    expect(ids(sortRows(ROWS, { key: 'failures', order: 'desc' }))).toEqual([
      'c.test',
      'a.test',
      'b.test',
      'd.test',
    ]);
    expect(ids(sortRows(ROWS, { key: 'failures', order: 'asc' }))).toEqual([
      'd.test',
      'a.test',
      'b.test',
      'c.test',
    ]);
    expect(ids(sortRows(ROWS, { key: 'testId', order: 'desc' }))).toEqual([
      'd.test',
      'c.test',
      'b.test',
      'a.test',
    ]);
  });

  it('ranks missing rates and durations last in either order', () => {
    expect(ids(sortRows(ROWS, { key: 'meanDuration', order: 'desc' }))).toEqual([
      'b.test',
      'a.test',
      'c.test',
      'd.test',
    ]);
    expect(ids(sortRows(ROWS, { key: 'failureRate', order: 'asc' }))).toEqual([
      'a.test',
      'b.test',
      'c.test',
      'd.test',
    ]);
    expect(ids(sortRows(ROWS, { key: 'failureRate', order: 'desc' }))).toEqual([
      'c.test',
      'b.test',
      'a.test',
      'd.test',
    ]);
  });

  it('leaves its input alone', () => {
    const before = ids(ROWS);
    sortRows(ROWS, { key: 'testId', order: 'desc' });
    expect(ids(ROWS)).toEqual(before);
  });
});

describe('the regular expression filter', () => {
  it('is no filter when empty', () => {
    expect(compilePattern('')).toEqual({ ok: true, regex: null });
    expect(ids(filterRows(ROWS, null))).toEqual(ids(ROWS));
  });

  it('matches anywhere in the test id, as a RegExp', () => {
    const pattern = compilePattern('^(a|c)\\.');
    expect(pattern.ok).toBe(true);
    if (!pattern.ok) return;
    expect(ids(filterRows(ROWS, pattern.regex))).toEqual(['a.test', 'c.test']);
    const anywhere = compilePattern('est$');
    expect(anywhere.ok && ids(filterRows(ROWS, anywhere.regex))).toEqual(ids(ROWS));
  });

  it('tells why an expression is invalid instead of throwing', () => {
    const pattern = compilePattern('test_(create');
    expect(pattern.ok).toBe(false);
    expect(!pattern.ok && pattern.error).toMatch(/unterminated group/i);
    expect(compilePattern('[z-a]').ok).toBe(false);
  });
});

describe('buckets', () => {
  it('start where the API starts them: UTC hours, days, Monday weeks, months', () => {
    const at = new Date('2026-03-05T13:47:12Z'); // a Thursday
    expect(bucketStart(at, 'HOUR').toISOString()).toBe('2026-03-05T13:00:00.000Z');
    expect(bucketStart(at, 'DAY').toISOString()).toBe('2026-03-05T00:00:00.000Z');
    expect(bucketStart(at, 'WEEK').toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(bucketStart(new Date('2026-03-08T23:00:00Z'), 'WEEK').toISOString()).toBe(
      '2026-03-02T00:00:00.000Z',
    );
    expect(bucketStart(at, 'MONTH').toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  it('cover every bucket overlapping the window', () => {
    const days = bucketStarts(
      new Date('2026-03-01T12:00:00Z'),
      new Date('2026-03-04T00:00:00Z'),
      'DAY',
    );
    expect(days.map((d) => d.toISOString().slice(0, 10))).toEqual([
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
    ]);
    const months = bucketStarts(
      new Date('2026-01-31T00:00:00Z'),
      new Date('2026-04-02T00:00:00Z'),
      'MONTH',
    );
    expect(months.map((d) => d.toISOString().slice(0, 7))).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
    ]);
    expect(
      bucketStarts(new Date('2026-03-01T10:30:00Z'), new Date('2026-03-01T12:00:00Z'), 'HOUR'),
    ).toHaveLength(2);
  });

  it('place the API buckets on the starts, leaving holes where there are none', () => {
    const starts = bucketStarts(
      new Date('2026-03-01T00:00:00Z'),
      new Date('2026-03-04T00:00:00Z'),
      'DAY',
    );
    const aligned = alignBuckets(
      [
        { start: '2026-03-03T00:00:00.000Z', n: 3 },
        { start: '2026-03-01T00:00:00.000Z', n: 1 },
      ],
      starts,
    );
    expect(aligned.map((b) => b?.n)).toEqual([1, undefined, 3]);
  });
});

describe('the job charts', () => {
  const starts = bucketStarts(
    new Date('2026-03-01T00:00:00Z'),
    new Date('2026-03-04T00:00:00Z'),
    'DAY',
  );
  const bucket: JobBucket = {
    start: '2026-03-02T00:00:00.000Z',
    passedRuns: 2,
    failedRuns: 1,
    skippedRuns: 0,
    failureRate: 1 / 3,
    testPasses: 40,
    testFailures: 2,
    testSkips: 5,
    testFailureRate: 2 / 42,
  };
  const x = starts.map((d) => d.getTime() / 1000);

  it('count zero runs and results in an empty bucket', () => {
    expect(runCountsData([bucket], starts)).toEqual([x, [0, 2, 0], [0, 1, 0], [0, 0, 0]]);
    expect(testCountsData([bucket], starts)).toEqual([x, [0, 40, 0], [0, 2, 0], [0, 5, 0]]);
  });

  it('know no failure rate in an empty bucket, and give rates in percent', () => {
    const [xs, tests, runs] = failureRateData([bucket], starts);
    expect(xs).toEqual(x);
    expect(tests![0]).toBeNull();
    expect(tests![1]).toBeCloseTo(100 * (2 / 42));
    expect(runs).toEqual([null, expect.closeTo(100 / 3), null]);
  });

  it('draw run times with their band, never below zero', () => {
    const data = runTimeData([
      {
        runAt: '2026-03-01T10:00:00.000Z',
        wallTime: 100,
        rollingMean: 100,
        upper: 100,
        lower: 100,
      },
      { runAt: '2026-03-02T10:00:00.000Z', wallTime: 20, rollingMean: 60, upper: 140, lower: -20 },
    ]);
    expect(data).toEqual([
      [Date.parse('2026-03-01T10:00:00Z') / 1000, Date.parse('2026-03-02T10:00:00Z') / 1000],
      [100, 20],
      [100, 60],
      [100, 140],
      [100, 0],
    ]);
  });
});
