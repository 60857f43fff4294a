/** One CI's record through GraphQL on a real server, over the history of record-history.ts. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ciFigures } from '../../server/cis/figures.service.js';
import { openGerritStore } from '../../server/gerrit/store.js';
import { backends } from '../helpers/databases.js';
import { ACME, HOUR, patchSetCreated, reportAdded, T0 } from '../helpers/gerrit-events.js';
import { startServer, type TestServer } from '../helpers/server.js';
import {
  acmeAgreement,
  acmeDays,
  acmeFigures,
  acmeJobs,
  acmeLatency,
  acmeMissed,
  history,
  nova,
  WINDOW,
} from './record-history.js';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const window = { since: iso(WINDOW.since), until: iso(WINDOW.until) };

const RECORD = `query ($ci: String!, $server: String, $since: DateTime, $until: DateTime) {
  ciRecord(ci: $ci, server: $server, since: $since, until: $until) {
    ci { ci server upstream } since until
    figures { reports builds unparsed successRate eligible coverage missed lastReport }
    latency { patchSets median p95 }
    agreement { patchSets bothPassed bothFailed failedWhereUpstreamPassed passedWhereUpstreamFailed disagreementRate }
    jobs { job builds failures failureRate flips lastResult lastAt }
  } }`;

describe.each(backends)('a CI record on $name', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(backend);
    const review = await openGerritStore(server.app.services, {
      name: 'review',
      url: 'https://review.example.org',
      cis: [],
      upstream: null,
    });
    await review.accept(history, 'replay');
    await review.close();
    // acme-ci reports on a second server too, long before the window.
    const other = await openGerritStore(server.app.services, {
      name: 'other',
      url: 'https://other.example.org',
      cis: [],
      upstream: null,
    });
    await other.accept(
      [
        patchSetCreated(nova(1), 1, T0 - 48 * HOUR),
        reportAdded(nova(1), 1, T0 - 47 * HOUR, ACME, true, [
          { job: 'unit', result: 'SUCCESS', url: 'https://other.example.org/logs/1' },
        ]),
      ],
      'replay',
    );
    await other.close();
  });

  const ok = async <T>(query: string, variables?: Record<string, unknown>) => {
    const { body } = await server.query<T>(query, variables);
    expect(body.errors).toBeUndefined();
    return body.data!;
  };

  it('answers figures, latency, agreement and jobs as worked out from the events', async () => {
    const { ciRecord } = await ok<{ ciRecord: Record<string, unknown> }>(RECORD, {
      ci: 'acme-ci',
      server: 'review',
      ...window,
    });
    expect(ciRecord).toEqual({
      ci: { ci: 'acme-ci', server: 'review', upstream: false },
      ...window,
      figures: { ...acmeFigures, lastReport: iso(T0 + 13 * HOUR) },
      latency: acmeLatency,
      agreement: acmeAgreement,
      jobs: acmeJobs,
    });
  });

  it('gives exactly the figures ciFigures gives for the CI', async () => {
    const { ciRecord } = await ok<{ ciRecord: { figures: Record<string, unknown> } }>(
      `query ($since: DateTime, $until: DateTime) { ciRecord(ci: "acme-ci", server: "review", since: $since, until: $until) {
        figures { ci name server upstream reports builds unparsed successRate eligible coverage missed lastReport } } }`,
      window,
    );
    const all = await ciFigures(server.app.services.db, {
      since: new Date(window.since),
      until: new Date(window.until),
    });
    const acme = all.find((f) => f.ci === 'acme-ci' && f.server === 'review')!;
    expect({ ...ciRecord.figures, ciId: acme.ciId }).toEqual({
      ...acme,
      lastReport: acme.lastReport?.toISOString() ?? null,
    });
  });

  it('compares the upstream CI with nobody', async () => {
    const { ciRecord } = await ok<{ ciRecord: { agreement: unknown; ci: unknown } }>(
      `query ($since: DateTime, $until: DateTime) { ciRecord(ci: "zuul", since: $since, until: $until) { ci { ci upstream } agreement { patchSets } } }`,
      window,
    );
    expect(ciRecord).toEqual({ ci: { ci: 'zuul', upstream: true }, agreement: null });
  });

  it('counts its reports per day and per hour', async () => {
    const { ciRecord } = await ok<{
      ciRecord: { days: unknown[]; hours: { start: string; reports: number }[] };
    }>(
      `query ($since: DateTime, $until: DateTime) { ciRecord(ci: "acme-ci", server: "review", since: $since, until: $until) {
        days: overTime { start reports successes failures }
        hours: overTime(resolution: HOUR) { start reports } } }`,
      window,
    );
    expect(ciRecord.days).toEqual(acmeDays);
    // a1 12:30, a2 13:30, a3 14:30, a4 16:00 and a6 16:06, a5 17:15, a8 01:00 the next day.
    expect(ciRecord.hours).toEqual(
      [
        [12, 1],
        [13, 1],
        [14, 1],
        [16, 2],
        [17, 1],
        [25, 1],
      ].map(([hour, reports]) => ({ start: iso(T0 + (hour! - 12) * HOUR), reports })),
    );
  });

  it('lists the missed patch sets newest first, page by page', async () => {
    const query = `query ($after: String, $since: DateTime, $until: DateTime) {
      ciRecord(ci: "acme-ci", server: "review", since: $since, until: $until) {
        figures { missed }
        missed(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor }
          nodes { createdAt patchSet { number changeNumber } } } } }`;
    type Missed = {
      ciRecord: {
        figures: { missed: number };
        missed: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string };
          nodes: { createdAt: string; patchSet: { number: number; changeNumber: number } }[];
        };
      };
    };
    const first = (await ok<Missed>(query, window)).ciRecord;
    const second = (await ok<Missed>(query, { ...window, after: first.missed.pageInfo.endCursor }))
      .ciRecord;
    expect(first.missed.totalCount).toBe(first.figures.missed);
    expect(first.missed.pageInfo.hasNextPage).toBe(true);
    expect(second.missed.pageInfo.hasNextPage).toBe(false);
    const listed = [...first.missed.nodes, ...second.missed.nodes].map((n) => ({
      change: n.patchSet.changeNumber,
      patchSet: n.patchSet.number,
      createdAt: n.createdAt,
    }));
    expect(listed).toEqual(acmeMissed);
    expect(listed).toHaveLength(first.figures.missed);
  });

  it('answers null for an unknown CI and refuses an ambiguous or bad one', async () => {
    expect(await ok(`{ ciRecord(ci: "nobody") { since } }`)).toEqual({ ciRecord: null });
    for (const [query, message] of [
      [`{ ciRecord(ci: "acme-ci") { since } }`, /several Gerrit servers: give server/],
      [
        `{ ciRecord(ci: "zuul", since: "2026-12-01T00:00:00Z", until: "2026-11-30T00:00:00Z") { since } }`,
        /since must be before until/,
      ],
      [`{ ciRecord(ci: "zuul", since: "2000-01-01T00:00:00Z") { since } }`, /at most ten years/],
      [`{ ciRecord(ci: "zuul") { missed(first: 0) { totalCount } } }`, /first must be/],
      [`{ ciRecord(ci: "zuul") { missed(after: "nope") { totalCount } } }`, /bad cursor/],
    ] as const) {
      const { body } = await server.query(query);
      expect(body.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message, query).toMatch(message);
    }
  });

  it('defaults to the 7 days before now', async () => {
    const { ciRecord } = await ok<{ ciRecord: { since: string; until: string } }>(
      `{ ciRecord(ci: "zuul") { since until } }`,
    );
    const until = Date.parse(ciRecord.until);
    expect(Math.abs(until - Date.now())).toBeLessThan(60_000);
    expect(until - Date.parse(ciRecord.since)).toBe(7 * 86_400_000);
  });
});
