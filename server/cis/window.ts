/** The windows the figures are asked over: `24h`, `7d`, `2w` back from now, or from a date. */
import { GatewatchError } from '../errors.js';

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;
/** The longest window: ten years. */
export const MAX_WINDOW_MS = 3650 * UNIT_MS.d;
const DATE =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * The start of a window ending `now`: `Nh`, `Nd`, `Nw`, or a date (`2026-11-01`, UTC) or
 * date-time (`2026-11-01T08:00:00Z`; UTC when no zone). Refused: anything else, a start after
 * `now`, a window over ten years.
 */
export function windowStart(text: string, now: Date): Date {
  const trimmed = text.trim();
  const duration = /^(\d{1,6})([hdw])$/.exec(trimmed);
  let start: Date;
  if (duration) {
    start = new Date(
      now.getTime() - Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS],
    );
  } else if (DATE.test(trimmed)) {
    const iso = trimmed.replace(' ', 'T');
    start = new Date(/T/.test(iso) && !/(?:Z|[+-]\d{2}:\d{2})$/.test(iso) ? `${iso}Z` : iso);
  } else {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `--since ${JSON.stringify(text)}: expected a duration such as 24h, 7d or 2w, or a date such as 2026-11-01`,
    );
  }
  if (Number.isNaN(start.getTime())) {
    throw new GatewatchError('BAD_ARGUMENT', `--since ${JSON.stringify(text)}: not a real date`);
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
