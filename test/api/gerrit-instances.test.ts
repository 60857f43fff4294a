/**
 * Two servers on one MariaDB and the machine's Redis: what the collecting instance stores
 * reaches the `gerritEvents` and `ciReports` subscribers of the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openGerritStore } from '../../server/gerrit/store.js';
import { backends, type Backend } from '../helpers/databases.js';
import { patchSetCreated, reportAdded, T0, ZUUL } from '../helpers/gerrit-events.js';
import {
  byHandWithout,
  randomPrefix,
  redisAvailable,
  testRedisUrl,
  untilSubscribed,
} from '../helpers/redis.js';
import { firstEvent, startServer, type TestServer } from '../helpers/server.js';

const mariadb = backends.find((backend) => backend.name === 'mariadb');

describe.skipIf(byHandWithout(!mariadb || !redisAvailable))(
  'Gerrit events across instances',
  () => {
    let database: Awaited<ReturnType<Backend['create']>>;
    const servers: TestServer[] = [];

    beforeAll(async () => {
      database = await mariadb!.create();
    });
    afterAll(async () => {
      await Promise.all(servers.map((server) => server.close()));
      await database?.drop();
    });

    it('reach the subscribers of another instance through Redis', async () => {
      const env = { GATEWATCH_REDIS: testRedisUrl, GATEWATCH_REDIS_PREFIX: randomPrefix() };
      const shared: Backend = {
        name: 'mariadb',
        create: async () => ({ ...database, drop: async () => {} }),
      };
      // One after the other: each applies the migrations.
      const a = await startServer(shared, env);
      servers.push(a);
      const b = await startServer(shared, env);
      servers.push(b);
      const events = firstEvent<{ gerritEvents: unknown }>(
        b.ws(),
        'subscription { gerritEvents { type project change patchSet createdOn } }',
      );
      const reports = firstEvent<{ ciReports: unknown }>(
        b.ws(),
        'subscription { ciReports(ci: "zuul") { verdict ci { ci } patchSet { number } builds { job } } }',
      );
      await Promise.all([events.ready, reports.ready]);
      await untilSubscribed(testRedisUrl, `${env.GATEWATCH_REDIS_PREFIX}:gerrit-event`);
      await untilSubscribed(testRedisUrl, `${env.GATEWATCH_REDIS_PREFIX}:ci-report`);

      const store = await openGerritStore(a.app.services, {
        name: 'review',
        url: 'https://review.example.org',
        cis: [],
        upstream: null,
      });
      const change = { number: 21 };
      await store.accept(
        [
          patchSetCreated(change, 1, T0),
          reportAdded(change, 1, T0 + 60, ZUUL, true, [
            { job: 'pep8', result: 'SUCCESS', url: 'https://logs.example.org/21' },
          ]),
        ],
        'stream',
      );
      await store.close();
      expect((await events.next).data!.gerritEvents).toEqual({
        type: 'patchset-created',
        project: 'openstack/nova',
        change: 21,
        patchSet: 1,
        createdOn: new Date(T0 * 1000).toISOString(),
      });
      expect((await reports.next).data!.ciReports).toEqual({
        verdict: 'SUCCESS',
        ci: { ci: 'zuul' },
        patchSet: { number: 1 },
        builds: [{ job: 'pep8' }],
      });
    });
  },
);
