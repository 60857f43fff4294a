/**
 * Several servers on one MariaDB: with a Redis (the machine's, on a channel prefix of this
 * run's own) a run uploaded to one reaches the `runIngested` subscribers of the others; with
 * the in-process bus, or another prefix, it does not.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../server/tokens/token.service.js';
import { gatewatch } from '../helpers/cli.js';
import { backends, type Backend } from '../helpers/databases.js';
import {
  byHandWithout,
  randomPrefix,
  redisAvailable,
  testRedisUrl,
  untilSubscribed,
} from '../helpers/redis.js';
import { spawnServe } from '../helpers/serve-process.js';
import { FIXTURES, firstEvent, startServer, wsClient, type TestServer } from '../helpers/server.js';

const RUN_FIELDS = `id runAt ingestedAt buildName status format tests passes failures skips
  xfails uxsuccesses incomplete parseErrors workers wallTime summedTime artifactsUrl
  metadata { key value }`;
const SUBSCRIPTION = `subscription ($filter: RunFilter) { runIngested(filter: $filter) { ${RUN_FIELDS} } }`;

interface Event {
  runIngested: { id: string } & Record<string, unknown>;
}

const mariadb = backends.find((backend) => backend.name === 'mariadb');

/** Uploads a fixture as a CI job does; returns the run's uuid. */
async function upload(serverUrl: string, token: string, buildName: string): Promise<string> {
  const url = new URL('/api/runs', serverUrl);
  url.searchParams.set('build_name', buildName);
  url.searchParams.set('project', 'openstack/nova');
  const response = await fetch(url, {
    method: 'POST',
    body: readFileSync(`${FIXTURES}subunit/stestr-failure.subunit`),
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { run: string }).run;
}

/** The run as its server answers a query for it. */
async function storedRun(server: TestServer, id: string): Promise<Record<string, unknown>> {
  const { body } = await server.query<{ run: Record<string, unknown> }>(
    `query ($id: ID!) { run(id: $id) { ${RUN_FIELDS} } }`,
    { id },
  );
  return body.data!.run;
}

/** A backend whose every server uses the one database given (dropped by its owner). */
function shared(database: Awaited<ReturnType<Backend['create']>>): Backend {
  return { name: 'mariadb', create: async () => ({ ...database, drop: async () => {} }) };
}

describe.skipIf(byHandWithout(!mariadb || !redisAvailable))('instances on one MariaDB', () => {
  let database: Awaited<ReturnType<Backend['create']>>;
  let token: string;
  const servers: TestServer[] = [];

  /** A server on the shared database; started one after another (each applies migrations). */
  async function start(env: Record<string, string>): Promise<TestServer> {
    const server = await startServer(shared(database), env);
    servers.push(server);
    return server;
  }

  beforeAll(async () => {
    database = await mariadb!.create();
    const first = await start({});
    token = (await createToken(first.app.services.db, 'ci')).secret;
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await database?.drop();
  });

  it('share runIngested through Redis', async () => {
    const redis = { GATEWATCH_REDIS: testRedisUrl, GATEWATCH_REDIS_PREFIX: randomPrefix() };
    const a = await start(redis);
    const b = await start(redis);
    const onB = firstEvent<Event>(b.ws(), SUBSCRIPTION, { filter: { job: 'shared-job' } });
    await onB.ready;
    await untilSubscribed(testRedisUrl, `${redis.GATEWATCH_REDIS_PREFIX}:run-ingested`);

    const id = await upload(a.url, token, 'shared-job');
    const event = await onB.next;
    expect(event.errors).toBeUndefined();
    // Dates, numbers and metadata all survive the trip as JSON through Redis.
    expect(event.data!.runIngested).toEqual(await storedRun(b, id));
    expect(event.data!.runIngested).toMatchObject({ id, buildName: 'shared-job' });
  });

  it('hear a run that gatewatch ingest stored with the same Redis', async () => {
    const redis = { GATEWATCH_REDIS: testRedisUrl, GATEWATCH_REDIS_PREFIX: randomPrefix() };
    const server = await start(redis);
    const onServer = firstEvent<Event>(server.ws(), SUBSCRIPTION, { filter: { job: 'cli-job' } });
    await onServer.ready;
    await untilSubscribed(testRedisUrl, `${redis.GATEWATCH_REDIS_PREFIX}:run-ingested`);

    const stored = await gatewatch(
      [
        'ingest',
        '--db',
        database.url,
        '--meta',
        'build_name=cli-job',
        '--json',
        `${FIXTURES}subunit/stestr-failure.subunit`,
      ],
      { env: redis },
    );
    expect(stored.code, stored.stderr).toBe(0);
    const { run } = JSON.parse(stored.out) as { run: string };
    expect((await onServer.next).data!.runIngested).toMatchObject({
      id: run,
      buildName: 'cli-job',
    });
  });

  it.each([
    ['the in-process bus', {}, {}],
    [
      'Redis with another prefix',
      { GATEWATCH_REDIS: testRedisUrl, GATEWATCH_REDIS_PREFIX: randomPrefix() },
      { GATEWATCH_REDIS: testRedisUrl, GATEWATCH_REDIS_PREFIX: randomPrefix() },
    ],
  ])('do not hear each other on %s', async (name, envA, envB) => {
    const a = await start(envA);
    const b = await start(envB);
    const onB = firstEvent<Event>(b.ws(), SUBSCRIPTION);
    await onB.ready;
    if ('GATEWATCH_REDIS_PREFIX' in envB) {
      await untilSubscribed(testRedisUrl, `${envB.GATEWATCH_REDIS_PREFIX}:run-ingested`);
    }
    // Published first: had B heard it, it would be B's first event.
    await upload(a.url, token, `a-job on ${name}`);
    const own = await upload(b.url, token, `b-job on ${name}`);
    expect((await onB.next).data!.runIngested.id).toBe(own);
  });
});

describe.skipIf(byHandWithout(!mariadb || !redisAvailable))('two gatewatch serve processes', () => {
  it('share runIngested through Redis', async () => {
    const database = await mariadb!.create();
    const env = { GATEWATCH_REDIS_PREFIX: randomPrefix() };
    const args = ['--db', database.url, '--redis', testRedisUrl];
    const a = await spawnServe(args, env);
    const b = await spawnServe(args, env).catch(async (error: unknown) => {
      await a.stop();
      throw error;
    });
    const client = wsClient(b.url);
    try {
      const made = await gatewatch(['token', 'create', 'ci', '--db', database.url]);
      expect(made.code, made.stderr).toBe(0);
      const onB = firstEvent<Event>(client, SUBSCRIPTION);
      await onB.ready;
      await untilSubscribed(testRedisUrl, `${env.GATEWATCH_REDIS_PREFIX}:run-ingested`);

      const id = await upload(a.url, made.out.trim(), 'serve-job');
      const event = await onB.next;
      expect(event.data!.runIngested).toMatchObject({
        id,
        buildName: 'serve-job',
        status: 'FAILED',
        metadata: [
          { key: 'build_name', value: 'serve-job' },
          { key: 'project', value: 'openstack/nova' },
        ],
      });
    } finally {
      await client.dispose();
      const codes = await Promise.all([a.stop(), b.stop()]);
      await database.drop();
      expect(codes).toEqual([0, 0]);
    }
    expect(a.stderr() + b.stderr()).not.toMatch(/Redis/);
  });
});
