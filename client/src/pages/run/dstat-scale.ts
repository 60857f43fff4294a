/**
 * The y scales of the dstat lanes: from zero to a round top, in one unit per lane (named in
 * the lane's title) so that the ticks are short plain numbers that fit the timeline's gutter.
 */
import { formatNumber } from '../../lib/format.js';

export interface LaneScale {
  /** What the ticks count: `%`, `MB`, `kB/s`. */
  unit: string;
  /** Raw values per unit (1,000,000 for MB). */
  divisor: number;
  /** The top of the scale, in raw values. */
  max: number;
}

/** The smallest 1, 2 or 5 × 10ⁿ at or above `value` (1 for nothing above zero). */
export function roundUp(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((m) => m * power >= value * (1 - 1e-9))!;
  return step * power;
}

export const PERCENT_SCALE: LaneScale = { unit: '%', divisor: 1, max: 100 };

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/**
 * A byte scale (decimal units, as dstat's own output) for values up to `largest`: its top is
 * the round number above the largest value, its unit the one that writes that top under 1,000.
 */
export function byteScale(largest: number, suffix = ''): LaneScale {
  const max = roundUp(largest);
  let unit = 0;
  while (max / 1000 ** unit >= 1000 && unit < BYTE_UNITS.length - 1) unit++;
  return { unit: `${BYTE_UNITS[unit]}${suffix}`, divisor: 1000 ** unit, max };
}

/** Tick labels of a lane: the ticks in its unit, decimals as their spacing needs. */
export function laneTicks(scale: LaneScale, ticks: readonly number[]): string[] {
  const step = ticks.length > 1 ? Math.abs(ticks[1]! - ticks[0]!) / scale.divisor : 1;
  return ticks.map((t) => formatNumber(t / scale.divisor, step));
}

/** The largest value of some columns (0 when they hold none). */
export function largestOf(columns: readonly (readonly (number | null)[])[]): number {
  let largest = 0;
  for (const column of columns) for (const v of column) if (v !== null && v > largest) largest = v;
  return largest;
}
