/**
 * The few places SQLite and MySQL differ in the read queries: how a datetime is stored and
 * how it is cut into buckets. Every analytic query builds on these, so both dialects answer
 * the same numbers.
 */
import type { Dialect } from './orm.js';

export type Resolution = 'hour' | 'day' | 'week' | 'month';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** 1970-01-05, the first Monday after the epoch: weeks start on Mondays (ISO 8601). */
const MONDAY = 4 * DAY;

/**
 * SQL for the start of the bucket holding `column` (a datetime column), in epoch ms (UTC).
 * MikroORM stores datetimes as epoch ms on SQLite and as UTC DATETIME on MySQL.
 */
export function bucketStartMs(dialect: Dialect, column: string, resolution: Resolution): string {
  if (dialect === 'sqlite') {
    switch (resolution) {
      case 'hour':
        return `((${column} / ${HOUR}) * ${HOUR})`;
      case 'day':
        return `((${column} / ${DAY}) * ${DAY})`;
      case 'week':
        return `(((${column} - ${MONDAY}) / ${WEEK}) * ${WEEK} + ${MONDAY})`;
      case 'month':
        return `(cast(strftime('%s', ${column} / 1000, 'unixepoch', 'start of month') as integer) * 1000)`;
    }
  }
  const epoch = `'1970-01-01 00:00:00'`;
  switch (resolution) {
    case 'hour':
      return `(timestampdiff(hour, ${epoch}, ${column}) * ${HOUR})`;
    case 'day':
      return `(timestampdiff(day, ${epoch}, ${column}) * ${DAY})`;
    case 'week':
      return `(floor((timestampdiff(day, ${epoch}, ${column}) - 4) / 7) * ${WEEK} + ${MONDAY})`;
    case 'month':
      return `(timestampdiff(second, ${epoch}, date_format(${column}, '%Y-%m-01')) * 1000)`;
  }
}

/** A datetime column read back as epoch ms, in either dialect. */
export function epochMs(dialect: Dialect, column: string): string {
  return dialect === 'sqlite'
    ? column
    : `(timestampdiff(microsecond, '1970-01-01 00:00:00', ${column}) div 1000)`;
}

/** A Date as the value a datetime column is compared with. */
export function timeParam(dialect: Dialect, date: Date): number | Date {
  return dialect === 'sqlite' ? date.getTime() : date;
}

/** A datetime column's value, as the driver returns it, as a Date. */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value));
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return new Date(Number(value));
    // A driver's DATETIME text is UTC without a zone; JSON (a row sent over the event bus)
    // carries its zone.
    return new Date(/(?:Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`);
  }
  throw new TypeError(`not a datetime: ${String(value)}`);
}

/** The UTC day of an instant (`'YYYY-MM-DD'`): how the daily rollups key their rows. */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/**
 * SQL for the start of the bucket holding `column`, a DATE column (`'YYYY-MM-DD'`, a UTC day,
 * as the rollups store it), in epoch ms: the same buckets as {@link bucketStartMs}. SQLite
 * keeps such dates as text, MySQL as DATE.
 */
export function dateBucketStartMs(
  dialect: Dialect,
  column: string,
  resolution: Resolution,
): string {
  return dialect === 'sqlite'
    ? bucketStartMs(dialect, `(cast(strftime('%s', ${column}) as integer) * 1000)`, resolution)
    : bucketStartMs(dialect, column, resolution);
}

/**
 * A text expression compared and sorted byte by byte (code point order), as SQLite's default
 * BINARY collation does. MySQL's utf8mb4_bin (every text column's collation) is case-sensitive
 * too but pads with spaces, so `'a'` and `'a '` compare equal there: orders and keyset cursors
 * that must agree to the byte use this.
 */
export function bytewise(dialect: Dialect, expression: string): string {
  return dialect === 'sqlite' ? expression : `cast(${expression} as binary)`;
}

/** A datetime column's value as it is compared in SQL, for a keyset cursor to hold. */
export function cursorTime(dialect: Dialect, value: unknown): string | number {
  return dialect === 'sqlite'
    ? Number(value)
    : toDate(value).toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * SQL true on the row of rank `k` (1-based, ascending) among `n` that holds the nearest-rank
 * `percent`-th percentile, the ⌈p·n/100⌉-th smallest: `100·k ≥ p·n > 100·(k − 1)`, in
 * integers, so both dialects pick the same row without dividing. `k` and `n` are SQL
 * expressions (a `row_number()` and a `count(*)` over the same rows).
 */
export function isNearestRank(percent: number, k = 'k', n = 'n'): string {
  return `100 * ${k} >= ${percent} * ${n} and 100 * (${k} - 1) < ${percent} * ${n}`;
}
