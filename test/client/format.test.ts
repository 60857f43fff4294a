/** How numbers and times read on every page. */
import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatCount,
  formatDuration,
  formatPercent,
  formatTime,
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

  it('durations from milliseconds to hours', () => {
    expect(formatDuration(0.85)).toBe('850 ms');
    expect(formatDuration(0)).toBe('0 ms');
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
    expect(formatCount(null)).toBe('–');
  });
});
