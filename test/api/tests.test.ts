/**
 * Tests over GraphQL: search, one test's results, history buckets, failure rate, duration
 * percentiles and jobs. The data is a handful of hand-made subunit v2 streams whose tests,
 * statuses, start times and durations are known, ingested as real runs; every expected value
 * is computed here from those streams, independently of the SQL under test.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeEvent, encodePacket } from '../../workers/subunit/encode.js';
import type { ResultStatus } from '../../workers/subunit/types.js';
import { backends } from '../helpers/databases.js';
import { startServer, type TestServer } from '../helpers/server.js';

const ATTACH = 'pkg.api.volume.test_volumes.VolumesTest.test_attach';
const DETACH = 'pkg.api.volume.test_volumes.VolumesTest.test_detach';
const CREATE = 'pkg.api.compute.test_servers.ServersTest.test_create';
const PERCENT = 'pkg.api.compute.test_servers.ServersTest.test_create_100%_done';
const UNDERSCORE = 'pkg.api.compute.test_servers.ServersTest.testXcreate';
const UPPER = 'pkg.api.Volume.test_case.CaseTest.test_upper';
const ALL_TESTS = [ATTACH, DETACH, CREATE, PERCENT, UNDERSCORE, UPPER];

/** One attempt: test id, status, seconds it took, traceback text. */
type Attempt = [testId: string, status: ResultStatus, seconds: number, traceback?: string];

interface RunSpec {
  job?: string;
  /** When the first test starts: the run's run_at. Whole seconds (MySQL keeps no more). */
  at: string;
  /** Run back to back in this order; an `incomplete` one never ends, so it comes last. */
  attempts: Attempt[];
}

const traceback = (error: string) =>
  `Traceback (most recent call last):\n  File "test_volumes.py", line 42, in test\n    self.attach()\n${error}\n`;

/** Ingested in this order: equal run_at values are ordered by it. */
const RUNS: RunSpec[] = [
  {
    job: 'tempest-full',
    at: '2026-02-26T23:30:00Z',
    attempts: [
      [ATTACH, 'success', 1.5],
      [DETACH, 'success', 0.25],
      [CREATE, 'success', 2],
      [ATTACH, 'incomplete', 0],
    ],
  },
  {
    job: 'tempest-full',
    at: '2026-03-02T10:00:00Z',
    attempts: [
      [ATTACH, 'fail', 4, traceback('AssertionError: attach timed out')],
      [ATTACH, 'success', 2.5],
      [DETACH, 'fail', 1, traceback('ValueError: detach')],
    ],
  },
  {
    job: 'tempest-slow',
    at: '2026-03-02T10:00:00Z',
    attempts: [
      [ATTACH, 'success', 3],
      [PERCENT, 'skip', 0],
    ],
  },
  {
    at: '2026-03-02T15:30:00Z',
    attempts: [
      [ATTACH, 'xfail', 0.5],
      [UNDERSCORE, 'success', 1],
      [UPPER, 'success', 1],
    ],
  },
  {
    job: 'tempest-full',
    at: '2026-03-04T08:15:00Z',
    attempts: [
      [ATTACH, 'uxsuccess', 0.75],
      [ATTACH, 'skip', 0],
    ],
  },
  {
    job: 'tempest-full',
    at: '2026-03-09T00:00:00Z',
    attempts: [
      [ATTACH, 'success', 1.25],
      [ATTACH, 'success', 1.25],
      [DETACH, 'success', 0.5],
    ],
  },
  {
    job: 'tempest-slow',
    at: '2026-03-10T12:00:00Z',
    attempts: [
      [ATTACH, 'fail', 6, traceback('RuntimeError: volume stuck in attaching')],
      [DETACH, 'success', 0.5],
    ],
  },
  {
    job: 'tempest-full',
    at: '2026-04-01T00:00:01Z',
    attempts: [
      [ATTACH, 'success', 0.125],
      [ATTACH, 'success', 9],
    ],
  },
];

/** The run as a subunit v2 stream: each attempt an `inprogress` then its final status. */
function streamOf(run: RunSpec): Buffer {
  let us = Date.parse(run.at) * 1000;
  const timestamp = () => ({ seconds: Math.floor(us / 1e6), nanos: (us % 1e6) * 1000 });
  const packets: Buffer[] = [];
  for (const [testId, status, seconds, trace] of run.attempts) {
    packets.push(
      encodePacket({ testId, status: 'inprogress', runnable: true, timestamp: timestamp() }),
    );
    if (status === 'incomplete') continue;
    us += Math.round(seconds * 1e6);
    const file = trace
      ? {
          mime: 'text/x-traceback; charset=utf8',
          file: { name: 'traceback', bytes: Buffer.from(trace), eof: true },
        }
      : {};
    packets.push(
      ...encodeEvent({ testId, status, runnable: true, timestamp: timestamp(), ...file }),
    );
  }
  return Buffer.concat(packets);
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Bucket starts computed with Date arithmetic, not SQL. */
const bucketOf: Record<string, (ms: number) => number> = {
  HOUR: (ms) => Math.floor(ms / HOUR) * HOUR,
  DAY: (ms) => Math.floor(ms / DAY) * DAY,
  WEEK: (ms) => {
    const day = Math.floor(ms / DAY) * DAY;
    const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
    return day - sinceMonday * DAY;
  },
  MONTH: (ms) => {
    const d = new Date(ms);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  },
};

interface Window {
  since?: string;
  until?: string;
  job?: string;
}

interface Bucket {
  start: string;
  runs: number;
  successes: number;
  failures: number;
  skips: number;
  failureRate: number | null;
  meanDuration: number | null;
}

/** The runs a window selects, with their index in RUNS. */
function runsIn(window: Window): { run: RunSpec; index: number }[] {
  return RUNS.map((run, index) => ({ run, index })).filter(({ run }) => {
    const at = Date.parse(run.at);
    if (window.since && at < Date.parse(window.since)) return false;
    if (window.until && at >= Date.parse(window.until)) return false;
    return window.job === undefined || run.job === window.job;
  });
}

/** The attempts of `testId` in the window, grouped by `keyOf(run)`, counted as documented. */
function expectedCounts<K>(
  testId: string,
  window: Window,
  keyOf: (run: RunSpec) => K,
): Map<K, Omit<Bucket, 'start'>> {
  const sums = new Map<
    K,
    { runs: number; successes: number; failures: number; skips: number; time: number }
  >();
  for (const { run } of runsIn(window)) {
    for (const [id, status, seconds] of run.attempts) {
      if (id !== testId) continue;
      const key = keyOf(run);
      let s = sums.get(key);
      if (!s) sums.set(key, (s = { runs: 0, successes: 0, failures: 0, skips: 0, time: 0 }));
      s.runs++;
      if (status === 'success' || status === 'xfail') s.successes++;
      if (status === 'fail' || status === 'uxsuccess') s.failures++;
      if (status === 'skip') s.skips++;
      if (status === 'success') s.time += seconds;
    }
  }
  return new Map(
    [...sums].map(([key, s]) => [
      key,
      {
        runs: s.runs,
        successes: s.successes,
        failures: s.failures,
        skips: s.skips,
        failureRate:
          s.successes + s.failures === 0 ? null : s.failures / (s.successes + s.failures),
        meanDuration: s.successes === 0 ? null : s.time / s.successes,
      },
    ]),
  );
}

function expectedHistory(testId: string, resolution: string, window: Window): Bucket[] {
  const counts = expectedCounts(testId, window, (run) => bucketOf[resolution]!(Date.parse(run.at)));
  return [...counts]
    .sort(([a], [b]) => a - b)
    .map(([start, c]) => ({ start: new Date(start).toISOString(), ...c }));
}

/** Nearest-rank percentile: the value of rank ⌈p/100·n⌉ in ascending order. */
function nearestRank(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
}

function expectedDurations(testId: string, window: Window) {
  const durations = runsIn(window)
    .flatMap(({ run }) => run.attempts)
    .filter(([id, status]) => id === testId && status === 'success')
    .map(([, , seconds]) => seconds)
    .sort((a, b) => a - b);
  const n = durations.length;
  return {
    count: n,
    mean: n === 0 ? null : durations.reduce((a, b) => a + b, 0) / n,
    min: durations[0] ?? null,
    max: durations.at(-1) ?? null,
    p50: nearestRank(durations, 50),
    p95: nearestRank(durations, 95),
  };
}

/** Floats summed in another order differ in the last bits: compare to 1e-9. */
function rounded<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) =>
      typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v,
    ),
  ) as T;
}

describe.each(backends)('tests over GraphQL on $name', (backend) => {
  let server: TestServer;
  /** The uuid of each run of RUNS. */
  let uuids: string[];

  beforeAll(async () => {
    server = await startServer(backend);
    uuids = [];
    for (const [i, run] of RUNS.entries()) {
      const stream = streamOf(run);
      const summary = await server.app.services.ingest.ingest({
        name: `run-${i}.subunit`,
        source: (async function* () {
          yield stream;
        })(),
        metadata: run.job ? { build_name: run.job } : {},
      });
      uuids.push(summary.run);
    }
  });

  async function query<T>(text: string, variables?: Record<string, unknown>): Promise<T> {
    const { body } = await server.query<T>(text, variables);
    expect(body.errors).toBeUndefined();
    return body.data!;
  }

  async function errorOf(text: string, variables?: Record<string, unknown>) {
    const { body } = await server.query(text, variables);
    expect(body.errors).toHaveLength(1);
    return body.errors![0]!;
  }

  type TestPage = {
    tests: {
      totalCount: number;
      nodes: { testId: string }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };

  /** Every page of a search, `first` at a time, with the totalCount of each page. */
  async function search(filter: { prefix?: string; contains?: string } | null, first: number) {
    const ids: string[] = [];
    const totals = new Set<number>();
    let after: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const { tests }: TestPage = await query<TestPage>(
        `query ($filter: TestFilter, $first: Int, $after: String) {
          tests(filter: $filter, first: $first, after: $after) {
            totalCount nodes { testId } pageInfo { hasNextPage endCursor }
          }
        }`,
        { filter, first, after },
      );
      ids.push(...tests.nodes.map((t) => t.testId));
      totals.add(tests.totalCount);
      if (!tests.pageInfo.hasNextPage) return { ids, totals: [...totals] };
      after = tests.pageInfo.endCursor;
    }
    throw new Error('search did not end');
  }

  it('lists every test by id, byte order, paged with a total', async () => {
    // Byte order puts `Volume` before `compute`; a case-insensitive collation would not.
    const sorted = [...ALL_TESTS].sort();
    expect(sorted[0]).toBe(UPPER);
    expect(await search(null, 2)).toEqual({ ids: sorted, totals: [ALL_TESTS.length] });
  });

  it('searches by prefix and substring, literally and case-sensitively', async () => {
    const cases: [{ prefix?: string; contains?: string }, (id: string) => boolean][] = [
      [{ prefix: 'pkg.api.volume.' }, (id) => id.startsWith('pkg.api.volume.')],
      [{ prefix: 'pkg.api.' }, (id) => id.startsWith('pkg.api.')],
      [{ contains: 'test_create' }, (id) => id.includes('test_create')],
      [{ contains: '100%' }, (id) => id.includes('100%')],
      [{ contains: 'volume' }, (id) => id.includes('volume')],
      [{ contains: 'Volume' }, (id) => id.includes('Volume')],
      [{ prefix: 'pkg.api.compute.', contains: '_' }, (id) => id.startsWith('pkg.api.compute.')],
      [{ prefix: 'pkg.api.c%' }, () => false],
      [{ contains: 'test_c_eate' }, () => false],
      [{ prefix: 'PKG' }, () => false],
    ];
    for (const [filter, matches] of cases) {
      const expected = ALL_TESTS.filter(matches).sort();
      const found = await search(filter, 1);
      expect({ filter, ...found }).toEqual({ filter, ids: expected, totals: [expected.length] });
    }
    // `_` and `%` are not wildcards: only the id holding `test_create` matches, not `testXcreate`.
    expect((await search({ contains: 'test_create' }, 50)).ids).not.toContain(UNDERSCORE);
  });

  it('finds a test by exact id, and answers null for an unknown one', async () => {
    type One = { test: { id: string; testId: string; runs: number; failures: number } | null };
    const all = RUNS.flatMap((run) => run.attempts).filter(([id]) => id === ATTACH);
    const { test } = await query<One>(
      `query ($id: String!) { test(testId: $id) { id testId runs failures } }`,
      { id: ATTACH },
    );
    expect(test).toEqual({
      id: ATTACH,
      testId: ATTACH,
      runs: all.length,
      failures: all.filter(([, s]) => s === 'fail' || s === 'uxsuccess').length,
    });
    for (const unknown of ['pkg.api.volume', `${ATTACH}x`, ATTACH.toUpperCase()]) {
      expect(
        await query<One>(`query ($id: String!) { test(testId: $id) { id } }`, { id: unknown }),
      ).toEqual({
        test: null,
      });
    }
  });

  const HISTORY = `query ($id: String!, $r: Resolution!, $since: DateTime, $until: DateTime, $job: String) {
    test(testId: $id) {
      history(resolution: $r, since: $since, until: $until, job: $job) {
        start runs successes failures skips failureRate meanDuration
      }
    }
  }`;

  async function history(testId: string, resolution: string, window: Window): Promise<Bucket[]> {
    const data = await query<{ test: { history: Bucket[] } }>(HISTORY, {
      id: testId,
      r: resolution,
      ...window,
    });
    return data.test.history;
  }

  it('counts history buckets at every resolution, with and without a window', async () => {
    const windows: Window[] = [
      {},
      // Whole days: read from the rollup.
      { since: '2026-03-02T00:00:00Z', until: '2026-03-10T00:00:00Z' },
      { job: 'tempest-full' },
      { job: 'tempest-slow', since: '2026-03-01T00:00:00Z' },
      // Mid-day bounds: read from the results, exactly.
      { since: '2026-03-02T12:00:00Z' },
      { since: '2026-03-02T10:00:00Z', until: '2026-03-09T00:00:01Z', job: 'tempest-full' },
      { until: '2026-03-02T10:00:00Z' },
    ];
    for (const testId of [ATTACH, DETACH]) {
      for (const resolution of ['HOUR', 'DAY', 'WEEK', 'MONTH']) {
        for (const window of windows) {
          const expected = expectedHistory(testId, resolution, window);
          expect({
            testId,
            resolution,
            window,
            buckets: rounded(await history(testId, resolution, window)),
          }).toEqual({
            testId,
            resolution,
            window,
            buckets: rounded(expected),
          });
        }
      }
    }
    // The data spans weeks and months: the buckets are not trivially one.
    expect(expectedHistory(ATTACH, 'WEEK', {}).length).toBeGreaterThan(3);
    expect(expectedHistory(ATTACH, 'MONTH', {}).length).toBe(3);
  });

  it('gives the same buckets from the rollup and from the results', async () => {
    // Whole-day bounds read the rollup; one second earlier reads the results and, no run
    // starting in that second, must give the same answer.
    const days = { since: '2026-03-01T00:00:00Z', until: '2026-03-11T00:00:00Z' };
    const exact = { since: '2026-02-28T23:59:59Z', until: '2026-03-10T23:59:59Z' };
    for (const resolution of ['DAY', 'WEEK', 'MONTH']) {
      expect(rounded(await history(ATTACH, resolution, exact))).toEqual(
        rounded(await history(ATTACH, resolution, days)),
      );
    }
  });

  it('computes the failure rate over a window and per job', async () => {
    type Rate = {
      test: {
        failureRate: number | null;
        jobs: {
          name: string | null;
          runs: number;
          successes: number;
          failures: number;
          skips: number;
          failureRate: number | null;
        }[];
      };
    };
    const windows: Window[] = [
      {},
      { job: 'tempest-slow' },
      { since: '2026-03-02T00:00:00Z', until: '2026-03-05T00:00:00Z' },
      { since: '2026-03-02T15:00:00Z', until: '2026-03-04T09:00:00Z' },
      { since: '2026-03-04T09:00:00Z', until: '2026-03-09T00:00:00Z' },
    ];
    for (const window of windows) {
      const { test } = await query<Rate>(
        `query ($id: String!, $since: DateTime, $until: DateTime, $job: String) {
          test(testId: $id) { failureRate(since: $since, until: $until, job: $job) }
        }`,
        { id: ATTACH, ...window },
      );
      const expected = expectedCounts(ATTACH, window, () => 'all').get('all')?.failureRate ?? null;
      expect({ window, rate: test.failureRate }).toEqual({
        window,
        rate: expected === null ? null : expect.closeTo(expected, 12),
      });
    }

    const { test } = await query<Rate>(
      `query ($id: String!) { test(testId: $id) { failureRate jobs { name runs successes failures skips failureRate } } }`,
      { id: ATTACH },
    );
    const byJob = expectedCounts(ATTACH, {}, (run) => run.job ?? null);
    const expectedJobs = [...byJob]
      .sort(([a], [b]) => (a === null ? -1 : b === null ? 1 : a < b ? -1 : 1))
      .map(([name, { meanDuration: _, ...c }]) => ({ name, ...c }));
    expect(rounded(test.jobs)).toEqual(rounded(expectedJobs));
    expect(test.jobs.map((j) => j.name)).toEqual([null, 'tempest-full', 'tempest-slow']);
  });

  it('computes duration statistics with nearest-rank percentiles', async () => {
    type Stats = { test: { durationStats: ReturnType<typeof expectedDurations> } };
    const windows: Window[] = [
      {},
      { job: 'tempest-full' },
      { since: '2026-03-02T12:00:00Z' },
      { since: '2026-03-09T00:00:00Z', until: '2026-03-10T00:00:00Z' },
      { since: '2026-03-10T00:00:00Z', until: '2026-03-20T00:00:00Z' },
    ];
    for (const testId of [ATTACH, DETACH]) {
      for (const window of windows) {
        const { test } = await query<Stats>(
          `query ($id: String!, $since: DateTime, $until: DateTime, $job: String) {
            test(testId: $id) { durationStats(since: $since, until: $until, job: $job) { count mean min max p50 p95 } }
          }`,
          { id: testId, ...window },
        );
        expect({ testId, window, stats: rounded(test.durationStats) }).toEqual({
          testId,
          window,
          stats: rounded(expectedDurations(testId, window)),
        });
      }
    }
    // Seven successes: the median is the 4th, the 95th percentile the 7th.
    expect(expectedDurations(ATTACH, {})).toMatchObject({ count: 7, p50: 1.5, p95: 9 });
    expect(
      expectedDurations(ATTACH, { since: '2026-03-10T00:00:00Z', until: '2026-03-20T00:00:00Z' })
        .count,
    ).toBe(0);
  });

  type ResultNode = { status: string; duration: number | null; seq: number; run: { id: string } };

  /** The attempts of a test, newest run first (later ingests first at equal times), in stream order. */
  function expectedResults(testId: string, keep: (status: ResultStatus, run: RunSpec) => boolean) {
    return RUNS.map((run, index) => ({ run, index }))
      .sort((a, b) => Date.parse(b.run.at) - Date.parse(a.run.at) || b.index - a.index)
      .flatMap(({ run, index }) =>
        run.attempts
          .map(([id, status, seconds], seq) => ({ id, status, seconds, seq }))
          .filter(({ id, status }) => id === testId && keep(status, run))
          .map(({ status, seconds, seq }) => ({
            status: status.toUpperCase(),
            duration: status === 'incomplete' ? null : seconds,
            seq,
            run: { id: uuids[index]! },
          })),
      );
  }

  it("pages a test's results newest run first, filtered", async () => {
    const cases: [
      Record<string, unknown> | null,
      (status: ResultStatus, run: RunSpec) => boolean,
    ][] = [
      [null, () => true],
      [{ status: ['FAIL', 'UXSUCCESS'] }, (s) => s === 'fail' || s === 'uxsuccess'],
      [{ job: 'tempest-slow' }, (_s, run) => run.job === 'tempest-slow'],
      [
        { since: '2026-03-02T10:00:00Z', until: '2026-03-09T00:00:00Z', status: ['SUCCESS'] },
        (s, run) =>
          s === 'success' && run.at >= '2026-03-02T10:00:00Z' && run.at < '2026-03-09T00:00:00Z',
      ],
    ];
    type Results = {
      test: {
        results: {
          totalCount: number;
          nodes: ResultNode[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      };
    };
    for (const [filter, keep] of cases) {
      const nodes: ResultNode[] = [];
      const totals = new Set<number>();
      let after: string | null = null;
      for (let pages = 0; pages < 30; pages++) {
        const { test }: Results = await query<Results>(
          `query ($id: String!, $filter: TestResultFilter, $after: String) {
            test(testId: $id) {
              results(filter: $filter, first: 2, after: $after) {
                totalCount nodes { status duration seq run { id } } pageInfo { hasNextPage endCursor }
              }
            }
          }`,
          { id: ATTACH, filter, after },
        );
        nodes.push(...test.results.nodes);
        totals.add(test.results.totalCount);
        if (!test.results.pageInfo.hasNextPage) break;
        after = test.results.pageInfo.endCursor;
      }
      const expected = expectedResults(ATTACH, keep);
      expect({ filter, nodes, totals: [...totals] }).toEqual({
        filter,
        nodes: expected,
        totals: [expected.length],
      });
    }
  });

  it('shows recent failures with their runs and traceback tails', async () => {
    type Failures = {
      test: { recentFailures: (ResultNode & { tracebackTail: string | null })[] };
    };
    const failing = (s: ResultStatus) => s === 'fail' || s === 'uxsuccess';
    const tailOf = (run: RunSpec, seq: number) =>
      run.attempts[seq]![3]?.trimEnd().split('\n').at(-1) ?? null;
    const withTails = (list: ReturnType<typeof expectedResults>) =>
      list.map((r) => ({ ...r, tracebackTail: tailOf(RUNS[uuids.indexOf(r.run.id)]!, r.seq) }));

    const all = await query<Failures>(
      `query ($id: String!) { test(testId: $id) { recentFailures { status duration seq run { id } tracebackTail(lines: 1) } } }`,
      { id: ATTACH },
    );
    const expected = withTails(expectedResults(ATTACH, failing));
    expect(all.test.recentFailures).toEqual(expected);
    expect(expected.map((r) => r.tracebackTail)).toEqual([
      'RuntimeError: volume stuck in attaching',
      null,
      'AssertionError: attach timed out',
    ]);

    const limited = await query<Failures>(
      `query ($id: String!) { test(testId: $id) { recentFailures(limit: 1, job: "tempest-full") { status duration seq run { id } tracebackTail(lines: 1) } } }`,
      { id: ATTACH },
    );
    expect(limited.test.recentFailures).toEqual(
      withTails(
        expectedResults(ATTACH, (s, run) => failing(s) && run.job === 'tempest-full'),
      ).slice(0, 1),
    );
  });

  it('rejects bad arguments with BAD_USER_INPUT', async () => {
    const cases: [string, RegExp][] = [
      [`recentFailures(limit: 0) { seq }`, /limit must be 1…100, got 0/],
      [`recentFailures(limit: 101) { seq }`, /limit must be 1…100, got 101/],
      [
        `history(since: "2026-03-02T00:00:00Z", until: "2026-03-02T00:00:00Z") { runs }`,
        /since .* must be before until/,
      ],
      [
        `failureRate(since: "2026-03-03T00:00:00Z", until: "2026-03-02T00:00:00Z")`,
        /since .* must be before until/,
      ],
      [`durationStats(job: "") { count }`, /job must not be empty/],
      [`results(first: 0) { totalCount }`, /first must be 1…500/],
      [`results(after: "nonsense") { totalCount }`, /bad cursor/],
    ];
    for (const [field, message] of cases) {
      const error = await errorOf(`query ($id: String!) { test(testId: $id) { ${field} } }`, {
        id: ATTACH,
      });
      expect({ field, code: error.extensions?.code }).toEqual({ field, code: 'BAD_USER_INPUT' });
      expect(error.message).toMatch(message);
    }

    // A cursor of one list is refused by the other, not misread.
    const testsCursor = (await query<TestPage>(`{ tests(first: 1) { pageInfo { endCursor } } }`))
      .tests.pageInfo.endCursor;
    const resultsCursor = (
      await query<{ test: { results: { pageInfo: { endCursor: string } } } }>(
        `query ($id: String!) { test(testId: $id) { results(first: 1) { pageInfo { endCursor } } } }`,
        { id: ATTACH },
      )
    ).test.results.pageInfo.endCursor;
    const wrong = [
      await errorOf(
        `query ($id: String!, $after: String) { test(testId: $id) { results(after: $after) { totalCount } } }`,
        { id: ATTACH, after: testsCursor },
      ),
      await errorOf(`query ($after: String) { tests(after: $after) { totalCount } }`, {
        after: resultsCursor,
      }),
    ];
    for (const error of wrong) {
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(/bad cursor/);
    }
  });
});
