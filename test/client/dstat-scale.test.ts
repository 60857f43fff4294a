/** The dstat lanes' y scales: from zero to a round top, one unit per lane. */
import { describe, expect, it } from 'vitest';
import {
  byteScale,
  laneTicks,
  largestOf,
  PERCENT_SCALE,
  roundUp,
} from '../../client/src/pages/run/dstat-scale.js';

describe('dstat scales', () => {
  it('round the top up to 1, 2 or 5 × 10ⁿ', () => {
    expect(roundUp(0)).toBe(1);
    expect(roundUp(Number.NaN)).toBe(1);
    expect(roundUp(1)).toBe(1);
    expect(roundUp(1.2)).toBe(2);
    expect(roundUp(3.4e9)).toBe(5e9);
    expect(roundUp(7200)).toBe(10_000);
    expect(roundUp(0.3)).toBeCloseTo(0.5);
  });

  it('pick the byte unit that writes the top under 1,000', () => {
    expect(byteScale(3.4e9)).toEqual({ unit: 'GB', divisor: 1e9, max: 5e9 });
    expect(byteScale(420_000, '/s')).toEqual({ unit: 'kB/s', divisor: 1e3, max: 500_000 });
    expect(byteScale(999e6)).toEqual({ unit: 'GB', divisor: 1e9, max: 1e9 });
    expect(byteScale(0)).toEqual({ unit: 'B', divisor: 1, max: 1 });
    expect(PERCENT_SCALE).toEqual({ unit: '%', divisor: 1, max: 100 });
  });

  it('label ticks as plain numbers in the unit', () => {
    const gb = byteScale(3.4e9);
    expect(laneTicks(gb, [0, 1e9, 2e9, 3e9])).toEqual(['0', '1', '2', '3']);
    expect(laneTicks(gb, [0, 5e8, 1e9])).toEqual(['0.0', '0.5', '1.0']);
    expect(laneTicks(PERCENT_SCALE, [0, 50, 100])).toEqual(['0', '50', '100']);
  });

  it('find the largest value, gaps aside', () => {
    expect(largestOf([[1, null, 3], [2]])).toBe(3);
    expect(largestOf([[null]])).toBe(0);
    expect(largestOf([])).toBe(0);
  });
});
