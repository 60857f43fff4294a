/**
 * The test page's chart data without a browser: daily results on every day of the period and
 * the duration scatter with its mean and p95 lines.
 */
import { describe, expect, it } from 'vitest';
import { bucketStarts } from '../../client/src/lib/buckets.js';
import type { TimedResult } from '../../client/src/documents/test.js';
import { durationData, historyData } from '../../client/src/pages/test/test-page.js';

const seconds = (iso: string) => Date.parse(iso) / 1000;

describe('the daily results chart', () => {
  it('puts zeros on the days without results', () => {
    const days = bucketStarts(
      new Date('2026-03-01T08:00:00Z'),
      new Date('2026-03-03T08:00:00Z'),
      'DAY',
    );
    const data = historyData(
      [{ start: '2026-03-02T00:00:00.000Z', successes: 5, failures: 2, skips: 1 }],
      days,
    );
    expect(data).toEqual([
      [
        seconds('2026-03-01T00:00:00Z'),
        seconds('2026-03-02T00:00:00Z'),
        seconds('2026-03-03T00:00:00Z'),
      ],
      [0, 5, 0],
      [0, 2, 0],
      [0, 1, 0],
    ]);
  });
});

describe('the run time scatter', () => {
  const result = (
    status: TimedResult['status'],
    duration: number | null,
    startTime: string | null,
    runAt = '2026-03-01T00:00:00.000Z',
  ): TimedResult => ({ status, duration, startTime, run: { runAt } });

  it('plots passing and failing results apart, oldest first, beside flat mean and p95 lines', () => {
    const data = durationData(
      [
        // Newest first, as the API answers.
        result('FAIL', 4, '2026-03-03T00:00:00.000Z'),
        result('SUCCESS', 2, '2026-03-02T00:00:00.000Z'),
        result('XFAIL', 1, null, '2026-03-01T12:00:00.000Z'),
        result('UXSUCCESS', 3, '2026-03-01T06:00:00.000Z'),
      ],
      { mean: 1.5, p95: 2 },
    );
    expect(data).toEqual([
      [
        seconds('2026-03-01T06:00:00Z'),
        seconds('2026-03-01T12:00:00Z'),
        seconds('2026-03-02T00:00:00Z'),
        seconds('2026-03-03T00:00:00Z'),
      ],
      [null, 1, 2, null],
      [3, null, null, 4],
      [1.5, 1.5, 1.5, 1.5],
      [2, 2, 2, 2],
    ]);
  });

  it('leaves out skips, incomplete results and results without a duration', () => {
    const data = durationData(
      [
        result('SKIP', 0.01, '2026-03-01T01:00:00.000Z'),
        result('INCOMPLETE', 5, '2026-03-01T02:00:00.000Z'),
        result('SUCCESS', null, '2026-03-01T03:00:00.000Z'),
        result('SUCCESS', 1, '2026-03-01T04:00:00.000Z'),
      ],
      { mean: null, p95: null },
    );
    expect(data).toEqual([[seconds('2026-03-01T04:00:00Z')], [1], [null], [null], [null]]);
  });
});
