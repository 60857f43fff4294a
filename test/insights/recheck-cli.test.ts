/**
 * `gatewatch rechecks` over the recheck history (real stestr runs linked to Gerrit reports), on
 * every backend: the totals and rankings as text and as JSON, and the arguments refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { gatewatch } from '../helpers/cli.js';
import { backends, dbUrlOf } from '../helpers/databases.js';
import { expectedCost, roundHours } from '../helpers/recheck-oracle.js';
import { storeRecheckHistory, WINDOW } from '../helpers/recheck-history.js';
import { startServer } from '../helpers/server.js';

describe.each(backends)('gatewatch rechecks on $name', (backend) => {
  let window: string[];

  beforeAll(async () => {
    const server = await startServer(backend);
    await storeRecheckHistory(server);
    const db = dbUrlOf(server.app.services.config.database.target);
    window = [
      '--db',
      db,
      '--since',
      WINDOW.since.toISOString(),
      '--until',
      WINDOW.until.toISOString(),
    ];
  });

  it('prints the totals, then the changes, tests and signatures as tables', async () => {
    const { code, out } = await gatewatch(['rechecks', ...window]);
    expect(code).toBe(0);
    const expected = expectedCost();
    const hours = (h: number) => h.toFixed(2);
    expect(out).toContain(`rechecks: ${expected.rechecks} on ${expected.changes} changes\n`);
    expect(out).toContain(
      `re-runs: ${expected.reruns}, ${hours(expected.rerunNodeHours)} node-hours (${expected.unknownDurations} build${expected.unknownDurations === 1 ? '' : 's'} without a duration, counted as 0)\n`,
    );
    expect(out).toContain(
      `${expected.attributedReruns} re-runs, ${hours(expected.attributedNodeHours)} node-hours; unattributed: ${expected.unattributedReruns} re-runs`,
    );
    const lines = out.split('\n');
    const tableAfter = (title: string) => {
      const start = lines.indexOf(title) + 1;
      const end = lines.indexOf('', start);
      return lines.slice(start, end === -1 ? undefined : end);
    };
    const tests = tableAfter('by test');
    expect(tests[0]).toMatch(/^TEST\s+RE-RUNS\s+NODE-HOURS\s+FLAKY ON$/);
    expect(tests.slice(1).map((l) => l.split(/\s+/).slice(0, 3))).toEqual(
      expected.byTest.map((t) => [t.testId, String(t.reruns), hours(t.nodeHours)]),
    );
    const changes = tableAfter('most rechecked changes');
    expect(changes.slice(1).map((l) => l.split(/\s+/).slice(0, 4))).toEqual(
      expected.topChanges.map((c) => [
        String(c.change),
        c.project,
        String(c.rechecks),
        String(c.reruns),
      ]),
    );
    const signatures = tableAfter('by signature');
    expect(signatures.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(
      expected.bySignature.map((s) => s.fingerprint.slice(0, 12)),
    );
  });

  it('prints the same figures as JSON', async () => {
    const { code, out } = await gatewatch(['rechecks', ...window, '--json', '-n', '2']);
    expect(code).toBe(0);
    const cost = JSON.parse(out) as {
      reruns: number;
      attributedNodeHours: number;
      byTest: { testId: string; nodeHours: number }[];
      bySignature: { signature: { fingerprint: string }; knownIssues: { title: string }[] }[];
    };
    const expected = expectedCost();
    expect(cost.reruns).toBe(expected.reruns);
    expect(roundHours(cost.attributedNodeHours)).toBe(expected.attributedNodeHours);
    expect(cost.byTest.map((t) => [t.testId, roundHours(t.nodeHours)])).toEqual(
      expected.byTest.slice(0, 2).map((t) => [t.testId, t.nodeHours]),
    );
    expect(cost.bySignature.map((s) => s.signature.fingerprint)).toEqual(
      expected.bySignature.slice(0, 2).map((s) => s.fingerprint),
    );
    expect(cost.bySignature[0]!.knownIssues.map((k) => k.title)).toEqual(['test_parse_config']);
  });

  it('refuses a bad --since, --until, -n and a window too long', async () => {
    const refusals: [string[], RegExp][] = [
      [['--since', 'yesterday'], /--since yesterday: expected a UTC date/],
      [['--until', 'soon'], /--until soon: expected a UTC date/],
      [['-n', '0'], /-n 0: expected a count 1…100/],
      [['--since', '100d'], /longer than 90 days/],
    ];
    for (const [args, message] of refusals) {
      const { code, stderr } = await gatewatch(['rechecks', '--db', window[1]!, ...args]);
      expect(code).not.toBe(0);
      expect(stderr).toMatch(message);
    }
  });
});
