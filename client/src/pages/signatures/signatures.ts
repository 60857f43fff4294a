/**
 * The signatures pages' logic apart from Svelte: the "new" mark, what a rule looks at, and the
 * charts' data (README "Failure signatures and known issues").
 */
import type uPlot from 'uplot';
import { alignBuckets, bucketStarts, epochSeconds } from '../../lib/buckets.js';
import type { Scalar } from '../../lib/graphql/graphql.js';
import { PERIODS, type Period } from '../../lib/period.js';

/** Signatures per page of the clusters table. */
export const PAGE_SIZE = 50;

/** A signature first seen this recently (days before now) is marked "new". */
export const NEW_WITHIN_DAYS = 7;

/** The `since` choices of the clusters table; none (all time) is the default. */
export const SINCE_PERIODS: readonly Period[] = ['1d', '7d', '30d', '90d', '6m'];

export function parseSince(text: string): Period | null {
  return (SINCE_PERIODS as readonly string[]).includes(text) ? (text as Period) : null;
}

/** The API's `since` for a period ending at `now`; null for all time. */
export function sinceOf(period: Period | null, now: Date = new Date()): string | null {
  return period === null ? null : new Date(now.getTime() - PERIODS[period] * 1000).toISOString();
}

export type SignatureResolution = Scalar<'SignatureResolution'>;

/** The detail chart's buckets from the URL: by day unless `WEEK`. */
export function parseSignatureResolution(text: string): SignatureResolution {
  return text === 'WEEK' ? 'WEEK' : 'DAY';
}

export function isNew(firstSeen: string, now: Date = new Date()): boolean {
  return now.getTime() - Date.parse(firstSeen) <= NEW_WITHIN_DAYS * 86_400_000;
}

/** What a rule's pattern is matched against, for people. */
export const FIELD_LABELS = {
  FINGERPRINT: 'fingerprint',
  MESSAGE: 'exception line',
  TEST: 'test id',
  TRACEBACK: 'traceback',
} as const;

/** The flags' definitions, shown on hover and in the legend. */
export const FLAG_DEFINITIONS = {
  imprecise: 'More than the set share of its hits fall on runs that passed after retries.',
  stale: 'No hit for the set time (30 days by default).',
  disabled: 'A match ran out of time: the rule is no longer applied.',
} as const;

/**
 * Failing results with a signature and those with a known cause, on every day from the first
 * point to `until`: the API leaves quiet days out, and they read as zeros.
 */
export function knownCauseData(
  points: readonly { start: string; failures: number; known: number }[],
  until: Date = new Date(),
): uPlot.AlignedData {
  const first = points[0];
  if (!first) return [[], [], []];
  const starts = bucketStarts(new Date(first.start), until, 'DAY');
  const aligned = alignBuckets(points, starts);
  return [
    starts.map(epochSeconds),
    aligned.map((p) => p?.failures ?? 0),
    aligned.map((p) => p?.known ?? 0),
  ];
}

/** A signature's failures and runs per bucket. */
export function overTimeData(
  points: readonly { start: string; failures: number; runs: number }[],
): uPlot.AlignedData {
  return [
    points.map((p) => epochSeconds(p.start)),
    points.map((p) => p.failures),
    points.map((p) => p.runs),
  ];
}
