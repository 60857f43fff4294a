/** How numbers and times read on every page. */

export function formatPercent(rate: number | null | undefined, digits = 1): string {
  return rate === null || rate === undefined ? '–' : `${(rate * 100).toFixed(digits)}%`;
}

/** Seconds as `420 µs`, `850 ms`, `12.3 s`, `4 min 05 s`, `1 h 02 min`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  // Rounded first: 0.9996 ms reads `1 ms`, not `1000 µs`.
  const micros = Math.round(seconds * 1e6);
  if (micros < 1000) return `${micros} µs`;
  const millis = Math.round(seconds * 1000);
  if (millis < 1000) return `${millis} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** An instant as `2026-11-22 15:09 UTC` (24 h, UTC, as every series is bucketed). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** How long ago, roughly: `5 min`, `3 h`, `2 days`. */
export function formatAge(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min`;
  if (seconds < 2 * 86400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} days`;
}

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : n.toLocaleString('en-US');
}

/** Node-hours (recheck cost): `0.25 h`, `3.10 h`, `42 h`, `1,250 h`. */
export function formatHours(hours: number): string {
  return hours < 10 ? `${hours.toFixed(2)} h` : `${Math.round(hours).toLocaleString('en-US')} h`;
}

/** Bytes in binary units, three significant digits: `512 B`, `1.50 KiB`, `12.3 MiB`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  const digits = value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** The units a duration axis reads in, largest first: each applies from its size up. */
const DURATION_UNITS = [
  { unit: 'h', seconds: 3600, from: 3 * 3600 },
  { unit: 'min', seconds: 60, from: 3 * 60 },
  { unit: 's', seconds: 1, from: 1 },
  { unit: 'ms', seconds: 1e-3, from: 1e-3 },
  { unit: 'µs', seconds: 1e-6, from: 0 },
] as const;

/**
 * The labels of a duration axis (ticks in seconds, evenly spaced): every tick in the one unit
 * that suits the largest, with as many decimals as the spacing needs: `0 ms`, `0.5 ms`, `1 ms`;
 * `0 s`, `30 s`, `60 s`; `0 µs`, `200 µs`.
 */
export function formatDurationTicks(ticks: readonly number[]): string[] {
  const largest = Math.max(0, ...ticks.map(Math.abs));
  const spacing = ticks.length > 1 ? Math.abs(ticks[1]! - ticks[0]!) : 0;
  // The unit of the largest tick, or a smaller one when ticks would read 8.333 min.
  let index = DURATION_UNITS.findIndex((u) => largest >= u.from);
  while (
    index < DURATION_UNITS.length - 1 &&
    spacing > 0 &&
    decimalsOf(spacing / DURATION_UNITS[index]!.seconds) > 1
  ) {
    index++;
  }
  const { unit, seconds } = DURATION_UNITS[index]!;
  const step = spacing > 0 ? spacing / seconds : 1;
  return ticks.map((t) => `${formatNumber(t / seconds, step)} ${unit}`);
}

/** `value` with the decimals that tell ticks `step` apart (at most 3), thousands separated. */
export function formatNumber(value: number, step: number): string {
  const digits = decimalsOf(step);
  // Never `-0`.
  const rounded = Number(value.toFixed(digits)) || 0;
  return rounded.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** The fewest decimals (at most 3) that write multiples of `step` exactly: 2.5 → 1, 0.25 → 2. */
export function decimalsOf(step: number): number {
  for (let digits = 0; digits < 3; digits++) {
    const scaled = step * 10 ** digits;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return digits;
  }
  return 3;
}

const DAY = 86400;
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The labels of a time axis (ticks in epoch seconds, `step` apart), in UTC and 24 h as every
 * time on the pages: `HH:mm` (`HH:mm:ss` under a minute) with the date under the first tick
 * and under each new day, `MM-DD` with the year under the first tick and each new year, or
 * `YYYY-MM`. The first tick also says `UTC`.
 */
export function formatTimeTicks(ticks: readonly number[], step: number): string[] {
  let previous: Date | null = null;
  return ticks.map((t, i) => {
    const d = new Date(t * 1000);
    const year = String(d.getUTCFullYear());
    const month = pad(d.getUTCMonth() + 1);
    const date = `${year}-${month}-${pad(d.getUTCDate())}`;
    const before = previous;
    previous = d;
    const utc = i === 0 ? ' UTC' : '';
    if (step >= 28 * DAY) return `${year}-${month}${utc}`;
    if (step >= DAY) {
      const newYear = !before || before.getUTCFullYear() !== d.getUTCFullYear();
      return `${month}-${pad(d.getUTCDate())}${newYear ? `\n${year}${utc}` : ''}`;
    }
    const clock =
      `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` +
      (step < 60 ? `:${pad(d.getUTCSeconds())}` : '');
    const newDay = !before || before.toISOString().slice(0, 10) !== date;
    return `${clock}${newDay ? `\n${date}${utc}` : ''}`;
  });
}
