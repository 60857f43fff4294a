/** The windows the figures are asked over: `24h`, `7d`, `2w` back from now, or from a date. */
import { sinceInstant } from '../config/parsers.js';
import { GatewatchError } from '../errors.js';

/** The longest window: ten years. */
export const MAX_WINDOW_MS = 3650 * 86_400_000;

/**
 * The start of a window ending `now`: `Nh`, `Nd`, `Nw`, or a date (`2026-11-01`, UTC) or
 * date-time (`2026-11-01T08:00:00Z`; UTC when no zone). Refused: anything else, a start after
 * `now`, a window over ten years.
 */
export function windowStart(text: string, now: Date): Date {
  let start: Date;
  try {
    start = sinceInstant(text, now);
  } catch {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `--since ${JSON.stringify(text)}: expected a duration such as 24h, 7d or 2w, or a date such as 2026-11-01`,
    );
  }
  if (start > now) {
    throw new GatewatchError('BAD_ARGUMENT', `--since ${JSON.stringify(text)}: is in the future`);
  }
  if (now.getTime() - start.getTime() > MAX_WINDOW_MS) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `--since ${JSON.stringify(text)}: windows are at most ten years`,
    );
  }
  return start;
}

/**
 * The window a query asks over: `until` (default now) and `since` (default `until` − `length`).
 * Refused (BAD_ARGUMENT): `since` not before `until`, a window over ten years.
 */
export function queryWindow(
  since: Date | null | undefined,
  until: Date | null | undefined,
  length: number,
): { since: Date; until: Date } {
  const end = until ?? new Date();
  const start = since ?? new Date(end.getTime() - length);
  if (start >= end) throw new GatewatchError('BAD_ARGUMENT', 'since must be before until');
  if (end.getTime() - start.getTime() > MAX_WINDOW_MS) {
    throw new GatewatchError('BAD_ARGUMENT', 'the window is at most ten years');
  }
  return { since: start, until: end };
}

/** What every part of one CI's record is computed over. */
export interface RecordWindow {
  /** The CI's row id. */
  readonly ciId: number;
  readonly since: Date;
  readonly until: Date;
}
