/** Known-issue rules: their patterns checked on entry, their matches bounded in time. */
import { describe, expect, it } from 'vitest';
import { GatewatchError } from '../../server/errors.js';
import {
  checkRulePattern,
  RuleMatcher,
  type FailureText,
} from '../../server/insights/signatures/rule-matcher.js';

const failure = (message: string, test = 'a.b.test_c'): FailureText => ({
  message,
  traceback: `Traceback (most recent call last):\n${message}`,
  test,
  fingerprint: 'f'.repeat(64),
});

describe('rule patterns', () => {
  it('are refused, with the reason, when too long, not a regular expression or not a fingerprint', () => {
    const refusal = (field: Parameters<typeof checkRulePattern>[0], pattern: string) => {
      try {
        checkRulePattern(field, pattern, 20);
      } catch (error) {
        expect(error).toBeInstanceOf(GatewatchError);
        return (error as GatewatchError).message;
      }
      return null;
    };
    expect(refusal('message', 'x'.repeat(21))).toBe(
      'the pattern is 21 characters long; 1 to 20 are allowed',
    );
    expect(refusal('message', '')).toBe('the pattern is 0 characters long; 1 to 20 are allowed');
    expect(refusal('traceback', 'Timeout(')).toBe(
      'the pattern is not a regular expression: Invalid regular expression: /Timeout(/: Unterminated group',
    );
    expect(refusal('fingerprint', 'abc')).toBe(
      'fingerprint "abc" is not a signature\'s fingerprint (64 hex digits)',
    );
    expect(refusal('stdout' as 'message', 'x')).toBe(
      'rule field "stdout" is none of message, traceback, test, fingerprint',
    );
    expect(refusal('test', 'test_c$')).toBeNull();
  });
});

describe('RuleMatcher', () => {
  it('matches message, traceback, test id and fingerprint rules', () => {
    const matcher = new RuleMatcher(
      [
        { id: 1, field: 'message', pattern: '^TimeoutError: ' },
        { id: 2, field: 'traceback', pattern: 'most recent call' },
        { id: 3, field: 'test', pattern: 'test_login$' },
        { id: 4, field: 'fingerprint', pattern: 'f'.repeat(64) },
      ],
      1000,
    );
    const outcome = matcher.match([
      failure('TimeoutError: timed out'),
      failure('KeyError: x', 'auth.test_login'),
    ]);
    expect(outcome.timedOut).toEqual([]);
    expect(outcome.hits).toEqual([
      { rule: 1, failure: 0 },
      { rule: 2, failure: 0 },
      { rule: 2, failure: 1 },
      { rule: 3, failure: 1 },
      { rule: 4, failure: 0 },
      { rule: 4, failure: 1 },
    ]);
  });

  it('stops a catastrophically backtracking pattern at its timeout and disables it alone', () => {
    const matcher = new RuleMatcher(
      [
        { id: 7, field: 'message', pattern: '^(a+)+$' },
        { id: 8, field: 'message', pattern: '!$' },
      ],
      50,
    );
    // 40 `a`s and a `!`: 2^40 ways to split, hours of backtracking without the timeout.
    const evil = [failure(`${'a'.repeat(40)}!`)];
    const outcome = matcher.match(evil);
    expect(outcome.timedOut).toEqual([
      {
        rule: 7,
        reason: 'matching 1 failures took longer than 50 ms (catastrophic backtracking?)',
      },
    ]);
    expect(outcome.hits).toEqual([{ rule: 8, failure: 0 }]);
    expect(matcher.match(evil)).toEqual({ hits: [{ rule: 8, failure: 0 }], timedOut: [] });
  });
});
