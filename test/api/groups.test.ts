/**
 * The home page over GraphQL: runs grouped by a metadata key with their totals, series and
 * failed tests, the grouped chart series, the failed tests of everything and freshness.
 * The runs are hand-made streams (test/helpers/made-runs.ts); every expected value is
 * computed here from them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/databases.js';
import { after, ingestMade, model, type MadeRun, type StoredRun } from '../helpers/made-runs.js';
import { startServer, type TestServer } from '../helpers/server.js';

const BASE = new Date('2026-05-04T00:00:00Z');
const BOOT = 'tempest.scenario.test_boot.BootTest.test_boot';
const ATTACH = 'tempest.api.test_volumes.VolumesTest.test_attach';
const PING = 'tempest.api.test_net.NetTest.test_ping';
const traceback = (error: string) => `Traceback (most recent call last):\n${error}\n`;

const run = (
  days: number,
  hours: number,
  metadata: Record<string, string>,
  results: MadeRun['results'],
): MadeRun => ({ at: after(BASE, days, hours), metadata, results });

const NOVA = { project: 'openstack/nova' };
const CINDER = { project: 'openstack/cinder' };
/** Upper case sorts before lower case byte by byte, whatever a collation thinks. */
const ZED = { project: 'Openstack/Zed' };

const RUNS: MadeRun[] = [
  run(0, 1, { ...NOVA, build_name: 'gate-nova', branch: 'master' }, [
    [BOOT, 'success', 10],
    [ATTACH, 'fail', 2, traceback('AttachError: one')],
  ]),
  run(0, 4, { ...NOVA, build_name: 'gate-nova', branch: 'stable' }, [
    [BOOT, 'success', 12],
    [PING, 'skip', 0],
  ]),
  run(1, 2, { ...NOVA, build_name: 'gate-nova', branch: 'master' }, [
    [BOOT, 'fail', 3, traceback('BootError: two')],
    [ATTACH, 'fail', 2, traceback('AttachError: two')],
    // A retry failing again: still one run failed in, and the newest failure.
    [ATTACH, 'fail', 2, traceback('AttachError: two, retried')],
  ]),
  run(1, 8, { ...CINDER, build_name: 'gate-cinder', branch: 'master' }, [
    [ATTACH, 'success', 1.5],
    [PING, 'uxsuccess', 0.5],
  ]),
  run(2, 3, { ...CINDER, build_name: 'gate-cinder' }, [[PING, 'skip', 0.25]]),
  run(8, 5, { ...CINDER, build_name: 'gate-cinder', branch: 'master' }, [
    [ATTACH, 'fail', 1, traceback('AttachError: three')],
    [BOOT, 'success', 9],
  ]),
  run(3, 0, { ...ZED, build_name: 'gate-zed' }, [[BOOT, 'xfail', 4]]),
  // No project: the null group of a chart grouped by project.
  run(2, 6, { build_name: 'periodic' }, [[BOOT, 'fail', 6, traceback('BootError: periodic')]]),
];

const TOTALS = 'runCount passedRuns failedRuns skippedRuns failureRate lastRunAt';
const BUCKET =
  'start runs passedRuns failedRuns skippedRuns failureRate testPasses testFailures testSkips testFailureRate meanWallTime';
const FAILED = 'test { testId } failures lastFailure { run { id } seq tracebackTail(lines: 1) }';

describe.each(backends)('groups and the home page over GraphQL on $name', (backend) => {
  let server: TestServer;
  let runs: StoredRun[];
  /** The runs whose `key` is `value` (or lacks the key, for null). */
  const having = (key: string, value: string | null, among = runs) =>
    among.filter((r) => (r.metadata[key] ?? null) === value);
  /** The distinct values of `key`, in byte order (UTF-16 order is the same for these). */
  const valuesOf = (key: string, among = runs) =>
    [...new Set(among.flatMap((r) => (key in r.metadata ? [r.metadata[key]!] : [])))].sort();
  const failedOf = (among: StoredRun[], lastRuns: number) =>
    model.failedTests(among, lastRuns).map((f) => ({
      test: { testId: f.testId },
      failures: f.failures,
      lastFailure: {
        run: { id: f.runId },
        seq: f.seq,
        tracebackTail: f.traceback?.trimEnd().split('\n').at(-1) ?? null,
      },
    }));

  async function data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const { body } = await server.query<T>(query, variables);
    expect(body.errors).toBeUndefined();
    return body.data!;
  }

  beforeAll(async () => {
    server = await startServer(backend);
    runs = await ingestMade(server, RUNS);
  });

  it('groups runs by project by default, in byte order, with totals and pages', async () => {
    type Groups = {
      groups: {
        totalCount: number;
        nodes: { key: string; value: string }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const { groups } = await data<Groups>(
      `{ groups { totalCount nodes { key value ${TOTALS} } pageInfo { hasNextPage endCursor } } }`,
    );
    const projects = valuesOf('project');
    expect(projects[0]).toBe(ZED.project);
    expect(groups.totalCount).toBe(projects.length);
    expect(groups.nodes).toEqual(
      projects.map((value) => ({
        key: 'project',
        value,
        ...model.totals(having('project', value)),
      })),
    );

    const seen: string[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page: Groups = await data<Groups>(
        `query ($after: String) { groups(first: 2, after: $after) { totalCount nodes { key value } pageInfo { hasNextPage endCursor } } }`,
        { after: cursor },
      );
      seen.push(...page.groups.nodes.map((n) => n.value));
      if (!page.groups.pageInfo.hasNextPage) break;
      cursor = page.groups.pageInfo.endCursor;
    }
    expect(seen).toEqual(projects);
  });

  it('groups by any key, counting only the runs the filter keeps', async () => {
    const since = after(BASE, 0, 3);
    const until = after(BASE, 8);
    const { byBranch, windowed } = await data<{
      byBranch: { nodes: { value: string }[] };
      windowed: { nodes: { value: string }[] };
    }>(
      `query ($since: DateTime, $until: DateTime) {
        byBranch: groups(key: "branch", filter: { job: "gate-nova" }) { nodes { value ${TOTALS} } }
        windowed: groups(filter: { since: $since, until: $until, metadata: [{ key: "branch", value: "master" }] }) {
          nodes { value ${TOTALS} }
        }
      }`,
      { since, until },
    );
    const nova = runs.filter((r) => r.metadata.build_name === 'gate-nova');
    expect(byBranch.nodes).toEqual(
      valuesOf('branch', nova).map((value) => ({
        value,
        ...model.totals(having('branch', value, nova)),
      })),
    );
    const kept = having('branch', 'master', model.inWindow(runs, since, until));
    expect(windowed.nodes).toEqual(
      valuesOf('project', kept).map((value) => ({
        value,
        ...model.totals(having('project', value, kept)),
      })),
    );
  });

  it('counts the runs lacking the key apart, so that groups and they add up', async () => {
    type Totals = Record<string, unknown>;
    const { project, branch, job, windowed } = await data<{
      project: { nodes: Totals[]; withoutKey: Totals | null };
      branch: { nodes: Totals[]; withoutKey: Totals | null };
      job: { withoutKey: Totals | null };
      windowed: { withoutKey: Totals | null };
    }>(
      `query ($since: DateTime) {
        project: groups(first: 1) { nodes { runCount } withoutKey { ${TOTALS} } }
        branch: groups(key: "branch") { nodes { runCount } withoutKey { ${TOTALS} } }
        job: groups(key: "build_name") { withoutKey { runCount } }
        windowed: groups(filter: { since: $since }) { withoutKey { runCount } }
      }`,
      { since: after(BASE, 3) },
    );
    const lacking = (key: string) => runs.filter((r) => r.metadata[key] === undefined);
    // On every page, the first included.
    expect(project.withoutKey).toEqual(model.totals(lacking('project')));
    expect(branch.withoutKey).toEqual(model.totals(lacking('branch')));
    const grouped = branch.nodes.reduce((sum, g) => sum + Number(g.runCount), 0);
    expect(grouped + Number(branch.withoutKey!.runCount)).toBe(runs.length);
    // Every run has a job; none lacks a project after day 3.
    expect(job.withoutKey).toBeNull();
    expect(windowed.withoutKey).toBeNull();
  });

  it("gives each group's series and failed tests", async () => {
    const since = after(BASE, 1);
    const { groups } = await data<{
      groups: {
        nodes: {
          value: string;
          series: unknown[];
          weekly: unknown[];
          failedTests: unknown[];
          last: unknown[];
        }[];
      };
    }>(
      `query ($since: DateTime) { groups { nodes {
        value
        series { ${BUCKET} }
        weekly: series(resolution: WEEK, since: $since) { ${BUCKET} }
        failedTests { ${FAILED} }
        last: failedTests(lastRuns: 1) { ${FAILED} }
      } } }`,
      { since },
    );
    for (const group of groups.nodes) {
      const mine = having('project', group.value);
      expect(group.series, group.value).toEqual(model.series(mine, 'DAY'));
      expect(group.weekly, group.value).toEqual(model.series(model.inWindow(mine, since), 'WEEK'));
      expect(group.failedTests, group.value).toEqual(failedOf(mine, 10));
      expect(group.last, group.value).toEqual(failedOf(mine, 1));
    }
  });

  it('charts every group in one series each, runs lacking the key last', async () => {
    const { byProject, all, hourly } = await data<{
      byProject: { value: string | null; buckets: unknown[] }[];
      all: { value: string | null; buckets: unknown[] }[];
      hourly: { value: string | null; buckets: unknown[] }[];
    }>(
      `{
        byProject: runSeries(groupBy: "project") { value buckets { ${BUCKET} } }
        all: runSeries(resolution: MONTH) { value buckets { ${BUCKET} } }
        hourly: runSeries(groupBy: "branch", resolution: HOUR, filter: { status: FAILED }) { value buckets { ${BUCKET} } }
      }`,
    );
    expect(byProject).toEqual([
      ...valuesOf('project').map((value) => ({
        value,
        buckets: model.series(having('project', value), 'DAY'),
      })),
      { value: null, buckets: model.series(having('project', null), 'DAY') },
    ]);
    expect(all).toEqual([{ value: null, buckets: model.series(runs, 'MONTH') }]);
    const failed = runs.filter((r) => model.status(r) === 'failed');
    expect(hourly).toEqual([
      ...valuesOf('branch', failed).map((value) => ({
        value,
        buckets: model.series(having('branch', value, failed), 'HOUR'),
      })),
      { value: null, buckets: model.series(having('branch', null, failed), 'HOUR') },
    ]);
  });

  it('lists the failed tests of the last failed runs of everything, or of a filter', async () => {
    const until = after(BASE, 2);
    const { everything, few, early } = await data<{
      everything: unknown[];
      few: unknown[];
      early: unknown[];
    }>(
      `query ($until: DateTime) {
        everything: failedTests { ${FAILED} }
        few: failedTests(lastRuns: 2) { ${FAILED} }
        early: failedTests(filter: { until: $until, job: "gate-nova" }, lastRuns: 5) { ${FAILED} }
      }`,
      { until },
    );
    expect(everything).toEqual(failedOf(runs, 10));
    expect(few).toEqual(failedOf(runs, 2));
    // The data makes these differ: fewer runs, fewer tests and failures.
    expect(few).not.toEqual(everything);
    const nova = runs.filter((r) => r.metadata.build_name === 'gate-nova');
    expect(early).toEqual(failedOf(model.inWindow(nova, undefined, until), 5));
  });

  it('tells how fresh the data is', async () => {
    const before = Date.now();
    const { all, cinder, none } = await data<{
      all: { newestRunAt: string; ageSeconds: number };
      cinder: { newestRunAt: string; ageSeconds: number };
      none: { newestRunAt: null; ageSeconds: null };
    }>(
      `{
        all: freshness { newestRunAt ageSeconds }
        cinder: freshness(filter: { metadata: [{ key: "project", value: "openstack/cinder" }] }) { newestRunAt ageSeconds }
        none: freshness(filter: { job: "no-such-job" }) { newestRunAt ageSeconds }
      }`,
    );
    const done = Date.now();
    const check = (answer: { newestRunAt: string; ageSeconds: number }, among: StoredRun[]) => {
      const newest = Math.max(...among.map((r) => r.at.getTime()));
      expect(answer.newestRunAt).toBe(new Date(newest).toISOString());
      expect(answer.ageSeconds).toBeGreaterThanOrEqual((before - newest) / 1000);
      expect(answer.ageSeconds).toBeLessThanOrEqual((done - newest) / 1000);
    };
    check(all, runs);
    check(cinder, having('project', CINDER.project));
    expect(none).toEqual({ newestRunAt: null, ageSeconds: null });
  });

  it('refuses an empty key and an empty window with BAD_USER_INPUT', async () => {
    for (const [query, message] of [
      ['{ groups(key: "") { totalCount } }', /key must not be empty/],
      ['{ runSeries(groupBy: "") { value } }', /key must not be empty/],
      [
        '{ groups(filter: { since: "2026-05-05T00:00:00Z", until: "2026-05-04T00:00:00Z" }) { totalCount } }',
        /since \(2026-05-05T00:00:00.000Z\) must be before until \(2026-05-04T00:00:00.000Z\)/,
      ],
      [
        '{ groups { nodes { series(since: "2026-05-05T00:00:00Z", until: "2026-05-05T00:00:00Z") { runs } } } }',
        /must be before until/,
      ],
      [
        '{ freshness(filter: { since: "2026-05-05T00:00:00Z", until: "2026-05-01T00:00:00Z" }) { ageSeconds } }',
        /must be before until/,
      ],
      [
        '{ groups { nodes { failedTests(lastRuns: 500) { failures } } } }',
        /lastRuns must be 1…100/,
      ],
    ] as const) {
      const { body } = await server.query(query);
      expect(body.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message, query).toMatch(message);
    }
  });
});
