import { beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/databases.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe.each(backends)('runs over GraphQL on $name', (backend) => {
  let server: TestServer;
  let failing: string;
  let passing: string;

  beforeAll(async () => {
    server = await startServer(backend);
    failing = (
      await server.ingest(
        'subunit/stestr-failure.subunit',
        { build_name: 'tempest-full', project: 'openstack/nova' },
        'dstat/dstat-0.8.0-debian.csv',
      )
    ).run;
    passing = (
      await server.ingest('subunit/stestr-successful.subunit', {
        build_name: 'tempest-full',
        project: 'openstack/neutron',
      })
    ).run;
  });

  it('lists runs newest first with filters and a total', async () => {
    const { status, body } = await server.query<{
      runs: { totalCount: number; nodes: { id: string; status: string; buildName: string }[] };
    }>(`{ runs(filter: { job: "tempest-full" }) { totalCount nodes { id status buildName } } }`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.runs.totalCount).toBe(2);
    expect(body.data!.runs.nodes.map((r) => r.id).sort()).toEqual([failing, passing].sort());

    const failed = await server.query<{ runs: { nodes: { id: string }[] } }>(
      `{ runs(filter: { status: FAILED }) { nodes { id } } }`,
    );
    expect(failed.body.data!.runs.nodes.map((r) => r.id)).toEqual([failing]);

    const nova = await server.query<{ runs: { totalCount: number; nodes: { id: string }[] } }>(
      `query ($p: String!) { runs(filter: { metadata: [{ key: "project", value: $p }] }) { totalCount nodes { id } } }`,
      { p: 'openstack/neutron' },
    );
    expect(nova.body.data!.runs.nodes.map((r) => r.id)).toEqual([passing]);
  });

  it('refuses more metadata pairs than the limit, naming it', async () => {
    const pairs = Array.from({ length: 1000 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    const { body } = await server.query<{ runs: unknown }>(
      `query ($m: [MetadataFilter!]) { runs(filter: { metadata: $m }) { totalCount } }`,
      { m: pairs },
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toBe('the filter has 1000 metadata pairs; the limit is 32');
    const within = await server.query<{ runs: { totalCount: number } }>(
      `query ($m: [MetadataFilter!]) { runs(filter: { metadata: $m }) { totalCount } }`,
      { m: pairs.slice(0, 32) },
    );
    expect(within.body.errors).toBeUndefined();
    expect(within.body.data!.runs.totalCount).toBe(0);
  });

  it('pages with cursors', async () => {
    const first = await server.query<{
      runs: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    }>(`{ runs(first: 1) { nodes { id } pageInfo { hasNextPage endCursor } } }`);
    const page1 = first.body.data!.runs;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await server.query<{
      runs: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean } };
    }>(
      `query ($after: String) { runs(first: 1, after: $after) { nodes { id } pageInfo { hasNextPage } } }`,
      {
        after: page1.pageInfo.endCursor,
      },
    );
    const page2 = second.body.data!.runs;
    expect(page2.pageInfo.hasNextPage).toBe(false);
    expect([...page1.nodes, ...page2.nodes].map((r) => r.id).sort()).toEqual(
      [failing, passing].sort(),
    );
  });

  it('shows a run with its results, timeline, tracebacks and dstat', async () => {
    const { body } = await server.query<{
      run: {
        metadataValue: string;
        failures: number;
        results: { totalCount: number; nodes: { testId: string; tracebackTail: string | null }[] };
        timeline: { lanes: { worker: number | null; results: { seq: number }[] }[] };
        dstat: { samples: number; series: { key: string; values: (number | null)[] }[] };
        artifacts: { kind: string; url: string }[];
      };
    }>(
      `query ($id: ID!) { run(id: $id) {
        metadataValue(key: "project") failures
        results(status: [FAIL]) { totalCount nodes { testId tracebackTail(lines: 1) } }
        timeline { lanes { worker results { seq } } }
        dstat { samples series(keys: ["total_cpu_usage_usr"]) { key values } }
        artifacts { kind url }
      } }`,
      { id: failing },
    );
    expect(body.errors).toBeUndefined();
    const run = body.data!.run;
    expect(run.metadataValue).toBe('openstack/nova');
    expect(run.results.totalCount).toBe(run.failures);
    expect(run.results.nodes[0]!.tracebackTail).toMatch(/Error|assert/i);
    const laneResults = run.timeline.lanes.reduce((n, lane) => n + lane.results.length, 0);
    expect(laneResults).toBeGreaterThan(0);
    expect(run.dstat.series).toHaveLength(1);
    expect(run.dstat.series[0]!.values).toHaveLength(run.dstat.samples);
    expect(run.artifacts.map((a) => a.kind).sort()).toEqual(['dstat', 'subunit']);
  });

  it('answers null for an unknown run and BAD_USER_INPUT for a malformed id', async () => {
    const unknown = await server.query(`{ run(id: "ffffffff") { id } }`);
    expect(unknown.body.data).toEqual({ run: null });
    const malformed = await server.query(`{ run(id: "not a uuid") { id } }`);
    expect(malformed.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(malformed.body.errors?.[0]?.message).toContain('not a uuid');
  });
});
