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
import { gatewatch, type CliResult } from '../helpers/cli.js';
import { backends } from '../helpers/databases.js';
import { FIXTURES } from '../helpers/server.js';
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
      execFileSync('/usr/bin/stestr', args, { cwd: dir, input }).toString();
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

  it("writes every test's mean successful duration, which stestr load keeps for its scheduler", async () => {
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
