/**
 * Identifiers are compared exactly, case included, on every backend and in the live-event
 * filter: `Gate-Nova` and `gate-nova` are two jobs, `openstack/Nova` is not `openstack/nova`,
 * and a test id differing only in case is another test.
 */
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../server/tokens/token.service.js';
import { backends } from '../helpers/databases.js';
import { streamOf } from '../helpers/made-runs.js';
import { firstEvent, startServer, type TestServer } from '../helpers/server.js';

const AT = new Date('2026-11-30T10:00:00Z');
const TEST_ID = 'tempest.api.compute.Servers.test_Reboot';

describe.each(backends)('identifiers are case-sensitive on $name', (backend) => {
  let server: TestServer;
  /** Run uuids by job. */
  const runOf: Record<string, string> = {};

  async function store(job: string, project: string, testId: string, at: Date) {
    const summary = await server.app.services.ingest.ingest({
      name: `${job}.subunit`,
      source: Readable.from([streamOf({ at, metadata: {}, results: [[testId, 'success', 1]] })]),
      metadata: { build_name: job, project },
    });
    return summary.run;
  }

  beforeAll(async () => {
    server = await startServer(backend);
    runOf['Gate-Nova'] = await store('Gate-Nova', 'openstack/Nova', TEST_ID, AT);
    runOf['gate-nova'] = await store(
      'gate-nova',
      'openstack/nova',
      TEST_ID.toLowerCase(),
      new Date(AT.getTime() + 60_000),
    );
  });

  async function data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const { body } = await server.query<T>(query, variables);
    expect(body.errors).toBeUndefined();
    return body.data!;
  }

  const RUNS = `query ($filter: RunFilter) { runs(filter: $filter) { nodes { id buildName } } }`;

  it('runs(filter: {job}) finds only the job spelt that way', async () => {
    for (const job of ['Gate-Nova', 'gate-nova']) {
      const { runs } = await data<{ runs: { nodes: { id: string }[] } }>(RUNS, {
        filter: { job },
      });
      expect(runs.nodes.map((r) => r.id)).toEqual([runOf[job]]);
    }
    const { runs } = await data<{ runs: { nodes: unknown[] } }>(RUNS, {
      filter: { job: 'GATE-NOVA' },
    });
    expect(runs.nodes).toEqual([]);
  });

  it('job(name) and jobs see two jobs', async () => {
    const JOB = `query ($name: String!) { job(name: $name) { name runCount } }`;
    for (const name of ['Gate-Nova', 'gate-nova']) {
      const { job } = await data<{ job: unknown }>(JOB, { name });
      expect(job).toEqual({ name, runCount: 1 });
    }
    expect(await data(JOB, { name: 'GATE-NOVA' })).toEqual({ job: null });
    const { jobs } = await data<{ jobs: { nodes: { name: string; runCount: number }[] } }>(
      `{ jobs { nodes { name runCount } } }`,
    );
    expect(jobs.nodes).toEqual([
      { name: 'Gate-Nova', runCount: 1 },
      { name: 'gate-nova', runCount: 1 },
    ]);
  });

  it('a metadata filter matches key and value exactly', async () => {
    const project = (key: string, value: string) =>
      data<{ runs: { nodes: { id: string }[] } }>(RUNS, {
        filter: { metadata: [{ key, value }] },
      }).then(({ runs }) => runs.nodes.map((r) => r.id));
    expect(await project('project', 'openstack/nova')).toEqual([runOf['gate-nova']]);
    expect(await project('project', 'openstack/Nova')).toEqual([runOf['Gate-Nova']]);
    expect(await project('PROJECT', 'openstack/nova')).toEqual([]);
  });

  it('test(testId) tells ids apart by case', async () => {
    const TEST = `query ($id: String!) { test(testId: $id) { testId runs } }`;
    for (const id of [TEST_ID, TEST_ID.toLowerCase()]) {
      expect(await data(TEST, { id })).toEqual({ test: { testId: id, runs: 1 } });
    }
    expect(await data(TEST, { id: TEST_ID.toUpperCase() })).toEqual({ test: null });
  });

  it('runIngested(filter) delivers only exact matches', async () => {
    const token = (await createToken(server.app.services.db, 'ci')).secret;
    const SUBSCRIPTION = `subscription ($filter: RunFilter) { runIngested(filter: $filter) { id } }`;
    const client = server.ws();
    const byJob = firstEvent<{ runIngested: { id: string } }>(client, SUBSCRIPTION, {
      filter: { job: 'gate-nova' },
    });
    const byMetadata = firstEvent<{ runIngested: { id: string } }>(client, SUBSCRIPTION, {
      filter: { metadata: [{ key: 'project', value: 'openstack/nova' }] },
    });
    await Promise.all([byJob.ready, byMetadata.ready]);
    const upload = async (job: string, project: string, at: Date) => {
      const url = new URL('/api/runs', server.url);
      url.searchParams.set('build_name', job);
      url.searchParams.set('project', project);
      const stream = streamOf({ at, metadata: {}, results: [[TEST_ID, 'success', 1]] });
      const response = await fetch(url, {
        method: 'POST',
        body: stream,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(201);
      return ((await response.json()) as { run: string }).run;
    };
    // Published first: a filter that let it through would deliver it first.
    await upload('Gate-Nova', 'openstack/Nova', new Date(AT.getTime() + 120_000));
    const wanted = await upload('gate-nova', 'openstack/nova', new Date(AT.getTime() + 180_000));
    expect((await byJob.next).data!.runIngested.id).toBe(wanted);
    expect((await byMetadata.next).data!.runIngested.id).toBe(wanted);
  });
});
