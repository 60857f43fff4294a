/**
 * resolveChange on SQLite and MariaDB: a change the collector stored, a change only the Gerrit
 * stand-in's REST API knows, a log URL, the refusals; and the `resolveChange` GraphQL query.
 */
import { createReadStream } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewatchError } from '../../server/errors.js';
import type { GerritEvent } from '../../server/gerrit/events.js';
import { loadGerritServers, type GerritServerOptions } from '../../server/gerrit/options.js';
import { openGerritStore } from '../../server/gerrit/store.js';
import { resolveChange, type ResolveServer } from '../../server/scrape/resolve.service.js';
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
import { startGerritStandin, type GerritStandin } from '../helpers/gerrit-standin.js';
import { FIXTURES, startServer, type TestServer } from '../helpers/server.js';

const STACKVIZ = (number: number) => ({
  number,
  project: 'openstack/stackviz',
  subject: `Add progress bars (${number})`,
});
const logOf = (change: number, ps: number, job: string, build: string) =>
  `https://logs.example.org/${String(change).slice(-2)}/${change}/${ps}/check/${job}/${build}/`;

const FIRST_TEMPEST = logOf(11, 1, 'tempest-full', 'aaa1111');
const RECHECKED_TEMPEST = logOf(11, 1, 'tempest-full', 'aaa2222');
const PEP8 = logOf(11, 1, 'pep8', 'bbb1111');
const ACME_SMOKE = 'https://ci.acme.example/logs/11/1/acme-smoke/ccc1111/';

/** What the collector stored: change 11 with two Zuul reports (a recheck) and ACME's. */
const stored: GerritEvent[] = [
  patchSetCreated(STACKVIZ(11), 1, T0),
  reportAdded(STACKVIZ(11), 1, T0 + 600, ZUUL, false, [
    { job: 'tempest-full', result: 'FAILURE', url: FIRST_TEMPEST },
    { job: 'pep8', result: 'SUCCESS', url: PEP8 },
  ]),
  commentAdded(STACKVIZ(11), 1, T0 + 700, ALICE, 'recheck'),
  reportAdded(STACKVIZ(11), 1, T0 + 1800, ZUUL, true, [
    { job: 'tempest-full', result: 'SUCCESS', url: RECHECKED_TEMPEST },
  ]),
  reportAdded(STACKVIZ(11), 1, T0 + 1900, ACME, true, [
    { job: 'acme-smoke', result: 'SUCCESS', url: ACME_SMOKE },
  ]),
  patchSetCreated(STACKVIZ(11), 2, T0 + 5 * HOUR),
];

/** What only Gerrit knows: change 21, reported on twice by Zuul and once by a stranger. */
const ONLY_GERRIT = logOf(21, 2, 'tempest-full', 'ddd2222');
const gerritOnly: GerritEvent[] = [
  patchSetCreated(STACKVIZ(21), 1, T0),
  reportAdded(STACKVIZ(21), 1, T0 + 600, ZUUL, false, [
    { job: 'tempest-full', result: 'FAILURE', url: logOf(21, 1, 'tempest-full', 'ddd1111') },
  ]),
  patchSetCreated(STACKVIZ(21), 2, T0 + HOUR),
  reportAdded(STACKVIZ(21), 2, T0 + HOUR + 600, ZUUL, true, [
    { job: 'tempest-full', result: 'SUCCESS', url: ONLY_GERRIT },
    { job: 'docs', result: 'SUCCESS', url: logOf(21, 2, 'docs', 'eee2222') },
  ]),
  reportAdded(STACKVIZ(21), 2, T0 + HOUR + 700, ACME, true, [
    { job: 'acme-smoke', result: 'FAILURE', url: 'https://ci.acme.example/logs/21/2/x/fff1111/' },
  ]),
];

/** A stream event as Gerrit sends it (its time in `eventCreatedOn`). */
const raw = (event: GerritEvent) => ({ ...event, eventCreatedOn: event.createdOn });

let standin: GerritStandin;
let gerrit: GerritServerOptions;
beforeAll(async () => {
  standin = await startGerritStandin({ events: gerritOnly.map(raw) });
  // As `serve --collect --rest URL --gerrit-name review` configures it.
  gerrit = loadGerritServers({ rest: standin.restUrl, gerritName: 'review' }, {})[0]!;
});
afterAll(() => standin.close());

describe.each(backends)('resolveChange on $name', (backend) => {
  let server: TestServer;
  let runId: number;

  beforeAll(async () => {
    server = await startServer(backend, {}, { gerrit: [gerrit] });
    const summary = await server.app.services.ingest.ingest({
      name: 'run',
      source: createReadStream(`${FIXTURES}subunit/sample-last.subunit`),
      metadata: { build_name: 'tempest-full' },
      artifactsUrl: RECHECKED_TEMPEST,
    });
    const row: { id: number } = await server.app.services.db
      .knex('runs')
      .where('uuid', summary.run)
      .first('id');
    runId = Number(row.id);
    const store = await openGerritStore(server.app.services, {
      name: 'review',
      url: standin.restUrl,
      cis: [],
      upstream: null,
    });
    await store.accept(stored, 'stream');
    await store.close();
  });

  const resolve = (text: string, servers: readonly ResolveServer[] = [gerrit]) =>
    resolveChange(server.app.services.db, servers, text);

  it('answers a stored change from the database: the newest build of each job of each CI', async () => {
    const resolution = await resolve('11');
    const common = { change: 11, patchSet: 1, project: 'openstack/stackviz', pipeline: null };
    expect(resolution).toEqual({
      input: '11',
      kind: 'change',
      source: 'database',
      server: 'review',
      change: 11,
      patchSet: 1,
      project: 'openstack/stackviz',
      subject: 'Add progress bars (11)',
      jobs: [
        {
          ...common,
          name: 'acme-smoke',
          result: 'SUCCESS',
          logUrl: ACME_SMOKE,
          ci: 'acme-ci',
          runId: null,
        },
        { ...common, name: 'pep8', result: 'SUCCESS', logUrl: PEP8, ci: 'zuul', runId: null },
        {
          ...common,
          name: 'tempest-full',
          result: 'SUCCESS',
          logUrl: RECHECKED_TEMPEST,
          ci: 'zuul',
          runId,
        },
      ],
    });
    // The same change by patch set and by URL.
    expect((await resolve('11,1')).jobs).toEqual(resolution.jobs);
    expect((await resolve(`${standin.restUrl}/c/openstack/stackviz/+/11/1`)).jobs).toEqual(
      resolution.jobs,
    );
  });

  it('asks Gerrit when the stored patch set has no reports, and says so without a Gerrit', async () => {
    // Patch set 2 of change 11 is stored but has no report; the stand-in does not know 11.
    await expect(resolve('11/2')).rejects.toThrow(
      `Gerrit answered 404 for change 11 (review, ${standin.restUrl})`,
    );
    const withoutGerrit = await resolve('11/2', []);
    expect(withoutGerrit).toMatchObject({ source: 'database', patchSet: 2, jobs: [] });
  });

  it("answers a change only Gerrit knows from its REST API, the configured CIs' reports only", async () => {
    const resolution = await resolve(`${standin.restUrl}/#/c/21/`);
    const common = {
      change: 21,
      patchSet: 2,
      project: 'openstack/stackviz',
      pipeline: null,
      runId: null,
    };
    expect(resolution).toEqual({
      input: `${standin.restUrl}/#/c/21/`,
      kind: 'change',
      source: 'gerrit',
      server: 'review',
      change: 21,
      patchSet: 2,
      project: 'openstack/stackviz',
      subject: 'Add progress bars (21)',
      jobs: [
        {
          ...common,
          name: 'acme-smoke',
          result: 'FAILURE',
          logUrl: 'https://ci.acme.example/logs/21/2/x/fff1111/',
          ci: 'acme-ci',
        },
        {
          ...common,
          name: 'docs',
          result: 'SUCCESS',
          logUrl: logOf(21, 2, 'docs', 'eee2222'),
          ci: 'zuul',
        },
        { ...common, name: 'tempest-full', result: 'SUCCESS', logUrl: ONLY_GERRIT, ci: 'zuul' },
      ],
    });
    const zuulOnly = await resolve('21,1', [{ ...gerrit, cis: ['zuul'] }]);
    expect(zuulOnly.jobs.map((j) => [j.name, j.ci, j.result, j.patchSet])).toEqual([
      ['tempest-full', 'zuul', 'FAILURE', 1],
    ]);
  });

  it('refuses a change nobody knows', async () => {
    await expect(resolve('999', [])).rejects.toThrow(
      'change 999 is unknown to gatewatch and no Gerrit is configured',
    );
    const error = await resolve('999').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewatchError);
    expect((error as GatewatchError).code).toBe('CHANGE_NOT_FOUND');
    expect((error as GatewatchError).message).toMatch(/^Gerrit answered 404 for change 999/);
  });

  it('answers a log URL as its one job, with what the collector stored for it', async () => {
    const known = await resolve(`${RECHECKED_TEMPEST}job-output.txt.gz`, []);
    expect(known).toEqual({
      input: `${RECHECKED_TEMPEST}job-output.txt.gz`,
      kind: 'log-url',
      source: 'log-url',
      server: 'review',
      change: 11,
      patchSet: 1,
      project: 'openstack/stackviz',
      subject: 'Add progress bars (11)',
      jobs: [
        {
          name: 'tempest-full',
          // The report named no pipeline: the layout does.
          pipeline: 'check',
          result: 'SUCCESS',
          logUrl: RECHECKED_TEMPEST,
          ci: 'zuul',
          change: 11,
          patchSet: 1,
          project: 'openstack/stackviz',
          runId,
        },
      ],
    });
    const unknown = await resolve('https://logs.example.org/54/654/7/gate/nova-next/abc1234', []);
    expect(unknown).toMatchObject({ source: 'log-url', server: null, change: 654, patchSet: 7 });
    expect(unknown.jobs).toEqual([
      {
        name: 'nova-next',
        pipeline: 'gate',
        result: null,
        logUrl: 'https://logs.example.org/54/654/7/gate/nova-next/abc1234/',
        ci: null,
        change: 654,
        patchSet: 7,
        project: null,
        runId: null,
      },
    ]);
  });

  it('answers the resolveChange query, and refuses junk with BAD_USER_INPUT', async () => {
    const query = `query ($input: String!) { resolveChange(input: $input) {
      input kind source server change patchSet project subject
      jobs { name pipeline result logUrl ci change patchSet project } } }`;
    const { body } = await server.query<{ resolveChange: { jobs: unknown[] } }>(query, {
      input: '11',
    });
    expect(body.errors).toBeUndefined();
    const direct = await resolve('11');
    expect(body.data!.resolveChange).toEqual({
      ...direct,
      jobs: direct.jobs.map(({ runId: _, ...job }) => job),
    });
    const junk = await server.query(query, { input: 'gopher://x' });
    expect(junk.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(junk.body.errors?.[0]?.message).toMatch(/^gopher: URLs are not read/);
    const unknown = await server.query(query, { input: '31337' });
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(unknown.body.errors?.[0]?.message).toMatch(/^Gerrit answered 404 for change 31337/);
  });
});
