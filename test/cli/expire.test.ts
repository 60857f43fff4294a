/**
 * `gatewatch expire`: old (or named) runs go with all they own, and what remains is exactly
 * what a fresh ingest of the remaining runs stores; bad arguments remove nothing.
 */
import { createReadStream } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleExpiry } from '../../server/cli/serve-expiry.js';
import { loadConfig } from '../../server/config/config.js';
import type { Database } from '../../server/db/orm.js';
import { toDate } from '../../server/db/sql.js';
import { deleteRun } from '../../server/runs/run-delete.js';
import { expireRunsBefore } from '../../server/runs/run-expire.js';
import { runCli } from '../../server/program.js';
import { openRuntime, type Runtime } from '../../server/runtime.js';
import { gatewatch, spawnGatewatch } from '../helpers/cli.js';
import { backends, type Backend } from '../helpers/databases.js';
import { after, streamOf, type MadeRun } from '../helpers/made-runs.js';
import { rollupsOf } from '../helpers/rollups.js';
import { FIXTURES, startServer, type TestServer } from '../helpers/server.js';

const DAY = 86_400_000;
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);

/** Runs sharing tests, on both sides of 186 days ago, with tracebacks (attachments). */
function madeRuns(): MadeRun[] {
  const results = (fail: boolean): MadeRun['results'] => [
    ['pkg.tests.test_a.A.test_one', 'success', 1.25],
    [
      'pkg.tests.test_a.A.test_two',
      fail ? 'fail' : 'success',
      0.5,
      fail ? 'Traceback\nBoom' : undefined,
    ],
    ['pkg.tests.test_b.B.test_skip', 'skip', 0],
  ];
  return [
    { at: after(NOW, -400), metadata: { build_name: 'tempest-full' }, results: results(true) },
    { at: after(NOW, -200, 3), metadata: { build_name: 'tempest-full' }, results: results(false) },
    { at: after(NOW, -200, 5), metadata: { build_name: 'other-job' }, results: results(true) },
    { at: after(NOW, -30), metadata: { build_name: 'tempest-full' }, results: results(true) },
    { at: after(NOW, -1), metadata: { build_name: 'tempest-full' }, results: results(false) },
    { at: after(NOW, -2), metadata: { build_name: 'other-job' }, results: results(true) },
  ];
}

/** What each run is made of: a made stream, or a real fixture (with a dstat recording). */
type Intake = { made: MadeRun } | { fixture: string; dstat?: string };

function intakes(): Intake[] {
  return [
    ...madeRuns().map((made) => ({ made })),
    // Recorded years ago: older than 186 days.
    { fixture: 'stestr-failure.subunit', dstat: 'dstat/dstat-0.8.0-debian.csv' },
    { fixture: 'stestr-successful.subunit' },
  ];
}

async function store(runtime: Runtime, intake: Intake, i: number): Promise<string> {
  const input =
    'made' in intake
      ? {
          name: `made-${i}.subunit`,
          source: Readable.from([streamOf(intake.made)]),
          metadata: intake.made.metadata,
        }
      : {
          name: intake.fixture,
          source: createReadStream(`${FIXTURES}subunit/${intake.fixture}`),
          metadata: { build_name: 'fixture-job', attempt: String(i) },
          dstat:
            intake.dstat === undefined
              ? undefined
              : { name: intake.dstat, source: createReadStream(`${FIXTURES}${intake.dstat}`) },
        };
  return (await runtime.services.ingest.ingest(input)).run;
}

/** The rollups without the tests' row ids (a fresh database numbers them anew). */
async function sums(db: Database): Promise<Record<string, string>> {
  const rows = await rollupsOf(db.knex);
  return Object.fromEntries(
    Object.entries(rows).map(([key, value]) => [
      key,
      key.startsWith('tests ') ? JSON.stringify(JSON.parse(value).slice(1)) : value,
    ]),
  );
}

/** Rows each table holds for runs (owned rows, by their run). */
async function owned(db: Database): Promise<Record<string, number>> {
  const count = async (table: string) => Number((await db.knex(table).count({ n: '*' }))[0]!.n);
  const tables = ['runs', 'test_results', 'attachments', 'artifacts', 'artifact_chunks'];
  const more = ['run_metadata', 'dstats', 'dstat_series'];
  return Object.fromEntries(
    await Promise.all([...tables, ...more].map(async (t) => [t, await count(t)] as const)),
  );
}

interface Stored {
  handle: Awaited<ReturnType<Backend['create']>>;
  runtime: Runtime;
  /** Run uuids in intake order. */
  runs: string[];
}

async function storeAll(backend: Backend, which: readonly Intake[]): Promise<Stored> {
  const handle = await backend.create();
  const runtime = await openRuntime(loadConfig({ db: handle.url }, {}));
  const runs: string[] = [];
  for (const [i, intake] of which.entries()) runs.push(await store(runtime, intake, i));
  return { handle, runtime, runs };
}

async function close(stored: Stored | undefined): Promise<void> {
  await stored?.runtime.stop();
  await stored?.handle.drop();
}

async function runAtOf(db: Database, uuid: string): Promise<Date> {
  return toDate((await db.knex('runs').where('uuid', uuid).first('run_at')).run_at);
}

describe.each(backends)('gatewatch expire on $name', (backend) => {
  let full: Stored;
  let kept: number[];
  let fresh: Stored;

  beforeAll(async () => {
    full = await storeAll(backend, intakes());
    const cutoff = NOW.getTime() - 186 * DAY;
    kept = [];
    for (const [i, uuid] of full.runs.entries()) {
      if ((await runAtOf(full.runtime.services.db, uuid)).getTime() >= cutoff) kept.push(i);
    }
    // Both sides of the cutoff are there, or the test would prove nothing.
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(full.runs.length);
    fresh = await storeAll(
      backend,
      intakes().filter((_, i) => kept.includes(i)),
    );
  });
  afterAll(async () => {
    await close(full);
    await close(fresh);
  });

  const db = () => full.runtime.services.db;
  const cli = (...args: string[]) => gatewatch(['expire', '--db', full.handle.url, ...args]);

  it('refuses bad arguments with exit 2 and removes nothing', async () => {
    const before = { rows: await owned(db()), sums: await sums(db()) };
    const cases: [string[], string][] = [
      [['--older-than', '0'], '--older-than 0: an age of 0 would remove everything'],
      [['--older-than', 'abc'], '--older-than abc: not a duration'],
      [['--older-than', '0d'], '--older-than 0d: not a duration'],
      [[], 'give either --older-than AGE (186d) or --run ID…'],
      [['--older-than', '186d', '--run', full.runs[0]!], 'not both and not neither'],
      [['--run', full.runs[0]!, '--run', '00000000-dead'], '--run 00000000-dead: no run with id'],
      [['--run', 'not-a-run'], '"not-a-run" is not a run id'],
    ];
    for (const [args, message] of cases) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.out).toBe('');
    }
    expect(await owned(db())).toEqual(before.rows);
    expect(await sums(db())).toEqual(before.sums);
  });

  it('--dry-run lists what would go and removes nothing', async () => {
    const before = await owned(db());
    const text = await cli('--older-than', '186d', '--dry-run');
    expect(text.code).toBe(0);
    const gone = full.runs.filter((_, i) => !kept.includes(i));
    for (const uuid of gone) expect(text.out).toContain(uuid);
    for (const i of kept) expect(text.out).not.toContain(full.runs[i]);
    expect(text.out).toContain(`${gone.length} runs (`);
    expect(text.out).toContain('would be removed (dry run: nothing was)');
    const json = await cli('--older-than', '186d', '--dry-run', '--json');
    expect(JSON.parse(json.out)).toMatchObject({ dryRun: true, runs: gone.length });
    expect(new Set(JSON.parse(json.out).ids)).toEqual(new Set(gone));
    expect(await owned(db())).toEqual(before);
  });

  it('removes the old runs with all they own; the rollups equal a fresh ingest of the rest', async () => {
    const gone = full.runs.filter((_, i) => !kept.includes(i));
    const result = await cli('--older-than', '186d', '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.out);
    expect(summary).toMatchObject({ dryRun: false, runs: gone.length });
    expect(summary.results).toBeGreaterThan(0);
    expect(await owned(db())).toEqual(await owned(fresh.runtime.services.db));
    expect(await sums(db())).toEqual(await sums(fresh.runtime.services.db));
    // Nothing is left to expire: a second time removes nothing.
    const again = await cli('--older-than', '186d');
    expect(again.code).toBe(0);
    expect(again.out).toBe('gatewatch expire: 0 runs (0 test results) older than 186d removed\n');
  });

  it('shows its progress on a terminal and clears it at the end', async () => {
    const [uuid] = kept.map((i) => full.runs[i]!);
    const out = new PassThrough();
    const err = Object.assign(new PassThrough(), { isTTY: true });
    const chunks: Buffer[] = [];
    err.on('data', (chunk: Buffer) => chunks.push(chunk));
    out.resume();
    const args = ['expire', '--db', full.handle.url, '--run', uuid!];
    const code = await runCli(args, {
      stdin: Readable.from([]),
      stdout: out,
      stderr: err,
      env: {},
    });
    expect(code).toBe(0);
    const stderr = Buffer.concat(chunks).toString();
    // Drawn once, then erased (carriage return, erase to the line's end).
    expect(stderr).toMatch(/^\rexpiring: 1\/1 runs \(100 %\), \d+ test results\r/);
    expect(stderr.endsWith('\r\u001b[K')).toBe(true);
    kept = kept.filter((i) => full.runs[i] !== uuid);
    await deleteRun(
      fresh.runtime.services.db,
      Number((await fresh.runtime.services.db.knex('runs').orderBy('id').first('id')).id),
    );
    expect(await sums(db())).toEqual(await sums(fresh.runtime.services.db));
  });

  it('--run removes the named runs (uuid or prefix) and nothing else', async () => {
    const [first, second, ...rest] = kept.map((i) => full.runs[i]!);
    const result = await cli('--run', first!, '--run', second!.slice(0, 8));
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^gatewatch expire: 2 runs \(\d+ test results\) removed\n$/);
    const left = await db().knex('runs').pluck('uuid');
    expect(new Set(left)).toEqual(new Set(rest));
    // The fresh database without the same two runs: the same rollups.
    const freshDb = fresh.runtime.services.db;
    const freshIds = await freshDb.knex('runs').orderBy('id').pluck('id');
    for (const id of freshIds.slice(0, 2)) expect(await deleteRun(freshDb, Number(id))).toBe(true);
    expect(await sums(db())).toEqual(await sums(freshDb));
  });
});

// Several servers share a database on MySQL only (SQLite has one writing process).
const shared = backends.filter((b) => b.name === 'mariadb');

describe.each(shared)('two expiries at once on $name', (backend) => {
  let stored: Stored | undefined;
  let second: Awaited<ReturnType<typeof openRuntime>> | undefined;
  afterAll(async () => {
    await second?.stop();
    await close(stored);
  });

  it('take every old run out once between them', async () => {
    stored = await storeAll(backend, intakes());
    const kept = await storeAll(backend, intakes().slice(3, 6));
    try {
      second = await openRuntime(loadConfig({ db: stored.handle.url }, {}));
      const cutoff = new Date(NOW.getTime() - 186 * DAY);
      const pace = { batchSize: 2, pauseMs: 1 };
      const [a, b] = await Promise.all([
        expireRunsBefore(stored.runtime.services.db, cutoff, pace),
        expireRunsBefore(second.services.db, cutoff, pace),
      ]);
      expect(a.runs + b.runs).toBe(stored.runs.length - 3);
      expect(await sums(stored.runtime.services.db)).toEqual(await sums(kept.runtime.services.db));
    } finally {
      await close(kept);
    }
  });
});

describe('expiry beside a server on the same SQLite file', () => {
  const sqlite = backends.find((b) => b.name === 'sqlite')!;
  const RUNS = 24;
  const COUNT = `{ runs(first: 1) { totalCount } }`;

  /** A server holding RUNS old runs of 300 tests each. */
  async function serverWithOldRuns(): Promise<TestServer> {
    const server = await startServer(sqlite);
    const tests = Array.from({ length: 300 }, (_, i) => `pkg.tests.T.test_${i}` as const);
    for (let i = 0; i < RUNS; i++) {
      await server.app.services.ingest.ingest({
        name: `old-${i}.subunit`,
        source: Readable.from([
          streamOf({
            at: after(NOW, -300 - i),
            metadata: { build_name: 'old-job' },
            results: tests.map((id, n) => [id, n % 17 === 0 ? 'fail' : 'success', 0.01]),
          }),
        ]),
        metadata: { build_name: 'old-job' },
      });
    }
    return server;
  }

  /**
   * Queries the server back to back until `expiring` settles: every answer must come within
   * a second, and some while runs were going (neither all nor none left).
   */
  async function answersWhile(server: TestServer, expiring: Promise<unknown>): Promise<void> {
    let finished = false;
    void expiring.finally(() => (finished = true));
    const seen: number[] = [];
    let slowest = 0;
    while (!finished) {
      const started = performance.now();
      const { body } = await server.query<{ runs: { totalCount: number } }>(COUNT);
      slowest = Math.max(slowest, performance.now() - started);
      expect(body.errors).toBeUndefined();
      seen.push(body.data!.runs.totalCount);
    }
    expect(seen.some((n) => n > 0 && n < RUNS)).toBe(true);
    expect(slowest).toBeLessThan(1000);
    const { body } = await server.query<{ runs: { totalCount: number } }>(COUNT);
    expect(body.data!.runs.totalCount).toBe(0);
    expect(await rollupsOf(server.app.services.db.knex)).toEqual({});
  }

  it('gatewatch expire in another process leaves the server answering', async () => {
    const server = await serverWithOldRuns();
    const { target } = server.app.services.config.database;
    if (target.dialect !== 'sqlite') throw new Error('expected a SQLite database');
    const expiring = spawnGatewatch(
      ['expire', '--db', `sqlite:${target.path}`, '--older-than', '186d'],
      { env: { GATEWATCH_EXPIRE_BATCH: '4', GATEWATCH_EXPIRE_PAUSE: '100ms' } },
    );
    await answersWhile(server, expiring);
    const result = await expiring;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain(`${RUNS} runs (`);
  });

  it('serve --expire in the server process leaves it answering (reads take turns between runs)', async () => {
    const server = await serverWithOldRuns();
    const logs: string[] = [];
    const logged = new Promise<void>((resolve) => {
      scheduleExpiry(
        server.app.runtime,
        186 * DAY,
        { batchSize: 4, pauseMs: 100 },
        (line) => {
          logs.push(line);
          resolve();
        },
        { firstAfterMs: 1, everyMs: DAY },
      );
    });
    await answersWhile(server, logged);
    expect(logs[0]).toMatch(
      new RegExp(`^retention: ${RUNS} runs \\(\\d+ test results\\) that ran before `),
    );
  });
});

describe.each(backends)('serve --expire on $name', (backend) => {
  let stored: Stored | undefined;
  let kept: Stored | undefined;
  const others: Runtime[] = [];
  afterAll(async () => {
    for (const runtime of others) await runtime.stop();
    await close(stored);
    await close(kept);
  });

  it('expires old runs soon after start, from every instance at once, exactly', async () => {
    stored = await storeAll(backend, intakes());
    kept = await storeAll(backend, intakes().slice(3, 6));
    // Several instances only share MySQL; SQLite has one serving process.
    if (backend.name === 'mariadb') {
      others.push(await openRuntime(loadConfig({ db: stored.handle.url }, {})));
    }
    const logs: string[] = [];
    const config = loadConfig({ db: stored.handle.url, expire: '186d' }, {});
    const { expireAfter, expireBatch, expirePause } = config.retention;
    expect(expireAfter).toBe(186 * DAY);
    for (const runtime of [stored.runtime, ...others]) {
      scheduleExpiry(
        runtime,
        expireAfter,
        { batchSize: expireBatch, pauseMs: expirePause },
        (line) => logs.push(line),
        { firstAfterMs: 10, everyMs: DAY },
      );
    }
    const db = stored.runtime.services.db;
    await until(async () => logs.length === 1 + others.length);
    const removed = logs.map((line) => Number(/retention: (\d+) runs/.exec(line)![1]));
    expect(removed.reduce((a, b) => a + b, 0)).toBe(stored.runs.length - 3);
    expect(await sums(db)).toEqual(await sums(kept.runtime.services.db));
  });

  it('is off unless asked, and refuses an age it cannot read', () => {
    expect(loadConfig({}, {}).retention.expireAfter).toBe(0);
    expect(() => loadConfig({}, { GATEWATCH_EXPIRE: 'soon' })).toThrow(
      'GATEWATCH_EXPIRE=soon: not a duration',
    );
  });
});

/** Polls `condition` every 20 ms, for at most 20 s. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
