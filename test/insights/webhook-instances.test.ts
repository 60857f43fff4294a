/**
 * Two servers on one MariaDB and one Redis: each insights event reaches every subscriber of
 * either server exactly once (one server publishes it), and each webhook exactly once.
 */
import type { Client } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import { createApp, type App } from '../../server/app.js';
import { loadConfig } from '../../server/config/config.js';
import { recordInsightEvents, type InsightEventPayload } from '../../server/insights/events.js';
import { backends } from '../helpers/databases.js';
import { until } from '../helpers/gerrit-fed.js';
import { byHandWithout, randomPrefix, redisAvailable, testRedisUrl } from '../helpers/redis.js';
import { allEvents, wsClient } from '../helpers/server.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

const SECRET = 'two instances, one secret';
const EVENTS = `subscription { insightEvents { id testVerdict { testId } } }`;

const mariadb = backends.find((b) => b.name === 'mariadb');
describe.skipIf(byHandWithout(mariadb === undefined || !redisAvailable))(
  'insights events across two servers on one MariaDB and Redis',
  () => {
    it('each event is published once and POSTed once, whichever server claims it', async () => {
      const receiver = await startWebhookReceiver(SECRET, () => 200);
      const db = await mariadb!.create();
      const env = {
        GATEWATCH_REDIS: testRedisUrl,
        GATEWATCH_REDIS_PREFIX: randomPrefix(),
        GATEWATCH_WEBHOOKS: `${receiver.origin}/hook`,
        GATEWATCH_WEBHOOK_SECRET: SECRET,
      };
      const apps: App[] = [];
      const clients: Client[] = [];
      try {
        for (let i = 0; i < 2; i++) {
          apps.push(await createApp(loadConfig({ db: db.url, port: '0' }, env)));
        }
        const seen: unknown[][] = [];
        for (const app of [...apps, ...apps]) {
          const client = wsClient(app.url);
          clients.push(client);
          const received = await allEvents<{ insightEvents: { id: string } }>(client, EVENTS);
          seen.push(received);
        }
        const events: InsightEventPayload[] = Array.from({ length: 12 }, (_, i) => ({
          kind: 'test.verdict',
          testId: `demo.tests.test_many.ManyTest.test_${i}`,
          scope: 'job:unit',
          from: null,
          to: i % 2 === 0 ? 'flaky' : 'broken',
          at: new Date(Date.UTC(2026, 11, 4, 20, i)).toISOString(),
        }));
        // Three commits, through either server's database handle.
        for (const [i, slice] of [
          events.slice(0, 4),
          events.slice(4, 9),
          events.slice(9),
        ].entries()) {
          await apps[i % 2]!.services.db.knex.transaction((trx) => recordInsightEvents(trx, slice));
        }
        const knex = apps[0]!.services.db.knex;
        await until(
          async () =>
            (await knex('insight_deliveries').where('state', 'delivered').count({ n: '*' }))[0]!
              .n == 24,
          'every delivery made',
          30_000,
        );
        const ids = (
          (await knex('insight_events').orderBy('id').select('id')) as { id: number }[]
        ).map((r) => String(r.id));
        expect(ids).toHaveLength(12);
        await until(() => seen.every((s) => s.length >= 12), 'every subscriber told', 10_000);
        for (const subscriber of seen) {
          expect(subscriber).toEqual(
            ids.map((id) => ({ insightEvents: { id, testVerdict: expect.anything() } })),
          );
        }
        const posted = receiver.received.map(
          (r) => JSON.parse(r.body.toString()) as { id: string },
        );
        expect(posted.map((p) => p.id).sort()).toEqual([...ids].sort());
        expect(receiver.received.every((r) => r.signed)).toBe(true);
        const attempts = await knex('insight_deliveries').distinct('attempts');
        expect(attempts).toEqual([{ attempts: 1 }]);
      } finally {
        await Promise.all(clients.map((c) => c.dispose()));
        for (const app of apps) await app.close();
        await db.drop();
        await receiver.close();
      }
    });
  },
);
