/**
 * Time buckets as the API cuts them (UTC; weeks start on Mondays). The API leaves empty
 * buckets out; charts put them back so that a quiet day reads as zero, not as a line drawn
 * straight across it.
 */
import type { Resolution } from './period.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Where the bucket holding `date` starts. */
export function bucketStart(date: Date, resolution: Resolution): Date {
  const d = new Date(date);
  switch (resolution) {
    case 'HOUR':
      d.setUTCMinutes(0, 0, 0);
      break;
    case 'DAY':
      d.setUTCHours(0, 0, 0, 0);
      break;
    case 'WEEK':
      d.setUTCHours(0, 0, 0, 0);
      d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
      break;
    case 'MONTH':
      d.setUTCHours(0, 0, 0, 0);
      d.setUTCDate(1);
      break;
  }
  return d;
}

function nextStart(start: Date, resolution: Resolution): Date {
  switch (resolution) {
    case 'HOUR':
      return new Date(start.getTime() + HOUR);
    case 'DAY':
      return new Date(start.getTime() + DAY);
    case 'WEEK':
      return new Date(start.getTime() + 7 * DAY);
    case 'MONTH': {
      const d = new Date(start);
      d.setUTCMonth(d.getUTCMonth() + 1);
      return d;
    }
  }
}

/** The start of every bucket overlapping [since, until), oldest first. */
export function bucketStarts(since: Date, until: Date, resolution: Resolution): Date[] {
  const starts: Date[] = [];
  for (let d = bucketStart(since, resolution); d < until; d = nextStart(d, resolution)) {
    starts.push(d);
  }
  return starts;
}

/** `buckets` placed on `starts` by their start: one entry per start, undefined where none. */
export function alignBuckets<T extends { start: string }>(
  buckets: readonly T[],
  starts: readonly Date[],
): (T | undefined)[] {
  const byStart = new Map(buckets.map((b) => [Date.parse(b.start), b]));
  return starts.map((s) => byStart.get(s.getTime()));
}

/** Epoch seconds, the x values of every chart. */
export function epochSeconds(date: Date | string): number {
  return (typeof date === 'string' ? Date.parse(date) : date.getTime()) / 1000;
}
