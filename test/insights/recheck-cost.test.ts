/**
 * Recheck cost over GraphQL on a real server, on every backend: rechecks, re-runs and their
 * node-hours, attributed to flaky tests and known issues by test and by signature, over a
 * Gerrit history whose builds link to the insight history's real stestr runs; filters, and the
 * arguments refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/databases.js';
import { expectedCost, roundHours } from '../helpers/recheck-oracle.js';
import { storeRecheckHistory, WINDOW } from '../helpers/recheck-history.js';
import { startServer, type TestServer } from '../helpers/server.js';

const QUERY = `query ($filter: RecheckCostFilter, $first: Int) {
  recheckCost(filter: $filter, first: $first) {
    rechecks changes reruns rerunNodeHours unknownDurations
    attributedReruns attributedNodeHours unattributedReruns
    topChanges { change project subject rechecks reruns nodeHours }
    byTest { testId reruns nodeHours flakyScopes }
    bySignature { signature { fingerprint summary } reruns nodeHours knownIssues { title } }
  }
}`;

interface Answer {
  rerunNodeHours: number;
  attributedNodeHours: number;
  topChanges: { nodeHours: number }[];
  byTest: { nodeHours: number; flakyScopes: string[] }[];
  bySignature: {
    signature: { fingerprint: string; summary: string };
    reruns: number;
    nodeHours: number;
    knownIssues: { title: string }[];
  }[];
}

describe.each(backends)('recheck cost on $name', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(backend);
    await storeRecheckHistory(server);
  });

  async function cost(filter: Record<string, unknown>, first?: number) {
    const { body } = await server.query<{ recheckCost: Answer }>(QUERY, {
      filter: { since: WINDOW.since.toISOString(), until: WINDOW.until.toISOString(), ...filter },
      first,
    });
    return body;
  }

  /** The answer in the oracle's shape: hours rounded, signatures by fingerprint. */
  function comparable(answer: Answer) {
    return {
      ...answer,
      rerunNodeHours: roundHours(answer.rerunNodeHours),
      attributedNodeHours: roundHours(answer.attributedNodeHours),
      topChanges: answer.topChanges.map((c) => ({ ...c, nodeHours: roundHours(c.nodeHours) })),
      byTest: answer.byTest.map((t) => ({
        ...t,
        nodeHours: roundHours(t.nodeHours),
        flakyScopes: [...t.flakyScopes].sort(),
      })),
      bySignature: answer.bySignature.map((s) => ({
        fingerprint: s.signature.fingerprint,
        reruns: s.reruns,
        nodeHours: roundHours(s.nodeHours),
      })),
    };
  }

  it('counts rechecks and re-runs and shares their cost out by test and by signature', async () => {
    const body = await cost({});
    expect(body.errors).toBeUndefined();
    const answer = body.data!.recheckCost;
    const expected = expectedCost();
    expect(comparable(answer)).toEqual(expected);
    expect(expected.unattributedReruns).toBeGreaterThan(0);
    expect(expected.byTest.length).toBeGreaterThan(2);
    // Each ranking shares out the attributed hours, no more, no less.
    const sum = (entries: { nodeHours: number }[]) =>
      roundHours(entries.reduce((s, e) => s + e.nodeHours, 0));
    expect(sum(answer.byTest)).toBe(expected.attributedNodeHours);
    expect(sum(answer.bySignature)).toBe(expected.attributedNodeHours);
  });

  it("names the known issues behind a signature's re-runs", async () => {
    const answer = (await cost({})).data!.recheckCost;
    const titles = answer.bySignature.map((s) => s.knownIssues.map((k) => k.title));
    expect(titles).toContainEqual(['test_parse_config']);
    expect(titles).toContainEqual(['test_delete_volume']);
    expect(titles).toContainEqual([]);
  });

  it('keeps to a CI, a project and a ranking size', async () => {
    const zuul = (await cost({ ci: 'zuul' })).data!.recheckCost;
    expect(comparable(zuul)).toEqual(expectedCost('zuul'));
    const acme = (await cost({ ci: 'acme-ci' })).data!.recheckCost;
    expect(comparable(acme)).toMatchObject({ ...expectedCost('acme-ci'), reruns: 0 });
    const web = (await cost({ project: 'acme/web' })).data!.recheckCost;
    expect([web.rerunNodeHours, web.topChanges, web.byTest, web.bySignature]).toEqual([
      0,
      [],
      [],
      [],
    ]);
    const one = (await cost({}, 1)).data!.recheckCost;
    const expected = expectedCost();
    expect(comparable(one)).toEqual({
      ...expected,
      topChanges: expected.topChanges.slice(0, 1),
      byTest: expected.byTest.slice(0, 1),
      bySignature: expected.bySignature.slice(0, 1),
    });
  });

  it('answers over the window asked for, by default the 30 days before now', async () => {
    const window = `{ recheckCost { since until } }`;
    const before = Date.now();
    const { body } = await server.query<{ recheckCost: { since: string; until: string } }>(window);
    const { since, until } = body.data!.recheckCost;
    expect(Date.parse(until)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(until)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(until) - Date.parse(since)).toBe(30 * 86_400_000);
    const asked = await server.query<{ recheckCost: { since: string; until: string } }>(
      `query ($filter: RecheckCostFilter) { recheckCost(filter: $filter) { since until } }`,
      { filter: { since: WINDOW.since.toISOString(), until: WINDOW.until.toISOString() } },
    );
    expect(asked.body.data!.recheckCost).toEqual({
      since: WINDOW.since.toISOString(),
      until: WINDOW.until.toISOString(),
    });
  });

  it('refuses a window too long, a window backwards, and rankings out of range', async () => {
    const day = 86_400_000;
    const refusals: [Record<string, unknown>, number | undefined, RegExp][] = [
      [
        { since: new Date(WINDOW.until.getTime() - 91 * day).toISOString() },
        undefined,
        /longer than 90 days/,
      ],
      [{ since: WINDOW.until.toISOString() }, undefined, /since must be before until/],
      [{ ci: '' }, undefined, /ci must not be empty/],
      [{ project: '' }, undefined, /project must not be empty/],
      [{}, 0, /first must be 1…100, got 0/],
      [{}, 101, /first must be 1…100, got 101/],
    ];
    for (const [filter, first, message] of refusals) {
      const body = await cost(filter, first);
      expect(body.errors?.[0]?.message).toMatch(message);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
