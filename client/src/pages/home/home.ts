/**
 * The home page's logic as plain functions: the metadata filter as it reads in URLs, time
 * buckets filled out for charts, the chart columns, links of groups, staleness.
 */
import { alignBuckets, epochSeconds } from '../../lib/buckets.js';
import { hrefOf } from '../../lib/route.js';
import type { GroupSeries } from '../../documents/home.js';

/** The metadata key the home page groups by unless the URL says otherwise. */
export const DEFAULT_GROUP_KEY = 'project';

/** The key whose values are jobs: a group of it is a job, with a page of its own. */
export const JOB_KEY = 'build_name';

/** Data older than this (seconds) earns the stale-data warning: a collector has stalled. */
export const STALE_AFTER_SECONDS = 24 * 3600;

/** How many groups get their own line in the failure-rate chart (the busiest ones). */
export const MAX_CHART_GROUPS = 6;

/** A metadata pair runs must carry (`RunFilter.metadata`). */
export interface MetadataPair {
  key: string;
  value: string;
}

// `:` separates key from value and `,` pairs, so both (and `%`) are escaped inside them;
// everything else, slashes included, stays readable: `where=project:openstack/nova`.
const escapePart = (text: string): string =>
  text.replace(/[%,:]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function unescapePart(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The `where` URL parameter (`project:openstack/nova,branch:master`) as metadata pairs. */
export function parseWhere(text: string): MetadataPair[] {
  const pairs: MetadataPair[] = [];
  for (const part of text.split(',')) {
    const colon = part.indexOf(':');
    if (colon <= 0) continue;
    const key = unescapePart(part.slice(0, colon));
    const value = unescapePart(part.slice(colon + 1));
    // A key given twice keeps its first value, as a filter can hold each key once.
    if (!pairs.some((p) => p.key === key)) pairs.push({ key, value });
  }
  return pairs;
}

/** Metadata pairs as the `where` URL parameter; '' for none. */
export function formatWhere(pairs: readonly MetadataPair[]): string {
  return pairs.map((p) => `${escapePart(p.key)}:${escapePart(p.value)}`).join(',');
}

/** The pairs with `pair` added, replacing any pair of the same key. */
export function withPair(pairs: readonly MetadataPair[], pair: MetadataPair): MetadataPair[] {
  return [...pairs.filter((p) => p.key !== pair.key), pair];
}

/** The pairs without the one of `key`. */
export function withoutKey(pairs: readonly MetadataPair[], key: string): MetadataPair[] {
  return pairs.filter((p) => p.key !== key);
}

/**
 * Where a group's value leads. A job (`build_name`) has its page; any other group opens the
 * home page narrowed to it and grouped by job, so its jobs are one more click away.
 */
export function groupHref(
  key: string,
  value: string,
  view: { period: string; resolution: string; where: readonly MetadataPair[] },
): string {
  if (key === JOB_KEY) return hrefOf({ page: 'job', name: value });
  return hrefOf(
    { page: 'home' },
    {
      group: JOB_KEY,
      period: view.period,
      resolution: view.resolution,
      where: formatWhere(withPair(view.where, { key, value })),
    },
  );
}

/** How the group of the runs lacking the key reads, in the table and the charts alike. */
export const NO_VALUE_LABEL = '(none)';

/** How a group's value reads; runs lacking the key form a group of their own. */
export function groupLabel(value: string | null): string {
  return value ?? NO_VALUE_LABEL;
}

/** failed / (passed + failed); null when both are 0 (as the API's failureRate). */
export function failureRate(passed: number, failed: number): number | null {
  return passed + failed === 0 ? null : failed / (passed + failed);
}

/**
 * Passed and failed runs per bucket (`starts`, from lib/buckets) over all groups, as uPlot
 * columns: x (epoch seconds), passed, failed. Empty buckets are zeros.
 */
export function passFailColumns(
  series: readonly GroupSeries[],
  starts: readonly Date[],
): [number[], number[], number[]] {
  const passed = starts.map(() => 0);
  const failed = starts.map(() => 0);
  for (const group of series) {
    alignBuckets(group.buckets, starts).forEach((bucket, i) => {
      passed[i]! += bucket?.passedRuns ?? 0;
      failed[i]! += bucket?.failedRuns ?? 0;
    });
  }
  return [starts.map(epochSeconds), passed, failed];
}

/** The series with the most runs, busiest first (ties by label), at most `limit`. */
export function busiestGroups(
  series: readonly GroupSeries[],
  limit = MAX_CHART_GROUPS,
): GroupSeries[] {
  const runs = (g: GroupSeries) => g.buckets.reduce((sum, b) => sum + b.runs, 0);
  return [...series]
    .sort((a, b) => runs(b) - runs(a) || (a.value ?? '\uffff').localeCompare(b.value ?? '\uffff'))
    .slice(0, limit);
}

/**
 * Failure rate per bucket as uPlot columns: x (epoch seconds), the rate over all groups, then
 * one column per group of `shown`. Buckets without passed or failed runs are gaps (null).
 */
export function failureRateColumns(
  series: readonly GroupSeries[],
  shown: readonly GroupSeries[],
  starts: readonly Date[],
): (number | null)[][] {
  const [x, passed, failed] = passFailColumns(series, starts);
  const overall = starts.map((_, i) => failureRate(passed[i]!, failed[i]!));
  const perGroup = shown.map((group) =>
    alignBuckets(group.buckets, starts).map((b) =>
      b ? failureRate(b.passedRuns, b.failedRuns) : null,
    ),
  );
  return [x, overall, ...perGroup];
}

/**
 * How old (seconds) the newest run is at `now`, the end of the page's window: the page's one
 * clock, so the warning agrees with the period shown. Null when there is no run.
 */
export function ageAt(newestRunAt: string | null, now: string): number | null {
  return newestRunAt === null ? null : (Date.parse(now) - Date.parse(newestRunAt)) / 1000;
}

/** Whether data of this age (seconds; null: no data at all) is stale. */
export function isStale(ageSeconds: number | null, threshold = STALE_AFTER_SECONDS): boolean {
  return ageSeconds === null || ageSeconds > threshold;
}

/** Distinct line colours for groups, readable on white (the overall line is the text colour). */
export const GROUP_COLOURS = [
  '#0b5cad',
  '#b3261e',
  '#1f7a3a',
  '#8a4baf',
  '#b35c00',
  '#00798c',
  '#6b6b00',
  '#c2185b',
] as const;
