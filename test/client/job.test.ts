/**
 * The job page's logic without a browser: the buckets charts lay the API's series on, and the
 * chart data (the tests table's sort and search are test/client/test-list.test.ts').
 */
import { describe, expect, it } from 'vitest';
import { alignBuckets, bucketStart, bucketStarts } from '../../client/src/lib/buckets.js';
import {
  failureRateData,
  runCountsData,
  runTimeData,
  testCountsData,
} from '../../client/src/pages/job/charts.js';
import type { JobBucket } from '../../client/src/documents/job.js';

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
