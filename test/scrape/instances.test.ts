/**
 * The queue across processes: a `serve` killed in the middle of a task, whose task the next
 * `serve` takes up once the lease expired; and two servers on one MariaDB sharing the queue,
 * each task run exactly once.
 */
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../server/app.js';
import { loadConfig } from '../../server/config/config.js';
import { openDatabase } from '../../server/db/orm.js';
import { createToken } from '../../server/tokens/token.service.js';
import { backends } from '../helpers/databases.js';
import { deferred } from '../helpers/deferred.js';
import { startLogServer, type LogServer, type LogTree } from '../helpers/log-server.js';
import { spawnServe } from '../helpers/serve-process.js';
import { byHandWithout } from '../helpers/redis.js';
import { FIXTURES } from '../helpers/server.js';

const STREAM = readFileSync(`${FIXTURES}subunit/sample-last.subunit`);
const SCRAPE = `mutation ($input: String!) { scrape(input: $input) { id } }`;
const TASK = `query ($id: ID!) { scrapeTask(id: $id) { state stage attempts bytesFetched error run { id } } }`;

interface TaskAnswer {
  state: string;
  stage: string | null;
  attempts: number;
  bytesFetched: number;
  error: string | null;
  run: { id: string } | null;
}

async function graphql<T>(url: string, query: string, variables: object, token?: string) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

/** Reads the task until `done` holds of it (polling: the test has no other way to see it). */
async function until(
  url: string,
  id: string,
  done: (task: TaskAnswer) => boolean,
): Promise<TaskAnswer> {
  for (;;) {
    const { scrapeTask } = await graphql<{ scrapeTask: TaskAnswer }>(url, TASK, { id });
    if (done(scrapeTask)) return scrapeTask;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let stalling = true;
const unstall = deferred();
const stalled: LogTree = {
  root: '/45/12345/1/check/gate-stall/1a/',
  style: 'apache',
  files: {
    // Half the stream, then silence while `stalling`; whole once the test lets it be.
    'testrepository.subunit': (res: ServerResponse) => {
      res.writeHead(200, { 'content-length': STREAM.length });
      if (!stalling) {
        res.end(STREAM);
        return;
      }
      res.write(STREAM.subarray(0, STREAM.length >> 1));
      void unstall.promise.then(() => res.destroy());
    },
  },
};
const counted = new Map<string, number>();
const shared: LogTree[] = Array.from({ length: 6 }, (_, i) => ({
  root: `/5${i}/6789${i}/1/check/gate-shared-${i}/${i}b/`,
  style: 'nginx',
  files: {
    'testrepository.subunit': (res: ServerResponse) => {
      counted.set(String(i), (counted.get(String(i)) ?? 0) + 1);
      // Slow enough that both servers' queues have a share of the work.
      setTimeout(() => res.writeHead(200, { 'content-length': STREAM.length }).end(STREAM), 300);
    },
  },
}));

let logs: LogServer;
beforeAll(async () => {
  logs = await startLogServer([stalled, ...shared]);
});
afterAll(async () => {
  unstall.resolve();
  await logs?.close();
});

const ENV = { GATEWATCH_SCRAPE_ALLOW_HOSTS: '127.0.0.1', GATEWATCH_SCRAPE_LEASE: '2s' };

describe.each(backends)('the scrape queue across processes on $name', (backend) => {
  it('a serve killed in the middle of a task: the next serve picks it up and finishes it', async () => {
    stalling = true;
    const db = await backend.create();
    try {
      const first = await spawnServe(['--db', db.url], ENV);
      const handle = await openDatabase(db.target);
      const token = (await createToken(handle, 'ci')).secret;
      await handle.close();
      const url = `${logs.origin}${stalled.root}`;
      const { scrape } = await graphql<{ scrape: { id: string } }>(
        first.url,
        SCRAPE,
        { input: url },
        token,
      );
      await until(first.url, scrape.id, (t) => t.state === 'RUNNING' && t.bytesFetched > 0);
      await first.kill();
      stalling = false;
      const second = await spawnServe(['--db', db.url], ENV);
      try {
        const done = await until(
          second.url,
          scrape.id,
          (t) => t.state !== 'RUNNING' && t.state !== 'QUEUED',
        );
        expect(done).toMatchObject({ state: 'FINISHED', attempts: 2, error: null });
        expect(done.run).not.toBeNull();
      } finally {
        expect(await second.stop()).toBe(0);
      }
    } finally {
      await db.drop();
    }
  });
});

// SKIP LOCKED is MySQL's: SQLite has one writer process.
const mariadb = backends.find((b) => b.name === 'mariadb');
describe.skipIf(byHandWithout(mariadb === undefined))('the scrape queue on one MariaDB', () => {
  it('two servers on one database share the queue: each task runs exactly once', async () => {
    const db = await mariadb!.create();
    const apps: App[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        apps.push(await createApp(loadConfig({ db: db.url, port: '0' }, ENV)));
      }
      const token = (await createToken(apps[0]!.services.db, 'ci')).secret;
      const ids = [];
      for (const t of shared) {
        const { scrape } = await graphql<{ scrape: { id: string } }>(
          apps[0]!.url,
          SCRAPE,
          { input: `${logs.origin}${t.root}` },
          token,
        );
        ids.push(scrape.id);
      }
      const ended = await Promise.all(
        ids.map((id) =>
          until(apps[1]!.url, id, (t) => t.state === 'FINISHED' || t.state === 'FAILED'),
        ),
      );
      expect(ended.map((t) => [t.state, t.attempts])).toEqual(shared.map(() => ['FINISHED', 1]));
      expect(new Set(ended.map((t) => t.run!.id)).size).toBe(shared.length);
      expect([...counted.values()]).toEqual(shared.map(() => 1));
    } finally {
      for (const app of apps) await app.close();
      await db.drop();
    }
  });
});
