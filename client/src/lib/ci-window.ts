/**
 * The windows the CI pages offer, as CI Watch did: the last 24 h, 48 h or 7 days, or a chosen
 * range, as they appear in URLs (`?window=48h`, `?window=custom&since=…&until=…`).
 */

export const CI_WINDOWS = {
  '24h': 24 * 3600,
  '48h': 48 * 3600,
  '7d': 7 * 86400,
} as const;
export type CiWindowPreset = keyof typeof CI_WINDOWS;
export type CiWindowName = CiWindowPreset | 'custom';

export const CI_WINDOW_LABELS: Record<CiWindowName, string> = {
  '24h': 'Last 24 hours',
  '48h': 'Last 48 hours',
  '7d': 'Last 7 days',
  custom: 'Chosen range',
};

/** A window as the API takes it, and what the page says about it when the URL was wrong. */
export interface CiWindow {
  readonly name: CiWindowName;
  readonly since: string;
  readonly until: string;
  /** Set when the URL's range could not be used (and the preset `fallback` is shown). */
  readonly problem?: string;
}

/** The longest chosen range: what the server's queries are sized for. */
export const MAX_RANGE_DAYS = 90;

/** `2026-05-13T12:30` (a `datetime-local` value, read as UTC) or any ISO instant; null if neither. */
export function parseInstant(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return null;
  const offset = /[zZ]|[+-]\d{2}:\d{2}$/.test(text);
  const date = new Date(offset ? text : `${text}Z`);
  if (Number.isNaN(date.getTime())) return null;
  // Date rolls a day the calendar lacks over (Feb 30 → Mar 2): refuse it instead.
  return offset || date.toISOString().slice(0, 16) === text.slice(0, 16) ? date : null;
}

/** An instant as a `datetime-local` value in UTC (`2026-05-13T12:30`). */
export function localValue(iso: string): string {
  return iso.slice(0, 16);
}

/**
 * The window the URL's parameters (`param`) name, ending at `now` for a preset. A custom range that does not read
 * (a bad instant, an end before its start, longer than {@link MAX_RANGE_DAYS}) gives the
 * `fallback` preset with the reason.
 */
export function ciWindowOf(
  param: (name: 'window' | 'since' | 'until') => string,
  now: Date,
  fallback: CiWindowPreset,
): CiWindow {
  const preset = (name: CiWindowPreset, problem?: string): CiWindow => ({
    name,
    since: new Date(now.getTime() - CI_WINDOWS[name] * 1000).toISOString(),
    until: now.toISOString(),
    ...(problem === undefined ? {} : { problem }),
  });
  const name = param('window');
  if (name !== 'custom') {
    return preset(Object.hasOwn(CI_WINDOWS, name) ? (name as CiWindowPreset) : fallback);
  }
  const since = parseInstant(param('since'));
  const until = parseInstant(param('until'));
  if (since === null || until === null) {
    return preset(fallback, 'The chosen range needs a start and an end (UTC).');
  }
  if (since >= until) return preset(fallback, 'The chosen range ends before it starts.');
  if (until.getTime() - since.getTime() > MAX_RANGE_DAYS * 86400_000) {
    return preset(fallback, `The chosen range is longer than ${MAX_RANGE_DAYS} days.`);
  }
  return { name: 'custom', since: since.toISOString(), until: until.toISOString() };
}

/** The URL parameters of a window (the preset `fallback` is left out: it is the default). */
export function ciWindowParams(
  window: { name: CiWindowName; since?: string; until?: string },
  fallback: CiWindowPreset,
): Record<string, string | null> {
  if (window.name !== 'custom') {
    return { window: window.name === fallback ? null : window.name, since: null, until: null };
  }
  return {
    window: 'custom',
    since: window.since ? localValue(window.since) : null,
    until: window.until ? localValue(window.until) : null,
  };
}
