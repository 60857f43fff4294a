/**
 * The job page's charts as uPlot data: the API's buckets laid on every bucket of the period
 * (counts of an empty bucket are zeros, its rates unknown) and the run times with their band.
 */
import type uPlot from 'uplot';
import { alignBuckets, epochSeconds } from '../../lib/buckets.js';
import { STATUS_COLORS } from '../../lib/colors.js';
import { formatDuration, formatDurationTicks } from '../../lib/format.js';
import type { JobBucket, RunTime } from '../../documents/job.js';

const percent = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? null : rate * 100;

/** One series per `value` over every bucket of the period (`undefined` for an empty one). */
function perBucket(
  buckets: readonly JobBucket[],
  starts: readonly Date[],
  values: ((bucket: JobBucket | undefined) => number | null)[],
): uPlot.AlignedData {
  const aligned = alignBuckets(buckets, starts);
  return [starts.map(epochSeconds), ...values.map((value) => aligned.map(value))];
}

/** Passed, failed and skipped runs per bucket. */
export function runCountsData(
  buckets: readonly JobBucket[],
  starts: readonly Date[],
): uPlot.AlignedData {
  return perBucket(buckets, starts, [
    (b) => b?.passedRuns ?? 0,
    (b) => b?.failedRuns ?? 0,
    (b) => b?.skippedRuns ?? 0,
  ]);
}

/** Passing, failing and skipped test results per bucket. */
export function testCountsData(
  buckets: readonly JobBucket[],
  starts: readonly Date[],
): uPlot.AlignedData {
  return perBucket(buckets, starts, [
    (b) => b?.testPasses ?? 0,
    (b) => b?.testFailures ?? 0,
    (b) => b?.testSkips ?? 0,
  ]);
}

/** Test and run failure rates per bucket, in percent; null where nothing passed or failed. */
export function failureRateData(
  buckets: readonly JobBucket[],
  starts: readonly Date[],
): uPlot.AlignedData {
  return perBucket(buckets, starts, [
    (b) => percent(b?.testFailureRate),
    (b) => percent(b?.failureRate),
  ]);
}

/** Wall time of each run, the rolling mean and its ±2σ band (never below zero). */
export function runTimeData(points: readonly RunTime[]): uPlot.AlignedData {
  return [
    points.map((p) => epochSeconds(p.runAt)),
    points.map((p) => p.wallTime),
    points.map((p) => p.rollingMean),
    points.map((p) => p.upper),
    points.map((p) => Math.max(0, p.lower)),
  ];
}

const counts = (label: string, stroke: string): uPlot.Series => ({
  label,
  stroke,
  width: 2,
  points: { show: true, size: 4 },
});

export const COUNT_SERIES: uPlot.Series[] = [
  counts('Passed', STATUS_COLORS.pass),
  counts('Failed', STATUS_COLORS.fail),
  counts('Skipped', STATUS_COLORS.skip),
];

const percentValue = (_: uPlot, value: number | null) =>
  value === null ? '–' : `${value.toFixed(1)}%`;

export const RATE_SERIES: uPlot.Series[] = [
  { label: 'Test failure rate', stroke: STATUS_COLORS.fail, width: 2, value: percentValue },
  {
    label: 'Run failure rate',
    stroke: STATUS_COLORS.neutral,
    width: 1.5,
    dash: [6, 4],
    value: percentValue,
  },
];

export const RATE_OPTIONS: Partial<uPlot.Options> = {
  scales: { y: { range: (_u, _min, max) => [0, Math.max(10, Math.ceil((max ?? 0) / 10) * 10)] } },
  axes: [{}, { values: (_u, ticks) => ticks.map((t) => `${t}%`) }],
};

const seconds = (_: uPlot, value: number | null) => formatDuration(value);

export const RUN_TIME_SERIES: uPlot.Series[] = [
  {
    label: 'Wall time',
    stroke: STATUS_COLORS.neutral,
    width: 1,
    points: { show: true, size: 5 },
    value: seconds,
  },
  { label: 'Rolling mean', stroke: STATUS_COLORS.skip, width: 2, value: seconds },
  { label: 'Mean + 2σ', stroke: '#7d8793', width: 1, dash: [4, 4], value: seconds },
  { label: 'Mean − 2σ', stroke: '#7d8793', width: 1, dash: [4, 4], value: seconds },
];

export const RUN_TIME_OPTIONS: Partial<uPlot.Options> = {
  // Series 3 and 4 (upper, lower) bound the band of usual run times.
  bands: [{ series: [3, 4], fill: 'rgba(125, 135, 147, 0.15)' }],
  axes: [{}, { values: (_u, ticks) => formatDurationTicks(ticks) }],
};
