/** How numbers and times read on every page. */
import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatCount,
  formatHours,
  formatDuration,
  formatDurationTicks,
  formatNumber,
  formatPercent,
  formatTime,
  formatTimeTicks,
} from '../../client/src/lib/format.js';

describe('formats', () => {
  it('percentages, with a dash for no rate', () => {
    expect(formatPercent(0.25)).toBe('25.0%');
    expect(formatPercent(1 / 3)).toBe('33.3%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(0.256, 0)).toBe('26%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(null)).toBe('–');
    expect(formatPercent(undefined)).toBe('–');
  });

  it('durations from microseconds to hours', () => {
    expect(formatDuration(0.85)).toBe('850 ms');
    expect(formatDuration(0)).toBe('0 µs');
    // Most unit tests: under a millisecond, never "0 ms".
    expect(formatDuration(0.000412)).toBe('412 µs');
    expect(formatDuration(0.0000004)).toBe('0 µs');
    expect(formatDuration(0.0009996)).toBe('1 ms');
    expect(formatDuration(0.0123)).toBe('12 ms');
    expect(formatDuration(12.34)).toBe('12.3 s');
    expect(formatDuration(245)).toBe('4 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(null)).toBe('–');
  });

  it('instants in UTC to the minute', () => {
    expect(formatTime('2026-11-22T15:09:14.000Z')).toBe('2026-11-22 15:09 UTC');
    expect(formatTime(null)).toBe('–');
    expect(formatTime('')).toBe('–');
  });

  it('duration axes in the one unit that suits their largest tick', () => {
    expect(formatDurationTicks([0, 0.0005, 0.001, 0.0015])).toEqual([
      '0.0 ms',
      '0.5 ms',
      '1.0 ms',
      '1.5 ms',
    ]);
    expect(formatDurationTicks([0, 0.0002, 0.0004])).toEqual(['0 µs', '200 µs', '400 µs']);
    expect(formatDurationTicks([0, 0.25, 0.5])).toEqual(['0 ms', '250 ms', '500 ms']);
    expect(formatDurationTicks([0, 2.5, 5])).toEqual(['0.0 s', '2.5 s', '5.0 s']);
    expect(formatDurationTicks([0, 30, 60, 90])).toEqual(['0 s', '30 s', '60 s', '90 s']);
    expect(formatDurationTicks([0, 300, 600])).toEqual(['0 min', '5 min', '10 min']);
    expect(formatDurationTicks([0, 3600, 7200, 10800])).toEqual(['0 h', '1 h', '2 h', '3 h']);
    // Steps of 500 s are no round number of minutes: seconds, not "8.333 min".
    expect(formatDurationTicks([0, 500, 1000, 1500, 2000])).toEqual([
      '0 s',
      '500 s',
      '1,000 s',
      '1,500 s',
      '2,000 s',
    ]);
    expect(formatDurationTicks([])).toEqual([]);
  });

  it('axis numbers with the decimals their spacing needs', () => {
    expect(formatNumber(10000, 2000)).toBe('10,000');
    expect(formatNumber(0.25, 0.25)).toBe('0.25');
    expect(formatNumber(-0.0001, 0.5)).toBe('0.0');
    expect(formatNumber(1 / 3, 1e-6)).toBe('0.333');
  });

  it('time axes in UTC and 24 h, with the date where it changes', () => {
    const at = (iso: string) => Date.parse(iso) / 1000;
    const hourly = [20, 22, 24, 26].map((h) => at('2026-05-12T00:00:00Z') + h * 3600);
    expect(formatTimeTicks(hourly, 7200)).toEqual([
      '20:00\n2026-05-12 UTC',
      '22:00',
      '00:00\n2026-05-13',
      '02:00',
    ]);
    const daily = [0, 1, 2].map((d) => at('2025-12-31T00:00:00Z') + d * 86400);
    expect(formatTimeTicks(daily, 86400)).toEqual(['12-31\n2025 UTC', '01-01\n2026', '01-02']);
    expect(formatTimeTicks([at('2026-03-01T00:00:00Z')], 30 * 86400)).toEqual(['2026-03 UTC']);
    expect(formatTimeTicks([at('2026-03-01T13:04:05Z'), at('2026-03-01T13:04:35Z')], 30)).toEqual([
      '13:04:05\n2026-03-01 UTC',
      '13:04:35',
    ]);
  });

  it('ages, roughly', () => {
    expect(formatAge(10)).toBe('1 min');
    expect(formatAge(300)).toBe('5 min');
    expect(formatAge(3 * 3600)).toBe('3 h');
    expect(formatAge(47 * 3600)).toBe('47 h');
    expect(formatAge(3 * 86400)).toBe('3 days');
    expect(formatAge(null)).toBe('–');
  });

  it('counts with thousands separators', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect([0, 0.254, 9.994, 10.4, 1250.2].map(formatHours)).toEqual([
      '0.00 h',
      '0.25 h',
      '9.99 h',
      '10 h',
      '1,250 h',
    ]);
    expect(formatCount(null)).toBe('–');
  });
});
