/** The Gerrit and CI side of the API: queries, connections, errors, run links, live subscriptions. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createReadStream } from 'node:fs';
import type { GerritEvent } from '../../server/gerrit/events.js';
import { openGerritStore, type GerritStore } from '../../server/gerrit/store.js';
import { backends } from '../helpers/databases.js';
import {
  ACME,
  ALICE,
  commentAdded,
  HOUR,
  patchSetCreated,
  reportAdded,
  T0,
  ZUUL,
} from '../helpers/gerrit-events.js';
import { FIXTURES, firstEvent, startServer, type TestServer } from '../helpers/server.js';

const NOVA = (number: number) => ({ number, project: 'openstack/nova' });
const LOG = 'https://logs.example.org/11/1/check/tempest-full/aaa1111';
const history: GerritEvent[] = [
  patchSetCreated(NOVA(11), 1, T0),
  reportAdded(NOVA(11), 1, T0 + 600, ZUUL, false, [
    { job: 'tempest-full', result: 'FAILURE', url: `${LOG}/` },
    { job: 'pep8', result: 'SUCCESS', url: 'https://logs.example.org/11/1/check/pep8/bbb' },
  ]),
  commentAdded(NOVA(11), 1, T0 + 700, ALICE, 'recheck'),
  patchSetCreated(NOVA(11), 2, T0 + 5 * HOUR),
  reportAdded(NOVA(11), 2, T0 + 5 * HOUR + 600, ACME, true, [
    { job: 'acme-smoke', result: 'SUCCESS', url: 'https://ci.acme.example/1' },
  ]),
  patchSetCreated(NOVA(12), 1, T0 + 6 * HOUR),
  patchSetCreated({ number: 13, project: 'openstack/neutron' }, 1, T0 + 7 * HOUR),
];

describe.each(backends)('the Gerrit API on $name', (backend) => {
  let server: TestServer;
  let store: GerritStore;
  let run: string;

  beforeAll(async () => {
    server = await startServer(backend);
    const summary = await server.app.services.ingest.ingest({
      name: 'run',
      source: createReadStream(`${FIXTURES}subunit/sample-last.subunit`),
      metadata: { build_name: 'tempest-full' },
      artifactsUrl: LOG,
    });
    run = summary.run;
    store = await openGerritStore(server.app.services, {
      name: 'review',
      url: 'https://review.example.org',
      cis: [],
      upstream: null,
    });
    await store.accept(history, 'stream');
  });

  const ok = async <T>(query: string, variables?: Record<string, unknown>) => {
    const { body } = await server.query<T>(query, variables);
    expect(body.errors).toBeUndefined();
    return body.data!;
  };

  it('answers a change with its patch sets, reports and builds', async () => {
    const data = await ok<{ change: unknown }>(`{ change(number: 11) {
      number project branch status server owner { username }
      patchSets { number kind supersededAt uploader { username } change { number }
        reports { ci { ci upstream } verdict vote project change { number } patchSet { number }
          builds { job result duration voting logUrl run { id } } } }
    } }`);
    expect(data.change).toEqual({
      number: 11,
      project: 'openstack/nova',
      branch: 'master',
      status: 'NEW',
      server: 'review',
      owner: { username: 'alice' },
      patchSets: [
        {
          number: 1,
          kind: 'REWORK',
          supersededAt: new Date((T0 + 5 * HOUR) * 1000).toISOString(),
          uploader: { username: 'alice' },
          change: { number: 11 },
          reports: [
            {
              ci: { ci: 'zuul', upstream: true },
              verdict: 'FAILURE',
              vote: -1,
              project: 'openstack/nova',
              change: { number: 11 },
              patchSet: { number: 1 },
              builds: [
                {
                  job: 'tempest-full',
                  result: 'FAILURE',
                  duration: 182,
                  voting: true,
                  logUrl: `${LOG}/`,
                  run: { id: run },
                },
                {
                  job: 'pep8',
                  result: 'SUCCESS',
                  duration: 182,
                  voting: true,
                  logUrl: 'https://logs.example.org/11/1/check/pep8/bbb',
                  run: null,
                },
              ],
            },
          ],
        },
        {
          number: 2,
          kind: 'REWORK',
          supersededAt: null,
          uploader: { username: 'alice' },
          change: { number: 11 },
          reports: [
            {
              ci: { ci: 'acme-ci', upstream: false },
              verdict: 'SUCCESS',
              vote: 1,
              project: 'openstack/nova',
              change: { number: 11 },
              patchSet: { number: 2 },
              builds: [
                {
                  job: 'acme-smoke',
                  result: 'SUCCESS',
                  duration: 182,
                  voting: true,
                  logUrl: 'https://ci.acme.example/1',
                  run: null,
                },
              ],
            },
          ],
        },
      ],
    });
    expect((await ok<{ change: null }>('{ change(number: 999) { number } }')).change).toBeNull();
  });

  it('links a run to its build, CI, patch set and change', async () => {
    const data = await ok<{ run: unknown }>(
      `query ($id: ID!) { run(id: $id) { change patchSet { number } gerritChange { number subject } ci { ci } build { job } } }`,
      { id: run },
    );
    expect(data.run).toEqual({
      change: null,
      patchSet: { number: 1 },
      gerritChange: { number: 11, subject: 'Change 11' },
      ci: { ci: 'zuul' },
      build: { job: 'tempest-full' },
    });
  });

  it('pages patch sets newest first, filtered by project', async () => {
    const query = `query ($after: String) { patchSets(first: 2, after: $after, filter: { project: "openstack/nova" }) {
      totalCount nodes { changeNumber number } pageInfo { hasNextPage endCursor } } }`;
    type Page = {
      patchSets: {
        totalCount: number;
        nodes: unknown[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const first = await ok<Page>(query);
    expect(first.patchSets.totalCount).toBe(3);
    expect(first.patchSets.nodes).toEqual([
      { changeNumber: 12, number: 1 },
      { changeNumber: 11, number: 2 },
    ]);
    expect(first.patchSets.pageInfo.hasNextPage).toBe(true);
    const second = await ok<Page>(query, { after: first.patchSets.pageInfo.endCursor });
    expect(second.patchSets.nodes).toEqual([{ changeNumber: 11, number: 1 }]);
    expect(second.patchSets.pageInfo.hasNextPage).toBe(false);
  });

  it('lists changes, projects, servers, CI systems and reports', async () => {
    const data = await ok<Record<string, unknown>>(`{
      changes(filter: { project: "openstack/nova" }) { nodes { number } }
      gerritProjects { totalCount nodes { name server } }
      gerritServers { name url lastEventAt }
      ciSystems { ci name upstream }
      ciSystem(ci: "acme-ci") { name lastReportAt }
      ciReports(filter: { ci: "zuul" }) { totalCount nodes { verdict } }
    }`);
    expect(data).toEqual({
      changes: { nodes: [{ number: 12 }, { number: 11 }] },
      gerritProjects: {
        totalCount: 2,
        nodes: [
          { name: 'openstack/nova', server: 'review' },
          { name: 'openstack/neutron', server: 'review' },
        ],
      },
      gerritServers: [
        {
          name: 'review',
          url: 'https://review.example.org',
          lastEventAt: new Date((T0 + 7 * HOUR) * 1000).toISOString(),
        },
      ],
      ciSystems: [
        { ci: 'zuul', name: 'Zuul', upstream: true },
        { ci: 'acme-ci', name: 'ACME CI', upstream: false },
      ],
      ciSystem: {
        name: 'ACME CI',
        lastReportAt: new Date((T0 + 5 * HOUR + 600) * 1000).toISOString(),
      },
      ciReports: { totalCount: 1, nodes: [{ verdict: 'FAILURE' }] },
    });
  });

  it('answers the figures over a window', async () => {
    const data = await ok<{ ciFigures: unknown[] }>(
      `query ($since: DateTime, $until: DateTime) { ciFigures(since: $since, until: $until) {
        ci reports builds unparsed successRate eligible coverage missed } }`,
      {
        since: new Date(T0 * 1000).toISOString(),
        until: new Date((T0 + 24 * HOUR) * 1000).toISOString(),
      },
    );
    // Both cover nova only; its eligible patch sets: 11/1 (superseded after 5 h), 11/2, 12/1.
    expect(data.ciFigures).toEqual([
      {
        ci: 'zuul',
        reports: 1,
        builds: 2,
        unparsed: 0,
        successRate: 0,
        eligible: 3,
        coverage: 1 / 3,
        missed: 2,
      },
      {
        ci: 'acme-ci',
        reports: 1,
        builds: 1,
        unparsed: 0,
        successRate: 1,
        eligible: 3,
        coverage: 1 / 3,
        missed: 2,
      },
    ]);
  });

  it('answers bad arguments with the existing error codes', async () => {
    const cases: [string, string][] = [
      ['{ patchSets(first: 0) { totalCount } }', 'BAD_USER_INPUT'],
      ['{ ciReports(after: "nope") { totalCount } }', 'BAD_USER_INPUT'],
      [
        '{ ciFigures(since: "2026-12-01T00:00:00Z", until: "2026-11-01T00:00:00Z") { ci } }',
        'BAD_USER_INPUT',
      ],
      ['{ changes(filter: { since: "yesterday" }) { totalCount } }', 'GRAPHQL_VALIDATION_FAILED'],
      ['query ($s: DateTime) { changes(filter: { since: $s }) { totalCount } }', 'BAD_USER_INPUT'],
    ];
    for (const [query, code] of cases) {
      const { body } = await server.query(query, { s: 'yesterday' });
      expect(body.errors?.[0]?.extensions?.code, query).toBe(code);
    }
  });

  it('costs a fixed number of statements whatever the page size', async () => {
    let statements = 0;
    const count = () => statements++;
    server.app.services.db.knex.on('query', count);
    const query = `query ($first: Int!, $until: DateTime) {
      patchSets(first: $first, filter: { project: "openstack/nova", until: $until }) { nodes { number change { number owner { username } }
      uploader { username } reports { ci { ci } builds { job run { id } } change { number } } } } }`;
    const cost = async (variables: Record<string, unknown>) => {
      const before = statements;
      await ok(query, variables);
      return statements - before;
    };
    try {
      // 11/1 alone (reports, builds, a linked run), then the three of nova: the same statements.
      const one = await cost({ first: 1, until: new Date((T0 + 1) * 1000).toISOString() });
      expect(await cost({ first: 3 })).toBe(one);
    } finally {
      server.app.services.db.knex.removeListener('query', count);
    }
  });

  it('delivers gerritEvents to a subscriber within a second, filtered by project', async () => {
    const client = server.ws();
    const { next, ready } = firstEvent<{ gerritEvents: unknown }>(
      client,
      'subscription { gerritEvents(project: "openstack/neutron") { type project change patchSet createdOn } }',
    );
    await ready;
    const sent = Date.now();
    await store.accept(
      [
        patchSetCreated(NOVA(14), 1, T0 + 8 * HOUR),
        patchSetCreated({ number: 15, project: 'openstack/neutron' }, 1, T0 + 9 * HOUR),
      ],
      'stream',
    );
    const event = await next;
    expect(Date.now() - sent).toBeLessThan(1000);
    expect(event.data!.gerritEvents).toEqual({
      type: 'patchset-created',
      project: 'openstack/neutron',
      change: 15,
      patchSet: 1,
      createdOn: new Date((T0 + 9 * HOUR) * 1000).toISOString(),
    });
  });

  it('delivers ciReports to a subscriber within a second, filtered by CI', async () => {
    const client = server.ws();
    const { next, ready } = firstEvent<{ ciReports: unknown }>(
      client,
      'subscription { ciReports(ci: "acme-ci") { verdict project ci { ci } patchSet { number change { number } } builds { job } } }',
    );
    await ready;
    const sent = Date.now();
    await store.accept(
      [
        reportAdded(NOVA(12), 1, T0 + 10 * HOUR, ZUUL, true, [
          { job: 'pep8', result: 'SUCCESS', url: 'https://l/1' },
        ]),
        reportAdded(NOVA(12), 1, T0 + 10 * HOUR + 60, ACME, false, [
          { job: 'acme-smoke', result: 'FAILURE', url: 'https://l/2' },
        ]),
      ],
      'stream',
    );
    const event = await next;
    expect(Date.now() - sent).toBeLessThan(1000);
    expect(event.data!.ciReports).toEqual({
      verdict: 'FAILURE',
      project: 'openstack/nova',
      ci: { ci: 'acme-ci' },
      patchSet: { number: 1, change: { number: 12 } },
      builds: [{ job: 'acme-smoke' }],
    });
  });
});
