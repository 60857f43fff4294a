/**
 * Jobs over GraphQL: the list and its totals, windows, time buckets, rolling run times,
 * per-test figures from the rollups and the failed tests of the last failed runs. The runs
 * are hand-made streams (test/helpers/made-runs.ts) with known times and statuses; every
 * expected value is computed here from them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/databases.js';
import { after, ingestMade, model, type MadeRun, type StoredRun } from '../helpers/made-runs.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** A Monday, so that day, week and month buckets all start at known places. */
const BASE = new Date('2026-03-02T00:00:00Z');
const ONE = 'gate.api.test_volumes.VolumesTest.test_one';
const TWO = 'gate.api.test_volumes.VolumesTest.test_two';
const THREE = 'gate.scenario.test_boot.BootTest.test_three';
const OTHER = 'other.test_net.NetTest.test_ping';
const traceback = (error: string) =>
  `Traceback (most recent call last):\n  File "test_volumes.py", line 7, in test\n${error}\n`;

const gateA = (at: Date, results: MadeRun['results']): MadeRun => ({
  at,
  metadata: { build_name: 'gate-a', project: 'openstack/nova' },
  results,
});
const gateB = (at: Date, results: MadeRun['results']): MadeRun => ({
  at,
  metadata: { build_name: 'gate-b', project: 'openstack/neutron' },
  results,
});

const RUNS: MadeRun[] = [
  gateA(after(BASE, 0, 1), [
    [ONE, 'success', 2],
    [TWO, 'success', 3],
    [THREE, 'skip', 0.5],
  ]),
  gateA(after(BASE, 0, 5), [
    [ONE, 'fail', 4, traceback('AssertionError: one broke')],
    [TWO, 'success', 3.25],
    [THREE, 'skip', 0.5],
  ]),
  gateA(after(BASE, 1, 2), [
    [ONE, 'success', 2.5],
    [TWO, 'fail', 1, traceback('ValueError: two broke')],
    [THREE, 'success', 1],
  ]),
  gateA(after(BASE, 1, 3), [[THREE, 'skip', 1]]),
  gateA(after(BASE, 2, 1), [
    [ONE, 'fail', 2, traceback('AssertionError: one broke again')],
    [ONE, 'success', 2],
    [TWO, 'uxsuccess', 1],
  ]),
  gateA(after(BASE, 9, 4), [
    [ONE, 'success', 2],
    [TWO, 'success', 2.5],
    [THREE, 'xfail', 1],
  ]),
  gateA(after(BASE, 30), [
    [ONE, 'fail', 3, traceback('AssertionError: one in April')],
    [TWO, 'success', 2],
  ]),
  gateB(after(BASE, 0, 2), [[OTHER, 'success', 1]]),
  gateB(after(BASE, 1, 5), [[OTHER, 'fail', 2, traceback('TimeoutError')]]),
  gateB(after(BASE, 1, 6), [[OTHER, 'success', 1.5]]),
  // No job: counted nowhere here.
  {
    at: after(BASE, 0, 3),
    metadata: { project: 'openstack/nova' },
    results: [[OTHER, 'success', 1]],
  },
];

const RESOLUTIONS = ['HOUR', 'DAY', 'WEEK', 'MONTH'] as const;
const TOTALS = 'runCount passedRuns failedRuns skippedRuns failureRate lastRunAt';
const BUCKET =
  'start runs passedRuns failedRuns skippedRuns failureRate testPasses testFailures testSkips testFailureRate meanWallTime';

describe.each(backends)('jobs over GraphQL on $name', (backend) => {
  let server: TestServer;
  let runs: StoredRun[];
  const ofJob = (job: string) => runs.filter((r) => r.metadata.build_name === job);

  async function data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const { body } = await server.query<T>(query, variables);
    expect(body.errors).toBeUndefined();
    return body.data!;
  }

  async function refusal(query: string, variables?: Record<string, unknown>) {
    const { body } = await server.query(query, variables);
    expect(body.errors).toHaveLength(1);
    return { code: body.errors![0]!.extensions?.code, message: body.errors![0]!.message };
  }

  beforeAll(async () => {
    server = await startServer(backend);
    runs = await ingestMade(server, RUNS);
  });

  it('lists jobs by name with their totals, filtered and paged', async () => {
    const all = await data<{ jobs: { totalCount: number; nodes: { name: string }[] } }>(
      `{ jobs { totalCount nodes { name ${TOTALS} } } }`,
    );
    expect(all.jobs.totalCount).toBe(2);
    expect(all.jobs.nodes).toEqual([
      { name: 'gate-a', ...model.totals(ofJob('gate-a')) },
      { name: 'gate-b', ...model.totals(ofJob('gate-b')) },
    ]);

    const named = await data<{ jobs: { totalCount: number; nodes: { name: string }[] } }>(
      `{ jobs(filter: { nameContains: "E-B" }) { totalCount nodes { name } } }`,
    );
    expect(named.jobs).toEqual({ totalCount: 1, nodes: [{ name: 'gate-b' }] });

    type Paged = {
      jobs: { nodes: { name: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    };
    const page = `query ($after: String) { jobs(first: 1, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } } }`;
    const first = await data<Paged>(page);
    expect(first.jobs.nodes).toEqual([{ name: 'gate-a' }]);
    expect(first.jobs.pageInfo.hasNextPage).toBe(true);
    const second = await data<Paged>(page, { after: first.jobs.pageInfo.endCursor });
    expect(second.jobs.nodes).toEqual([{ name: 'gate-b' }]);
    expect(second.jobs.pageInfo.hasNextPage).toBe(false);
  });

  it('counts each job over the window it was listed for, or the one a field asks', async () => {
    const since = after(BASE, 1);
    const until = after(BASE, 2);
    const earlier = after(BASE, -1);
    const { jobs } = await data<{ jobs: { nodes: Record<string, unknown>[] } }>(
      `query ($since: DateTime, $until: DateTime, $earlier: DateTime) {
        jobs(filter: { since: $since, until: $until }) {
          nodes { name ${TOTALS} wider: runCount(since: $earlier) widerFailed: failedRuns(since: $earlier) }
        }
      }`,
      { since, until, earlier },
    );
    expect(jobs.nodes).toEqual(
      ['gate-a', 'gate-b'].map((name) => ({
        name,
        ...model.totals(model.inWindow(ofJob(name), since, until)),
        wider: model.inWindow(ofJob(name), earlier, until).length,
        widerFailed: model.totals(model.inWindow(ofJob(name), earlier, until)).failedRuns,
      })),
    );

    // Only jobs with runs in the window are listed.
    const late = await data<{ jobs: { nodes: { name: string }[] } }>(
      `query ($since: DateTime) { jobs(filter: { since: $since }) { nodes { name } } }`,
      { since: after(BASE, 5) },
    );
    expect(late.jobs.nodes).toEqual([{ name: 'gate-a' }]);
  });

  it('answers one job, or null when no run has that name', async () => {
    const { job, none } = await data<{ job: Record<string, unknown>; none: null }>(
      `query ($since: DateTime) {
        job(name: "gate-a") { name ${TOTALS} recent: runCount(since: $since) recentRate: failureRate(since: $since) }
        none: job(name: "gate-z") { name }
      }`,
      { since: after(BASE, 2) },
    );
    const recent = model.inWindow(ofJob('gate-a'), after(BASE, 2));
    expect(job).toEqual({
      name: 'gate-a',
      ...model.totals(ofJob('gate-a')),
      recent: recent.length,
      recentRate: model.totals(recent).failureRate,
    });
    expect(none).toBeNull();
  });

  it("buckets a job's runs at every resolution, in a window too", async () => {
    for (const resolution of RESOLUTIONS) {
      const { job } = await data<{ job: { series: unknown[] } }>(
        `query ($r: Resolution!) { job(name: "gate-a") { series(resolution: $r) { ${BUCKET} } } }`,
        { r: resolution },
      );
      expect(job.series, resolution).toEqual(model.series(ofJob('gate-a'), resolution));
    }
    const since = after(BASE, 0, 4);
    const until = after(BASE, 9);
    const { job } = await data<{ job: { series: unknown[]; byDay: unknown[] } }>(
      `query ($since: DateTime, $until: DateTime) { job(name: "gate-a") {
        series(since: $since, until: $until) { ${BUCKET} }
        byDay: series { start }
      } }`,
      { since, until },
    );
    expect(job.series).toEqual(model.series(model.inWindow(ofJob('gate-a'), since, until), 'DAY'));
    // Days without runs are left out, not given as zeros.
    expect(job.byDay.map((b) => (b as { start: string }).start)).toEqual(
      model.series(ofJob('gate-a'), 'DAY').map((b) => b.start),
    );
  });

  it('gives rolling means and deviations of run times, reaching back before since', async () => {
    const points = (window: number, since?: Date) => {
      const ordered = ofJob('gate-a').sort((a, b) => a.at.getTime() - b.at.getTime());
      return ordered
        .map((run, i) => {
          const sample = ordered.slice(Math.max(0, i - window + 1), i + 1).map(model.wallTime);
          const mean = sample.reduce((a, b) => a + b, 0) / sample.length;
          const sd = Math.sqrt(sample.reduce((a, b) => a + (b - mean) ** 2, 0) / sample.length);
          return { run, mean, sd, samples: sample.length };
        })
        .filter(({ run }) => !since || run.at >= since);
    };
    type Point = {
      run: { id: string };
      runAt: string;
      wallTime: number;
      samples: number;
      rollingMean: number;
      rollingStdDev: number;
      upper: number;
      lower: number;
    };
    const query = `query ($w: Int!, $since: DateTime) { job(name: "gate-a") {
      runTimes(window: $w, since: $since) { run { id } runAt wallTime samples rollingMean rollingStdDev upper lower }
    } }`;
    for (const [window, since] of [
      [3, undefined],
      [3, after(BASE, 1, 3)],
      [1, undefined],
      [1000, undefined],
    ] as const) {
      const { job } = await data<{ job: { runTimes: Point[] } }>(query, { w: window, since });
      const expected = points(window, since);
      expect(job.runTimes.map((p) => p.run.id)).toEqual(expected.map((e) => e.run.id));
      job.runTimes.forEach((point, i) => {
        const { run, mean, sd, samples } = expected[i]!;
        expect(point.runAt).toBe(run.at.toISOString());
        expect(point.wallTime).toBeCloseTo(model.wallTime(run), 9);
        expect(point.samples).toBe(samples);
        expect(point.rollingMean).toBeCloseTo(mean, 9);
        expect(point.rollingStdDev).toBeCloseTo(sd, 6);
        expect(point.upper).toBeCloseTo(mean + 2 * sd, 6);
        expect(point.lower).toBeCloseTo(mean - 2 * sd, 6);
      });
    }
  });

  it("ranks a job's tests by every order, over whole days, filtered and paged", async () => {
    /** Per-test sums of the job's runs on the given UTC days (all when not given). */
    const expected = (days?: Set<string>) => {
      const sums = new Map<
        string,
        { runs: number; passes: number; failures: number; skips: number; time: number }
      >();
      for (const run of ofJob('gate-a')) {
        if (days && !days.has(run.at.toISOString().slice(0, 10))) continue;
        for (const [id, status, seconds] of run.results) {
          const s = sums.get(id) ?? { runs: 0, passes: 0, failures: 0, skips: 0, time: 0 };
          s.runs++;
          if (status === 'success' || status === 'xfail') s.passes++;
          if (status === 'fail' || status === 'uxsuccess') s.failures++;
          if (status === 'skip') s.skips++;
          if (status === 'success') s.time += seconds;
          sums.set(id, s);
        }
      }
      return [...sums].map(([id, s]) => ({
        id,
        runs: s.runs,
        passes: s.passes,
        failures: s.failures,
        skips: s.skips,
        failureRate: model.rate(s.failures, s.passes),
        meanDuration: s.passes === 0 ? null : s.time / s.passes,
      }));
    };
    type Row = ReturnType<typeof expected>[number];
    const measure: Record<string, (r: Row) => number> = {
      FAILURES: (r) => r.failures,
      FAILURE_RATE: (r) => r.failureRate ?? -1,
      MEAN_DURATION: (r) => r.meanDuration ?? -1,
      RUNS: (r) => r.runs,
      TEST_ID: () => 0,
    };
    const ranked = (rows: Row[], order: string) =>
      [...rows].sort((a, b) => measure[order]!(b) - measure[order]!(a) || (a.id < b.id ? -1 : 1));
    type Node = Omit<Row, 'id'> & { test: { testId: string } };
    const asRow = ({ test, ...rest }: Node): Row => ({ id: test.testId, ...rest });
    const FIELDS = 'test { testId } runs passes failures skips failureRate meanDuration';

    for (const order of Object.keys(measure)) {
      const { job } = await data<{ job: { tests: { totalCount: number; nodes: Node[] } } }>(
        `query ($o: JobTestOrder!) { job(name: "gate-a") { tests(orderBy: $o) { totalCount nodes { ${FIELDS} } } } }`,
        { o: order },
      );
      const want = ranked(expected(), order);
      expect(job.tests.totalCount).toBe(want.length);
      const got = job.tests.nodes.map(asRow);
      expect(
        got.map((r) => r.id),
        order,
      ).toEqual(want.map((r) => r.id));
      got.forEach((row, i) => {
        const { meanDuration, ...exact } = want[i]!;
        expect({ ...row, meanDuration: undefined }).toEqual({ ...exact, meanDuration: undefined });
        if (meanDuration === null) expect(row.meanDuration).toBeNull();
        else expect(row.meanDuration).toBeCloseTo(meanDuration, 9);
      });
    }

    // A window mid-day covers the whole days it overlaps.
    const { job: windowed } = await data<{ job: { tests: { nodes: Node[] } } }>(
      `query ($since: DateTime, $until: DateTime) { job(name: "gate-a") {
        tests(since: $since, until: $until, orderBy: TEST_ID) { nodes { ${FIELDS} } }
      } }`,
      { since: after(BASE, 1, 12), until: after(BASE, 2, 2) },
    );
    const days = new Set(['2026-03-03', '2026-03-04']);
    expect(windowed.tests.nodes.map(asRow).map((r) => [r.id, r.runs, r.failures])).toEqual(
      ranked(expected(days), 'TEST_ID').map((r) => [r.id, r.runs, r.failures]),
    );

    const { job: filtered } = await data<{
      job: { prefixed: { nodes: Node[] }; holding: { nodes: Node[] } };
    }>(
      `{ job(name: "gate-a") {
        prefixed: tests(filter: { prefix: "gate.api." }, orderBy: TEST_ID) { nodes { test { testId } } }
        holding: tests(filter: { contains: "boot" }) { nodes { test { testId } } }
      } }`,
    );
    expect(filtered.prefixed.nodes.map((n) => n.test.testId)).toEqual([ONE, TWO]);
    expect(filtered.holding.nodes.map((n) => n.test.testId)).toEqual([THREE]);

    type Paged = {
      job: {
        tests: {
          nodes: { test: { testId: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      };
    };
    const seen: string[] = [];
    let cursor: string | null = null;
    for (;;) {
      const { job }: Paged = await data<Paged>(
        `query ($after: String) { job(name: "gate-a") {
          tests(first: 2, after: $after, orderBy: FAILURES) { nodes { test { testId } } pageInfo { hasNextPage endCursor } }
        } }`,
        { after: cursor },
      );
      seen.push(...job.tests.nodes.map((n) => n.test.testId));
      if (!job.tests.pageInfo.hasNextPage) break;
      cursor = job.tests.pageInfo.endCursor;
    }
    expect(seen).toEqual(ranked(expected(), 'FAILURES').map((r) => r.id));
  });

  it('lists the tests that failed in its last failed runs, with the newest failure', async () => {
    type Failed = {
      test: { testId: string };
      failures: number;
      lastFailure: {
        run: { id: string };
        seq: number;
        status: string;
        tracebackTail: string | null;
      };
    };
    for (const lastRuns of [1, 2, 10]) {
      const { job } = await data<{ job: { failedTests: Failed[] } }>(
        `query ($n: Int!) { job(name: "gate-a") { failedTests(lastRuns: $n) {
          test { testId } failures lastFailure { run { id } seq status tracebackTail(lines: 1) }
        } } }`,
        { n: lastRuns },
      );
      const want = model.failedTests(ofJob('gate-a'), lastRuns);
      expect(job.failedTests, `lastRuns ${lastRuns}`).toEqual(
        want.map((w) => {
          const run = runs.find((r) => r.id === w.runId)!;
          return {
            test: { testId: w.testId },
            failures: w.failures,
            lastFailure: {
              run: { id: w.runId },
              seq: w.seq,
              status: run.results[w.seq]![1].toUpperCase(),
              tracebackTail: w.traceback?.trimEnd().split('\n').at(-1) ?? null,
            },
          };
        }),
      );
    }
  });

  it('pages its runs, restricted to the job whatever the filter says', async () => {
    const { job } = await data<{ job: { runs: { totalCount: number; nodes: { id: string }[] } } }>(
      `{ job(name: "gate-b") { runs(filter: { job: "gate-a", status: FAILED }) { totalCount nodes { id } } } }`,
    );
    const failed = ofJob('gate-b').filter((r) => model.status(r) === 'failed');
    expect(job.runs.totalCount).toBe(failed.length);
    expect(job.runs.nodes.map((n) => n.id)).toEqual(failed.map((r) => r.id));
  });

  it('refuses out-of-range arguments with BAD_USER_INPUT naming them', async () => {
    const cases: [string, RegExp][] = [
      [
        '{ job(name: "gate-a") { failedTests(lastRuns: 0) { failures } } }',
        /lastRuns must be 1…100, got 0/,
      ],
      ['{ failedTests(lastRuns: 101) { failures } }', /lastRuns must be 1…100, got 101/],
      [
        '{ job(name: "gate-a") { runTimes(window: 0) { wallTime } } }',
        /window must be 1…1000, got 0/,
      ],
      ['{ job(name: "gate-a") { runTimes(window: 1001) { wallTime } } }', /window must be 1…1000/],
      [
        '{ job(name: "gate-a") { runCount(since: "2026-03-02T00:00:00Z", until: "2026-03-02T00:00:00Z") } }',
        /since \(2026-03-02T00:00:00.000Z\) must be before until/,
      ],
      [
        '{ jobs(filter: { since: "2026-03-03T00:00:00Z", until: "2026-03-02T00:00:00Z" }) { totalCount } }',
        /must be before until/,
      ],
      ['{ job(name: "gate-a") { tests(after: "bm9wZQ") { totalCount } } }', /bad cursor/],
    ];
    for (const [query, message] of cases) {
      const { code, message: got } = await refusal(query);
      expect(code, query).toBe('BAD_USER_INPUT');
      expect(got, query).toMatch(message);
    }
  });
});
