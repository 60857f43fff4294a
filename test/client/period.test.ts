/** The periods and resolutions the pages offer, as they read in URLs. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PERIOD,
  defaultResolution,
  parsePeriod,
  parseResolution,
  PERIODS,
  RESOLUTIONS,
  windowOf,
  type Period,
} from '../../client/src/lib/period.js';

describe('periods', () => {
  it('offers 1 hour to 6 months, shortest first', () => {
    expect(Object.keys(PERIODS)).toEqual(['1h', '6h', '1d', '7d', '30d', '90d', '6m']);
    const seconds = Object.values(PERIODS);
    expect([...seconds].sort((a, b) => a - b)).toEqual(seconds);
    expect(PERIODS['1h']).toBe(3600);
    expect(PERIODS['7d']).toBe(7 * 86400);
  });

  it('reads a period or falls back', () => {
    expect(parsePeriod('30d', '7d')).toBe('30d');
    expect(parsePeriod('', '7d')).toBe('7d');
    expect(parsePeriod('2w', '1d')).toBe('1d');
    // Not every key of an object is a period.
    expect(parsePeriod('toString', '7d')).toBe('7d');
  });

  it('opens every page on one default period', () => {
    expect(DEFAULT_PERIOD).toBe('7d');
    expect(parsePeriod('')).toBe(DEFAULT_PERIOD);
    expect(parsePeriod('nonsense')).toBe(DEFAULT_PERIOD);
  });

  it('reads a resolution or falls back', () => {
    expect(RESOLUTIONS).toEqual(['HOUR', 'DAY', 'WEEK', 'MONTH']);
    expect(parseResolution('WEEK', 'DAY')).toBe('WEEK');
    expect(parseResolution('week', 'DAY')).toBe('DAY');
    expect(parseResolution('', 'HOUR')).toBe('HOUR');
  });

  it('gives the window ending now as the API takes it', () => {
    const now = new Date('2026-03-10T12:00:00.000Z');
    expect(windowOf('1d', now)).toEqual({
      since: '2026-03-09T12:00:00.000Z',
      until: '2026-03-10T12:00:00.000Z',
    });
    for (const period of Object.keys(PERIODS) as Period[]) {
      const { since, until } = windowOf(period, now);
      expect((Date.parse(until) - Date.parse(since)) / 1000).toBe(PERIODS[period]);
    }
  });

  it('suits the resolution to the period', () => {
    expect(defaultResolution('1h')).toBe('HOUR');
    expect(defaultResolution('1d')).toBe('HOUR');
    expect(defaultResolution('7d')).toBe('DAY');
    expect(defaultResolution('90d')).toBe('DAY');
    expect(defaultResolution('6m')).toBe('WEEK');
  });
});
