/**
 * The CI page as plain data: its windows and resolutions, the order of its jobs table (as the
 * URL says it, `?sort=&order=`; unstable jobs first by default) and its chart's columns.
 */
import type uPlot from 'uplot';
import { alignBuckets, epochSeconds } from '../../lib/buckets.js';
import type { Period, Resolution } from '../../lib/period.js';
import type { SortOrder } from '../../lib/test-list.js';
import type { CiBucket, CiJob } from '../../documents/ci.js';

/** The windows a CI's record is looked at over. */
export const CI_PERIODS = ['1d', '7d', '30d', '90d'] as const satisfies readonly Period[];
export const CI_RESOLUTIONS = ['HOUR', 'DAY', 'WEEK'] as const satisfies readonly Resolution[];

export const JOB_SORT_KEYS = ['job', 'builds', 'failureRate', 'flips', 'lastResult'] as const;
export type JobSortKey = (typeof JOB_SORT_KEYS)[number];
export interface JobSort {
  key: JobSortKey;
  order: SortOrder;
}

/** The unstable jobs first: most flips, then highest failure rate (the server's order). */
export const DEFAULT_JOB_SORT: JobSort = { key: 'flips', order: 'desc' };

/** Names and results A→Z, figures biggest first. */
export function defaultJobOrder(key: JobSortKey): SortOrder {
  return key === 'job' || key === 'lastResult' ? 'asc' : 'desc';
}

export function parseJobSort(key: string, order: string): JobSort {
  if (!(JOB_SORT_KEYS as readonly string[]).includes(key)) return DEFAULT_JOB_SORT;
  const known = key as JobSortKey;
  return {
    key: known,
    order: order === 'asc' || order === 'desc' ? order : defaultJobOrder(known),
  };
}

type Value = number | string | null;
const value = (job: CiJob, key: JobSortKey): Value => job[key];

/** Unknowns (no rate, no result) last in either order; ties by instability, then by name. */
function compare(a: Value, b: Value, order: SortOrder): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const sign = order === 'asc' ? 1 : -1;
  return (a < b ? -1 : 1) * sign;
}

export function sortJobs(jobs: readonly CiJob[], sort: JobSort): CiJob[] {
  return [...jobs].sort(
    (a, b) =>
      compare(value(a, sort.key), value(b, sort.key), sort.order) ||
      compare(a.flips, b.flips, 'desc') ||
      compare(a.failureRate, b.failureRate, 'desc') ||
      compare(a.job, b.job, 'asc'),
  );
}

/** Successful and other reports per bucket over every bucket of the window (zeros where none). */
export function reportColumns(
  buckets: readonly CiBucket[],
  starts: readonly Date[],
): uPlot.AlignedData {
  const aligned = alignBuckets(buckets, starts);
  return [
    starts.map(epochSeconds),
    aligned.map((b) => b?.successes ?? 0),
    aligned.map((b) => b?.failures ?? 0),
  ];
}
