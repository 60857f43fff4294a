/** Timing, summary statistics and the units figures are printed in (1 MB = 10^6 bytes). */
import { performance } from 'node:perf_hooks';

/** Seconds `work` takes. */
export async function timed(work: () => unknown): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

/** Seconds of each of `times` runs of `work` (the run index is passed along). */
export async function timeRuns(times: number, work: (run: number) => unknown): Promise<number[]> {
  const seconds: number[] = [];
  for (let run = 0; run < times; run++) seconds.push(await timed(() => work(run)));
  return seconds;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const MB = 1e6;

export function formatBytes(bytes: number): string {
  if (bytes < MB) return `${(bytes / 1000).toFixed(0)} kB`;
  return bytes >= 10 * MB ? `${(bytes / MB).toFixed(0)} MB` : `${(bytes / MB).toFixed(1)} MB`;
}

export function formatSeconds(seconds: number): string {
  return seconds < 1 ? `${(seconds * 1000).toFixed(0)} ms` : `${seconds.toFixed(2)} s`;
}

/** `n` with thousands separators and at most `digits` decimals. */
export function formatCount(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function formatRate(units: number, seconds: number, unit: string): string {
  const rate = units / seconds;
  return `${formatCount(rate, rate < 100 ? 1 : 0)} ${unit}/s`;
}

/** Seconds as `median (min–max)`. */
export function formatSpread(seconds: readonly number[]): string {
  if (seconds.length === 1) return formatSeconds(seconds[0]!);
  return `${formatSeconds(median(seconds))} (${formatSeconds(Math.min(...seconds))}–${formatSeconds(Math.max(...seconds))})`;
}
