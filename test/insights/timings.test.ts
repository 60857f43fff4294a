/**
 * `gatewatch timings` seeds Debian's stestr: real streams are ingested, the timings stream is
 * loaded into a fresh stestr repository, and the durations stestr keeps for its scheduler
 * (`.stestr/times.dbm`) and shows (`stestr slowest --all`) are the mean successful durations
 * python-subunit reads from the same streams. On each backend.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewatch, spawnGatewatch, type CliResult } from '../helpers/cli.js';
import { backends } from '../helpers/databases.js';
import { STESTR, stestrMissing } from '../helpers/oracle.js';
import { FIXTURES, startServer, type GraphQLResponse, type TestServer } from '../helpers/server.js';
import { fixtureResults, type FixtureResult } from './fixture-results.js';

/** Fixtures by job; the sample-* streams are from 2026-11-22, the stestr ones from 2015–2017. */
const STREAMS = [
  { file: 'subunit/stestr-successful.subunit', job: 'unit' },
  { file: 'subunit/stestr-failure.subunit', job: 'unit' },
  { file: 'subunit/sample-last.subunit', job: 'sample' },
  { file: 'subunit/sample-retry.subunit', job: 'sample' },
];
const SAMPLE_DAY = '2026-11-22';
/** Wide enough for the 2015 fixtures whatever today is. */
const ENV = { GATEWATCH_TIMINGS_MAX_WINDOW: '10000d' };

/** Mean successful microseconds per test, python-subunit's reading, rounded as stestr keeps them. */
function expectedMeans(results: FixtureResult[]): Map<string, number> {
  const sums = new Map<string, { us: number; n: number }>();
  for (const r of results) {
    if (r.status !== 'success') continue;
    const sum = sums.get(r.testId) ?? { us: 0, n: 0 };
    sums.set(r.testId, { us: sum.us + (r.stopUs - r.startUs), n: sum.n + 1 });
  }
  return new Map(
    [...sums].filter(([, s]) => s.us > 0).map(([id, s]) => [id, Math.round(s.us / s.n)]),
  );
}

/**
 * What stestr keeps of them: it keys timings by the id with its first `[…]` removed
 * (`utils.cleanup_test_name`), so ids that differ only there share one key, and the one
 * written last wins: the stream goes slowest first, so the fastest of them.
 */
function asStestrKeeps(means: Map<string, number>): Map<string, number> {
  const kept = new Map<string, number>();
  for (const [id, us] of slowestFirst(means)) {
    const open = id.indexOf('[');
    const close = id.indexOf(']');
    kept.set(open > 0 && close > open ? id.slice(0, open) + id.slice(close + 1) : id, us);
  }
  return kept;
}

function slowestFirst(means: Map<string, number>): [string, number][] {
  return [...means].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
}

/** What stestr made of a timings stream: its scheduler's seconds per test, and `slowest --all`. */
function loadIntoStestr(stream: Buffer): { times: Map<string, number>; slowest: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gatewatch-stestr-'));
  try {
    const stestr = (args: string[], input?: Buffer) =>
      execFileSync(STESTR, args, { cwd: dir, input }).toString();
    stestr(['init']);
    stestr(['load'], stream);
    const dump = execFileSync(
      '/usr/bin/python3',
      [
        '-c',
        'import json,sys; from dbm import dumb; db = dumb.open(sys.argv[1], "r"); ' +
          'json.dump({k.decode(): db[k].decode() for k in db.keys()}, sys.stdout)',
        join(dir, '.stestr', 'times.dbm'),
      ],
      { cwd: dir },
    ).toString();
    const times = new Map(
      Object.entries(JSON.parse(dump) as Record<string, string>).map(([k, v]) => [k, Number(v)]),
    );
    return { times, slowest: stestr(['slowest', '--all']) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function microsOf(times: Map<string, number>): Map<string, number> {
  return new Map([...times].map(([id, seconds]) => [id, Math.round(seconds * 1e6)]));
}

describe.each(backends)('gatewatch timings on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.create>>;
  const results = new Map(STREAMS.map((s) => [s.file, fixtureResults(s.file)]));
  const of = (select: (s: (typeof STREAMS)[number]) => boolean) =>
    STREAMS.filter(select).flatMap((s) => results.get(s.file)!);
  const timings = (args: string[], env: Record<string, string> = ENV): Promise<CliResult> =>
    gatewatch(['timings', ...args, '--db', db.url], { env });

  beforeAll(async () => {
    db = await backend.create();
    for (const { file, job } of STREAMS) {
      const ingested = await gatewatch([
        'ingest',
        '--meta',
        `build_name=${job}`,
        `${FIXTURES}${file}`,
        '--db',
        db.url,
      ]);
      expect(ingested).toMatchObject({ code: 0, stderr: '' });
    }
  });
  afterAll(async () => {
    await db.drop();
  });

  it.skipIf(stestrMissing)(
    "writes every test's mean successful duration, which stestr load keeps for its scheduler",
    async () => {
      const written = await timings([]);
      expect(written).toMatchObject({ code: 0, stderr: '' });
      const { times, slowest } = loadIntoStestr(written.stdout);
      const expected = expectedMeans(of(() => true));
      expect(expected.size).toBeGreaterThan(60);
      expect(microsOf(times)).toEqual(asStestrKeeps(expected));
      // slowest --all shows the stream itself: every test, its seconds to the millisecond.
      for (const [id, us] of expected) {
        expect(slowest).toMatch(new RegExp(`${escape(id)}\\s+${(us / 1e6).toFixed(3)}`));
      }
    },
  );

  it('runs as the built command does', async () => {
    const spawned = await spawnGatewatch(['timings', '--db', db.url], { env: ENV });
    expect(spawned).toMatchObject({ code: 0, stderr: '' });
    expect(microsOf(loadIntoStestr(spawned.stdout).times)).toEqual(
      asStestrKeeps(expectedMeans(of(() => true))),
    );
  });

  it('--job takes the runs of one job, --since those of a window', async () => {
    const unit = await timings(['--job', 'unit']);
    expect(unit.code).toBe(0);
    expect(microsOf(loadIntoStestr(unit.stdout).times)).toEqual(
      asStestrKeeps(expectedMeans(of((s) => s.job === 'unit'))),
    );
    const recent = await timings(['--since', SAMPLE_DAY]);
    expect(recent.code).toBe(0);
    const sampleMeans = expectedMeans(of((s) => s.job === 'sample'));
    expect(microsOf(loadIntoStestr(recent.stdout).times)).toEqual(asStestrKeeps(sampleMeans));
    const neither = await timings(['--since', SAMPLE_DAY, '--job', 'unit']);
    expect(neither).toMatchObject({ code: 0, stderr: '', out: '' });
  });

  it('writes at most timings.maxTests tests, the slowest, and says so', async () => {
    const cut = await timings([], { ...ENV, GATEWATCH_TIMINGS_MAX_TESTS: '3' });
    expect(cut.code).toBe(0);
    expect(cut.stderr).toContain('wrote the 3 slowest tests only (timings.maxTests)');
    const slowest = new Map(slowestFirst(expectedMeans(of(() => true))).slice(0, 3));
    expect(microsOf(loadIntoStestr(cut.stdout).times)).toEqual(asStestrKeeps(slowest));
  });

  it('--output writes the file whole; a window past timings.maxWindow or a bad path is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatewatch-timings-'));
    try {
      const file = join(dir, 'timings.subunit');
      expect(await timings(['--output', file])).toMatchObject({ code: 0, stderr: '', out: '' });
      expect(microsOf(loadIntoStestr(readFileSync(file)).times)).toEqual(
        asStestrKeeps(expectedMeans(of(() => true))),
      );

      const missing = join(dir, 'no-such-dir', 'timings.subunit');
      const refused = await timings(['--output', missing]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`--output ${missing}: cannot write it`);
      expect(readdirSync(dir)).toEqual(['timings.subunit']);

      const far = await timings(['--since', '30d'], { GATEWATCH_TIMINGS_MAX_WINDOW: '7d' });
      expect(far.code).toBe(2);
      expect(far.stderr).toMatch(/since \S+ is further back than timings\.maxWindow allows/);
      expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Timing {
  testId: string;
  count: number;
  mean: number;
  p50: number;
  p95: number;
}

/** Count, mean and nearest-rank percentiles of each test's successful seconds, by test id. */
function expectedTimings(results: FixtureResult[]): Timing[] {
  const durations = new Map<string, number[]>();
  for (const r of results) {
    if (r.status !== 'success') continue;
    durations.set(r.testId, [...(durations.get(r.testId) ?? []), (r.stopUs - r.startUs) / 1e6]);
  }
  const rank = (sorted: number[], p: number) => sorted[Math.ceil((p * sorted.length) / 100) - 1]!;
  return [...durations]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([testId, seconds]) => {
      const sorted = [...seconds].sort((a, b) => a - b);
      return {
        testId,
        count: sorted.length,
        mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
        p50: rank(sorted, 50),
        p95: rank(sorted, 95),
      };
    });
}

interface TimingsPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: Timing[];
}

const TIMINGS = `query ($filter: TestTimingsFilter, $first: Int, $after: String) {
  testTimings(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { testId count mean p50 p95 }
  }
}`;

describe.each(backends)('testTimings over GraphQL on $name', (backend) => {
  let server: TestServer;
  const all = STREAMS.flatMap((s) => fixtureResults(s.file).map((r) => ({ ...r, job: s.job })));

  /** Every page of testTimings, `first` at a time, with the totalCount of the first. */
  async function timingsOf(filter: Record<string, unknown>, first = 7) {
    const nodes: Timing[] = [];
    let after: string | null = null;
    let total = -1;
    for (;;) {
      const response: GraphQLResponse<{ testTimings: TimingsPage }> = await server.query(TIMINGS, {
        filter,
        first,
        after,
      });
      expect(response.body.errors).toBeUndefined();
      const page: TimingsPage = response.body.data!.testTimings;
      if (total < 0) total = page.totalCount;
      nodes.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) return { nodes, total };
      after = page.pageInfo.endCursor;
    }
  }

  function expectTimings(actual: Timing[], expected: Timing[]): void {
    expect(actual.map((t) => [t.testId, t.count])).toEqual(
      expected.map((t) => [t.testId, t.count]),
    );
    for (const [i, timing] of expected.entries()) {
      for (const field of ['mean', 'p50', 'p95'] as const) {
        expect(actual[i]![field]).toBeCloseTo(timing[field], 9);
      }
    }
  }

  beforeAll(async () => {
    server = await startServer(backend, {
      GATEWATCH_TIMINGS_WINDOW: '10000d',
      GATEWATCH_TIMINGS_MAX_WINDOW: '10000d',
    });
    for (const { file, job } of STREAMS) await server.ingest(file, { build_name: job });
  });

  it('gives count, mean, p50 and p95 per test, paged by test id', async () => {
    const expected = expectedTimings(all);
    const { nodes, total } = await timingsOf({});
    expect(total).toBe(expected.length);
    expectTimings(nodes, expected);
    // sample-retry passed test_stable twice: a median and a p95 of two.
    expect(expected.find((t) => t.testId.endsWith('FlakyTest.test_stable'))?.count).toBe(2);
  });

  it('filters by job, window and test id prefix', async () => {
    const unit = await timingsOf({ job: 'unit' }, 50);
    expectTimings(unit.nodes, expectedTimings(all.filter((r) => r.job === 'unit')));
    const since = `${SAMPLE_DAY}T00:00:00Z`;
    const recent = await timingsOf({ since });
    expectTimings(recent.nodes, expectedTimings(all.filter((r) => r.job === 'sample')));
    const prefix = 'sample.tests.test_zz_';
    const zz = await timingsOf({ since, testIdPrefix: prefix }, 1);
    const expected = expectedTimings(all.filter((r) => r.testId.startsWith(prefix)));
    expect(zz.total).toBe(expected.length);
    expectTimings(zz.nodes, expected);
  });

  it('refuses a window longer than timings.maxWindow, an empty job, a foreign cursor', async () => {
    const strict = await startServer(backend, { GATEWATCH_TIMINGS_MAX_WINDOW: '7d' });
    const far = await strict.query(TIMINGS, { filter: { since: '2026-01-01T00:00:00Z' } });
    expect(far.body.errors?.[0]?.message).toMatch(/further back than timings\.maxWindow allows/);
    expect(far.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const empty = await server.query(TIMINGS, { filter: { job: '' } });
    expect(empty.body.errors?.[0]?.message).toBe('job must not be empty');
    const cursor = await server.query(TIMINGS, { after: Buffer.from('[1]').toString('base64url') });
    expect(cursor.body.errors?.[0]?.message).toMatch(/^bad cursor/);
  });
});
