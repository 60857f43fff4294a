/**
 * The test page's charts as uPlot data: daily results on every day of the period, and each
 * result's duration as a point beside the mean and 95th percentile of the successful ones.
 */
import type uPlot from 'uplot';
import { alignBuckets, epochSeconds } from '../../lib/buckets.js';
import { STATUS_COLORS } from '../../lib/colors.js';
import type { Scalar } from '../../lib/graphql/graphql.js';
import { formatDuration, formatDurationTicks } from '../../lib/format.js';
import type { TestBucket, TimedResult } from '../../documents/test.js';

type TestStatus = Scalar<'TestStatus'>;

/** Passes (success, xfail), failures (fail, uxsuccess) and skips per bucket; zeros where none. */
export function historyData(
  buckets: readonly TestBucket[],
  starts: readonly Date[],
): uPlot.AlignedData {
  const aligned = alignBuckets(buckets, starts);
  return [
    starts.map(epochSeconds),
    aligned.map((b) => b?.successes ?? 0),
    aligned.map((b) => b?.failures ?? 0),
    aligned.map((b) => b?.skips ?? 0),
  ];
}

const PASSING: readonly TestStatus[] = ['SUCCESS', 'XFAIL'];
const FAILING: readonly TestStatus[] = ['FAIL', 'UXSUCCESS'];

/**
 * One point per passing or failing result with a duration, oldest first, at its start (its
 * run's start when it has none): x, passing durations, failing durations, then the mean and
 * the 95th percentile as flat lines (null when unknown).
 */
export function durationData(
  results: readonly TimedResult[],
  stats: { mean: number | null; p95: number | null },
): uPlot.AlignedData {
  const points = results
    .filter(
      (r) => r.duration !== null && (PASSING.includes(r.status) || FAILING.includes(r.status)),
    )
    .map((r) => ({
      x: epochSeconds(r.startTime ?? r.run.runAt),
      y: r.duration!,
      failed: FAILING.includes(r.status),
    }))
    .sort((a, b) => a.x - b.x);
  return [
    points.map((p) => p.x),
    points.map((p) => (p.failed ? null : p.y)),
    points.map((p) => (p.failed ? p.y : null)),
    points.map(() => stats.mean),
    points.map(() => stats.p95),
  ];
}

const seconds = (_: uPlot, value: number | null) => formatDuration(value);
const dots = (label: string, stroke: string): uPlot.Series => ({
  label,
  stroke,
  fill: stroke,
  paths: () => null,
  points: { show: true, size: 6, fill: stroke },
  value: seconds,
});

export const DURATION_SERIES: uPlot.Series[] = [
  dots('Passed', STATUS_COLORS.pass),
  dots('Failed', STATUS_COLORS.fail),
  {
    label: 'Mean',
    stroke: STATUS_COLORS.neutral,
    width: 2,
    value: seconds,
    points: { show: false },
  },
  {
    label: 'p95',
    stroke: STATUS_COLORS.skip,
    width: 2,
    dash: [6, 4],
    value: seconds,
    points: { show: false },
  },
];

export const DURATION_OPTIONS: Partial<uPlot.Options> = {
  scales: { y: { range: (_u, _min, max) => [0, (max ?? 1) * 1.1 || 1] } },
  axes: [{}, { values: (_u, ticks) => formatDurationTicks(ticks) }],
};

export const HISTORY_SERIES: uPlot.Series[] = [
  { label: 'Passed', stroke: STATUS_COLORS.pass, width: 2, points: { show: true, size: 4 } },
  { label: 'Failed', stroke: STATUS_COLORS.fail, width: 2, points: { show: true, size: 4 } },
  { label: 'Skipped', stroke: STATUS_COLORS.skip, width: 2, points: { show: true, size: 4 } },
];
