/**
 * Expiry beside other work: two expiries at once on one MariaDB, a server on the same SQLite
 * file answering throughout (from another process and in its own), and `serve --expire`.
 */
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { scheduleExpiry } from '../../server/cli/serve-expiry.js';
import { loadConfig } from '../../server/config/config.js';
import { expireRunsBefore } from '../../server/runs/run-expire.js';
import { openRuntime, type Runtime } from '../../server/runtime.js';
import { spawnGatewatch } from '../helpers/cli.js';
import { backends } from '../helpers/databases.js';
import { close, DAY, intakes, NOW, storeAll, sums, type Stored } from '../helpers/expiry-runs.js';
import { after, streamOf } from '../helpers/made-runs.js';
import { rollupsOf } from '../helpers/rollups.js';
import { startServer, type TestServer } from '../helpers/server.js';

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
