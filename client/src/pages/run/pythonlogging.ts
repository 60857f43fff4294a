/**
 * A `pythonlogging:''` attachment (what fixtures capture from Python's `logging`) split into
 * records, each with its level, so that a reader can hide the DEBUG noise.
 */

export const LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
export type Level = (typeof LEVELS)[number];

export interface LogRecord {
  /** Null for lines before the first record (they are always shown). */
  level: Level | null;
  /** The record's lines, continuation lines (request bodies, tracebacks) included. */
  text: string;
}

/** Names loggers print beyond the standard five, as the level they stand for. */
const ALIASES: Record<string, Level> = {
  WARN: 'WARNING',
  FATAL: 'CRITICAL',
  // oslo.log's old traceback lines, and its AUDIT level (between INFO and WARNING).
  TRACE: 'ERROR',
  AUDIT: 'INFO',
};

const NAMES = '(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL|TRACE|AUDIT)';

/**
 * A record starts with a timestamp followed, after an optional pid, by its level
 * (`2018-09-28 02:46:35,903 26441 INFO [tempest…]`: oslo.log and most `asctime` formats), or
 * with the level and a colon (`WARNING:root:…`: logging's default format).
 */
const RECORD_START = new RegExp(
  `^(?:\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?\\s+(?:\\d+\\s+)?${NAMES}\\b|${NAMES}:)`,
);

export function parseLog(text: string): LogRecord[] {
  const records: LogRecord[] = [];
  let lines: string[] = [];
  let level: Level | null = null;
  const flush = () => {
    if (lines.length > 0) records.push({ level, text: lines.join('\n') });
  };
  const all = text.split('\n');
  // A trailing newline ends the last line; it does not start an empty one.
  if (all.at(-1) === '') all.pop();
  for (const line of all) {
    const match = RECORD_START.exec(line);
    if (match) {
      flush();
      lines = [line];
      const name = (match[1] ?? match[2])!;
      level = ALIASES[name] ?? (name as Level);
    } else {
      lines.push(line);
    }
  }
  flush();
  return records;
}

/** Records at `minimum` or above, and the lines before the first record. */
export function filterByLevel(records: readonly LogRecord[], minimum: Level): LogRecord[] {
  const floor = LEVELS.indexOf(minimum);
  return records.filter((r) => r.level === null || LEVELS.indexOf(r.level) >= floor);
}

/** The `level` URL parameter as a level; DEBUG (everything) when absent or unknown. */
export function parseLevel(param: string): Level {
  const upper = param.toUpperCase();
  return (LEVELS as readonly string[]).includes(upper) ? (upper as Level) : 'DEBUG';
}
