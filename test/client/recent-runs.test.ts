/**
 * The recent runs table's cells and the reason a run failed though no test did, without a
 * browser.
 */
import { describe, expect, it } from 'vitest';
import { brokenReason } from '../../client/src/lib/run-status.js';
import { changeLabel, logHref } from '../../client/src/pages/job/recent-runs.js';

describe('a recent run', () => {
  it('reads its change as Gerrit writes it, change,patchset', () => {
    expect(changeLabel(912345, 3)).toBe('912345,3');
    expect(changeLabel(912345, null)).toBe('912345');
    expect(changeLabel(null, 3)).toBeNull();
  });

  it('links to its logs only over http(s)', () => {
    expect(logHref('https://logs.example.org/45/912345/3/check/tempest/')).toBe(
      'https://logs.example.org/45/912345/3/check/tempest/',
    );
    expect(logHref('http://logs.local/x')).toBe('http://logs.local/x');
    expect(logHref('javascript:alert(1)')).toBeNull();
    expect(logHref('/var/log/run')).toBeNull();
    expect(logHref(null)).toBeNull();
  });
});

describe('why a run failed with no failing test', () => {
  it('names the tests that never ended and the damaged packets', () => {
    expect(brokenReason({ incomplete: 0, parseErrors: 0 })).toBeNull();
    expect(brokenReason({ incomplete: 1, parseErrors: 0 })).toBe(
      '1 test never ended (a worker died)',
    );
    expect(brokenReason({ incomplete: 3, parseErrors: 2 })).toBe(
      '3 tests never ended (a worker died), 2 damaged packets',
    );
    expect(brokenReason({ incomplete: 0, parseErrors: 1 })).toBe('1 damaged packet');
  });
});
