/** The signatures pages' logic: the "new" mark, the URL's since and buckets, the trend's days. */
import { describe, expect, it } from 'vitest';
import {
  isNew,
  knownCauseData,
  NEW_WITHIN_DAYS,
  parseSignatureResolution,
  parseSince,
  sinceOf,
} from '../../client/src/pages/signatures/signatures.js';

const NOW = new Date('2026-05-13T12:30:00.000Z');
const DAY = 86_400_000;

describe('the signatures view logic', () => {
  it('marks a signature new within NEW_WITHIN_DAYS of now', () => {
    const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
    expect(isNew(ago(NEW_WITHIN_DAYS * DAY), NOW)).toBe(true);
    expect(isNew(ago(NEW_WITHIN_DAYS * DAY + 1000), NOW)).toBe(false);
  });

  it('reads since from the URL: a listed period or all time', () => {
    expect(parseSince('30d')).toBe('30d');
    expect(parseSince('1h')).toBeNull();
    expect(parseSince('')).toBeNull();
    expect(sinceOf(null, NOW)).toBeNull();
    expect(sinceOf('7d', NOW)).toBe(new Date(NOW.getTime() - 7 * DAY).toISOString());
  });

  it('buckets the detail chart by day unless WEEK is asked', () => {
    expect(parseSignatureResolution('WEEK')).toBe('WEEK');
    expect(parseSignatureResolution('MONTH')).toBe('DAY');
  });

  it('puts quiet days back into the known-cause trend as zeros, up to now', () => {
    const points = [
      { start: '2026-05-10T00:00:00.000Z', failures: 4, known: 1 },
      { start: '2026-05-12T00:00:00.000Z', failures: 2, known: 2 },
    ];
    const [xs, failures, known] = knownCauseData(points, NOW);
    const day0 = Date.parse(points[0]!.start) / 1000;
    expect(xs).toEqual([0, 1, 2, 3].map((d) => day0 + (d * DAY) / 1000));
    expect(failures).toEqual([4, 0, 2, 0]);
    expect(known).toEqual([1, 0, 2, 0]);
    expect(knownCauseData([], NOW)).toEqual([[], [], []]);
  });
});
