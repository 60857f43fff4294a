/** The badges a failing result shows: from its verdicts, its known issues, its signature. */
import { describe, expect, it } from 'vitest';
import { bugLabel, failureBadges } from '../../client/src/lib/failure-badges.js';

const launchpad = 'https://bugs.launchpad.net/nova/+bug/2071234';

describe('failure badges', () => {
  it('a bug reads as the number its URL ends in, an issue as #N, else its last segment or host', () => {
    expect(bugLabel(launchpad)).toBe('2071234');
    expect(bugLabel('https://github.com/acme/app/issues/42')).toBe('#42');
    expect(bugLabel('https://issues.example.org/browse/NOVA-17')).toBe('NOVA-17');
    expect(bugLabel('https://bugs.example.org/')).toBe('bugs.example.org');
  });

  it('no facts, or only fixed verdicts: no badge', () => {
    expect(failureBadges({})).toEqual([]);
    expect(
      failureBadges({ verdicts: [{ scope: 'job:unit', verdict: 'FIXED' }], newSignature: false }),
    ).toEqual([]);
  });

  it('flaky and broken name their scopes and link the flaky page, on the job when there is one', () => {
    const badges = failureBadges({
      verdicts: [
        { scope: 'job:unit', verdict: 'FLAKY' },
        { scope: 'project:nova', verdict: 'FLAKY' },
        { scope: 'job:functional', verdict: 'BROKEN' },
      ],
    });
    expect(badges.map((b) => b.label)).toEqual(['flaky', 'broken']);
    expect(badges[0]!.title).toBe('flaky on job:unit, project:nova');
    expect(badges[0]!.href).toBe('/flaky?job=unit');
    expect(badges[1]!.href).toBe('/flaky?job=functional');
  });

  it("the page's job's verdict is preferred; another job's stands when it has none", () => {
    const verdicts = [
      { scope: 'job:unit', verdict: 'FLAKY' },
      { scope: 'job:functional', verdict: 'BROKEN' },
    ];
    expect(failureBadges({ verdicts }, 'functional').map((b) => b.title)).toEqual([
      'broken on job:functional',
    ]);
    expect(failureBadges({ verdicts }, 'docs').map((b) => b.label)).toEqual(['flaky', 'broken']);
  });

  it('each known issue links its bug; a new failure links its signature', () => {
    const badges = failureBadges({
      knownIssues: [{ bugUrl: launchpad, title: 'Volume attach times out' }],
      newSignature: true,
      signature: { fingerprint: 'ab12' },
    });
    expect(badges).toEqual([
      {
        kind: 'known-issue',
        label: 'known issue: 2071234',
        title: 'known issue: 2071234 — Volume attach times out',
        href: launchpad,
      },
      {
        kind: 'new-failure',
        label: 'new failure',
        title: 'new failure — its signature was never seen before this run',
        href: '/signatures/ab12',
      },
    ]);
  });
});
