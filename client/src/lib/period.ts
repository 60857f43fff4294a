/** The periods and resolutions the pages offer, as they appear in URLs (`?period=7d`). */
import type { Scalar } from './graphql/graphql.js';

export const PERIODS = {
  '1h': 3600,
  '6h': 6 * 3600,
  '1d': 86400,
  '7d': 7 * 86400,
  '30d': 30 * 86400,
  '90d': 90 * 86400,
  '6m': 182 * 86400,
} as const;
export type Period = keyof typeof PERIODS;

/** The period every page opens with when the URL names none: the same on every page. */
export const DEFAULT_PERIOD: Period = '7d';

/** How a period reads for people. */
export const PERIOD_LABELS: Record<Period, string> = {
  '1h': 'Last hour',
  '6h': 'Last 6 hours',
  '1d': 'Last day',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  '6m': 'Last 6 months',
};

export const RESOLUTIONS = [
  'HOUR',
  'DAY',
  'WEEK',
  'MONTH',
] as const satisfies readonly Scalar<'Resolution'>[];
export type Resolution = (typeof RESOLUTIONS)[number];

export function parsePeriod(text: string, fallback: Period = DEFAULT_PERIOD): Period {
  return Object.hasOwn(PERIODS, text) ? (text as Period) : fallback;
}

export function parseResolution(text: string, fallback: Resolution): Resolution {
  return (RESOLUTIONS as readonly string[]).includes(text) ? (text as Resolution) : fallback;
}

/** The window `period` ending at `now`, as the API's `since`/`until`. */
export function windowOf(period: Period, now: Date = new Date()): { since: string; until: string } {
  return {
    since: new Date(now.getTime() - PERIODS[period] * 1000).toISOString(),
    until: now.toISOString(),
  };
}

/** A resolution that gives a readable number of buckets for a period. */
export function defaultResolution(period: Period): Resolution {
  const seconds = PERIODS[period];
  if (seconds <= 86400) return 'HOUR';
  if (seconds <= 90 * 86400) return 'DAY';
  return 'WEEK';
}
