/**
 * `gatewatch serve` with a Redis of the test's own that is missing at start, then killed and
 * started again: the API keeps serving, each outage is logged once, an upload while Redis is
 * away is stored (its event lost, logged), and subscribers hear new runs once it is back.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gatewatch } from '../helpers/cli.js';
import { backends } from '../helpers/databases.js';
import { deferred } from '../helpers/deferred.js';
import {
  byHandWithout,
  privateRedis,
  randomPrefix,
  redisAvailable,
  untilSubscribed,
} from '../helpers/redis.js';
import { spawnServe } from '../helpers/serve-process.js';
import { FIXTURES, wsClient } from '../helpers/server.js';

const UNREACHABLE = /Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable/;
const BACK = /Redis at redis:\/\/127\.0\.0\.1:\d+ is back/;
const LOST = /an event on \S+:run-ingested is lost/;

describe.skipIf(byHandWithout(!redisAvailable))('gatewatch serve when Redis goes away', () => {
  it('keeps serving, logs each outage once and delivers again once Redis is back', async () => {
    const database = await backends[0]!.create();
    const redis = await privateRedis();
    const prefix = randomPrefix();
    const channel = `${prefix}:run-ingested`;
    const server = await spawnServe(['--db', database.url, '--redis', redis.url], {
      GATEWATCH_REDIS_PREFIX: prefix,
    });
    const client = wsClient(server.url);
    const made = await gatewatch(['token', 'create', 'ci', '--db', database.url]);
    const upload = async (buildName: string) => {
      const response = await fetch(`${server.url}/api/runs?build_name=${buildName}`, {
        method: 'POST',
        body: readFileSync(`${FIXTURES}subunit/stestr-successful.subunit`),
        headers: { authorization: `Bearer ${made.out.trim()}` },
      });
      expect(response.status).toBe(201);
      return ((await response.json()) as { run: string }).run;
    };
    const heard: string[] = [];
    const first = deferred();
    const second = deferred();
    const fail = (error: unknown) => {
      first.reject(error);
      second.reject(error);
    };
    client.subscribe<{ runIngested: { id: string } }>(
      { query: 'subscription { runIngested { id } }' },
      {
        next: ({ data }) => {
          heard.push(data!.runIngested.id);
          (heard.length === 1 ? first : second).resolve();
        },
        error: fail,
        complete: () => fail(new Error('the subscription completed')),
      },
    );
    try {
      // Unreachable at start: logged, and the API answers anyway.
      await server.waitForStderr(UNREACHABLE);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      await upload('before-redis');
      await server.waitForStderr(LOST);

      await redis.start();
      await server.waitForStderr(BACK);
      await untilSubscribed(redis.url, channel);
      const withRedis = await upload('with-redis');
      // Heard before Redis goes: killed with the message in flight, it could be lost.
      await first.promise;

      await redis.kill();
      await server.waitForStderr(UNREACHABLE, 2);
      await upload('redis-away');
      await server.waitForStderr(LOST, 2);
      const query = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ runs { totalCount } }' }),
      });
      expect(await query.json()).toEqual({ data: { runs: { totalCount: 3 } } });

      await redis.start();
      await server.waitForStderr(BACK, 2);
      // ioredis subscribes again by itself: the subscription made before the outage hears.
      await untilSubscribed(redis.url, channel);
      const last = await upload('redis-back');
      await second.promise;
      expect(heard).toEqual([withRedis, last]);
    } finally {
      await client.dispose();
      expect(await server.stop()).toBe(0);
      await redis.kill();
      await database.drop();
    }
    // Once per outage, not once per retry.
    const log = server.stderr();
    expect(log.match(new RegExp(UNREACHABLE, 'g'))).toHaveLength(2);
    expect(log.match(new RegExp(BACK, 'g'))).toHaveLength(2);
    expect(log.match(new RegExp(LOST, 'g'))).toHaveLength(2);
  });
});
