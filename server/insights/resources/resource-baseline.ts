/**
 * A test's resource context, computed from a run's dstat recording: per column, the mean of
 * the samples taken while the test ran against the recording's baseline (median and robust
 * spread), and whether the test's share lies far outside it.
 *
 * Robust z-score (Iglewicz and Hoaglin's modified z-score): (during − median) / spread, where
 * spread = 1.4826 · MAD (the median absolute deviation, scaled to estimate a standard
 * deviation), or 1.2533 · the mean absolute deviation when the MAD is 0 (a column idle most
 * of the time, such as CPU wait), and at least `minSpread` × the column's range over the
 * recording: a column idle most of the time (disk reads of a few KiB/s) has a MAD near 0, and
 * its trivial wobbles would score high without that floor. Medians, not means: the load under
 * test is itself part of the recording, and a few extreme samples must not move the baseline.
 */

/** What decides a flag (the `resources` settings section). */
export interface ResourceSettings {
  readonly columns: readonly string[];
  /** |robust z-score| above which a column is flagged. */
  readonly threshold: number;
  /** Fewest baseline samples a column needs before it flags anything. */
  readonly minSamples: number;
  /** The smallest spread, as a share of the column's range (max − min) over the recording. */
  readonly minSpread: number;
}

export interface ResourceColumnContext {
  key: string;
  /** Mean of the samples covering the test; null when none does. */
  during: number | null;
  /** Samples covering the test. */
  samples: number;
  /** Median over the recording. */
  baseline: number | null;
  spread: number | null;
  /** (during − baseline) / spread; null when either is unknown or the spread is 0. */
  score: number | null;
  flagged: boolean;
}

const MAD_TO_SD = 1.4826;
const MEAN_AD_TO_SD = 1.2533;

/**
 * The context of a test that ran from `startMs` to `stopMs` (epoch ms), for each of `columns`
 * (dstat series over the sample `times`). A dstat sample at time t describes the interval
 * (t − step, t], step being the usual spacing of samples: it covers the test when that
 * interval meets the test's. dstat's first row averages since boot, so it is left out.
 */
export function resourceContext(
  times: readonly number[],
  columns: readonly { key: string; values: readonly (number | null)[] }[],
  startMs: number,
  stopMs: number,
  settings: ResourceSettings,
): ResourceColumnContext[] {
  const step = median(times.slice(1).map((t, i) => t - times[i]!)) ?? 0;
  const covering = (i: number) => times[i]! > startMs && times[i]! - step < stopMs;
  return columns.map(({ key, values }) => {
    const recorded: number[] = [];
    const during: number[] = [];
    for (let i = 1; i < values.length && i < times.length; i++) {
      const value = values[i];
      if (value === null || value === undefined) continue;
      recorded.push(value);
      if (covering(i)) during.push(value);
    }
    const baseline = median(recorded);
    const spread =
      baseline === null
        ? null
        : Math.max(spreadAround(recorded, baseline), settings.minSpread * rangeOf(recorded));
    const mean = during.length === 0 ? null : during.reduce((a, b) => a + b, 0) / during.length;
    const score = mean === null || baseline === null || !spread ? null : (mean - baseline) / spread;
    return {
      key,
      during: mean,
      samples: during.length,
      baseline,
      spread,
      score,
      flagged:
        score !== null &&
        recorded.length >= settings.minSamples &&
        Math.abs(score) > settings.threshold,
    };
  });
}

function spreadAround(values: readonly number[], center: number): number {
  const deviations = values.map((v) => Math.abs(v - center));
  const mad = median(deviations) ?? 0;
  if (mad > 0) return MAD_TO_SD * mad;
  return (MEAN_AD_TO_SD * deviations.reduce((a, b) => a + b, 0)) / deviations.length;
}

function rangeOf(values: readonly number[]): number {
  let [low, high] = [Infinity, -Infinity];
  for (const v of values) [low, high] = [Math.min(low, v), Math.max(high, v)];
  return high - low;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
