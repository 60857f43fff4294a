/**
 * The insights outbox delivered: events recorded through `recordInsightEvents` in a real
 * transaction are POSTed, signed, to real receivers (failing, hanging, then accepting, or
 * failing until given up) and published to the `insightEvents` subscription over a real
 * WebSocket; a rolled-back transaction delivers nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { recordInsightEvents, type InsightEventPayload } from '../../server/insights/events.js';
import { createApp } from '../../server/app.js';
import { loadConfig, type DbTarget } from '../../server/config/config.js';
import type { Database } from '../../server/db/orm.js';
import { purgeInsightEvents } from '../../server/webhooks/deliveries.js';
import { backends } from '../helpers/databases.js';
import { gatewatch } from '../helpers/cli.js';
import { until } from '../helpers/gerrit-fed.js';
import { allEvents, startServer } from '../helpers/server.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

const SECRET = 'a shared secret';

const flaky: InsightEventPayload = {
  kind: 'test.verdict',
  testId: 'demo.tests.test_net.NetTest.test_retry',
  scope: 'job:unit',
  from: null,
  to: 'flaky',
  at: '2026-12-04T20:00:00.000Z',
};
const signature: InsightEventPayload = {
  kind: 'signature.new',
  fingerprint: '9f2c0b1e',
  summary: 'ConnectionError: connection to N.N.N.N refused',
  testId: 'demo.tests.test_net.NetTest.test_connect',
  run: '3b0e1f0c-6a35-4f7e-9d0c-2c1d9b7a4e11',
  at: '2026-12-04T20:00:01.000Z',
};
const rolledBack: InsightEventPayload = { ...flaky, testId: 'demo.tests.never.Told.test_it' };

/** What `--db` takes for a database the test server opened. */
function dbUrl(target: DbTarget): string {
  return target.dialect === 'sqlite'
    ? `sqlite:${target.path}`
    : `mysql://${target.user}:${target.password}@${target.host}:${target.port}/${target.dbName}`;
}

function record(db: Database, events: InsightEventPayload[]): Promise<void> {
  return db.knex.transaction((trx) => recordInsightEvents(trx, events));
}

const EVENTS = `subscription ($kinds: [InsightEventKind!]) {
  insightEvents(kinds: $kinds) {
    id kind at recordedAt
    testVerdict { testId scope from to }
    newSignature { fingerprint summary testId runId }
  }
}`;

describe.each(backends)('insights events delivered on $name', (backend) => {
  it('POSTs each committed event signed, retries a 5xx and a hang, gives up a failing URL', async () => {
    const receiver = await startWebhookReceiver(SECRET, (path, attempt) => {
      if (path === '/failing') return 500;
      return attempt === 1 ? 503 : attempt === 2 ? 'hang' : 204;
    });
    try {
      const server = await startServer(backend, {
        GATEWATCH_WEBHOOKS: `${receiver.origin}/hook,${receiver.origin}/failing`,
        GATEWATCH_WEBHOOK_SECRET: SECRET,
        GATEWATCH_WEBHOOK_TIMEOUT: '300ms',
        GATEWATCH_WEBHOOK_BACKOFF: '50ms',
        GATEWATCH_WEBHOOK_MAX_ATTEMPTS: '4',
      });
      const { db } = server.app.services;
      await expect(
        db.knex.transaction(async (trx) => {
          await recordInsightEvents(trx, [rolledBack]);
          throw new Error('the ingest failed');
        }),
      ).rejects.toThrow('the ingest failed');
      await record(db, [flaky]);

      const list = async (state: string) => {
        const db = dbUrl(server.app.services.config.database.target);
        const result = await gatewatch([
          'webhooks',
          'list',
          '--db',
          db,
          '--state',
          state,
          '--json',
        ]);
        expect(result.code).toBe(0);
        return JSON.parse(result.out) as Record<string, unknown>[];
      };
      await until(async () => (await list('delivered')).length === 1, 'the delivery', 20_000);
      await until(async () => (await list('failed')).length === 1, 'the given up delivery', 20_000);

      const hook = receiver.to('/hook');
      expect(hook.map((r) => r.answer)).toEqual([503, 'hang', 204]);
      expect(hook.every((r) => r.signed)).toBe(true);
      expect(new Set(hook.map((r) => r.headers['x-gatewatch-delivery'])).size).toBe(1);
      expect(hook[0]!.headers['x-gatewatch-event']).toBe('test.verdict');
      expect(hook[0]!.headers['content-type']).toBe('application/json');
      const { id } = (await db.knex('insight_events').first('id')) as { id: number };
      for (const request of hook) {
        expect(JSON.parse(request.body.toString())).toEqual({ id: String(id), ...flaky });
      }
      expect(receiver.to('/failing').map((r) => r.answer)).toEqual([500, 500, 500, 500]);
      expect(receiver.received.some((r) => r.body.toString().includes(rolledBack.testId))).toBe(
        false,
      );
      expect(await db.knex('insight_events').count({ n: '*' })).toEqual([{ n: 1 }]);
      const [failed] = await list('failed');
      expect(failed).toMatchObject({
        event: Number(id),
        kind: 'test.verdict',
        url: `${receiver.origin}/failing`,
        state: 'failed',
        attempts: 4,
        status: 500,
        error: `POST ${receiver.origin}/failing: answered 500`,
      });
      const table = await gatewatch([
        'webhooks',
        'list',
        '--db',
        dbUrl(server.app.services.config.database.target),
      ]);
      expect(table.out.split('\n')[0]).toMatch(
        /^EVENT +KIND +URL +STATE +ATTEMPTS +STATUS +RECORDED +ERROR$/,
      );
      expect(table.out).toContain(`test.verdict  ${receiver.origin}/failing  failed`);
      const bad = await gatewatch([
        'webhooks',
        'list',
        '--db',
        dbUrl(server.app.services.config.database.target),
        '--state',
        'lost',
      ]);
      expect([bad.code, bad.stderr]).toEqual([
        2,
        expect.stringContaining('--state lost: expected one of queued, running, delivered, failed'),
      ]);
      const [delivered] = await list('delivered');
      expect(delivered).toMatchObject({
        state: 'delivered',
        attempts: 3,
        status: 204,
        error: null,
      });
      expect(delivered!.delivery).toBe(hook[0]!.headers['x-gatewatch-delivery']);
    } finally {
      await receiver.close();
    }
  });

  it('a server stopping mid-delivery gives it back, uncounted; the next server makes it', async () => {
    let hanging = true;
    const receiver = await startWebhookReceiver(SECRET, () => (hanging ? 'hang' : 200));
    const database = await backend.create();
    const env = {
      GATEWATCH_WEBHOOKS: `${receiver.origin}/hook`,
      GATEWATCH_WEBHOOK_SECRET: SECRET,
      GATEWATCH_WEBHOOK_TIMEOUT: '1m',
    };
    const open = () => createApp(loadConfig({ db: database.url, port: '0' }, env));
    try {
      const first = await open();
      await record(first.services.db, [flaky]);
      await until(() => receiver.received.length === 1, 'the first attempt', 20_000);
      await first.close();
      const second = await open();
      try {
        const state = () =>
          second.services.db
            .knex('insight_deliveries')
            .whereNotNull('url')
            .first('state', 'attempts');
        expect(await state()).toEqual({ state: 'queued', attempts: 0 });
        hanging = false;
        await until(async () => (await state()).state === 'delivered', 'the delivery', 20_000);
        expect(await state()).toEqual({ state: 'delivered', attempts: 1 });
        expect(receiver.received.map((r) => r.headers['x-gatewatch-delivery'])).toEqual([
          receiver.received[0]!.headers['x-gatewatch-delivery'],
          receiver.received[0]!.headers['x-gatewatch-delivery'],
        ]);
      } finally {
        await second.close();
      }
    } finally {
      await receiver.close();
      await database.drop();
    }
  });

  it('publishes each event to the insightEvents subscribers of its kinds', async () => {
    const server = await startServer(backend);
    const events = (client: Client, variables: { kinds?: string[] }) =>
      allEvents<{ insightEvents: unknown }>(client, EVENTS, variables);
    const signatures = await events(server.ws(), { kinds: ['NEW_SIGNATURE'] });
    const all = await events(server.ws(), {});
    const { db } = server.app.services;
    await record(db, [flaky, signature]);
    await until(() => all.length === 2 && signatures.length === 1, 'the events', 20_000);
    const ids = (
      (await db.knex('insight_events').orderBy('id').select('id')) as { id: number }[]
    ).map((r) => String(r.id));
    const verdictEvent = {
      id: ids[0],
      kind: 'TEST_VERDICT',
      at: flaky.at,
      testVerdict: { testId: flaky.testId, scope: 'job:unit', from: null, to: 'FLAKY' },
      newSignature: null,
    };
    const signatureEvent = {
      id: ids[1],
      kind: 'NEW_SIGNATURE',
      at: signature.at,
      testVerdict: null,
      newSignature: {
        fingerprint: '9f2c0b1e',
        summary: 'ConnectionError: connection to N.N.N.N refused',
        testId: signature.testId,
        runId: '3b0e1f0c-6a35-4f7e-9d0c-2c1d9b7a4e11',
      },
    };
    expect(all).toMatchObject([verdictEvent, signatureEvent].map((e) => ({ insightEvents: e })));
    expect(signatures).toMatchObject([{ insightEvents: signatureEvent }]);

    // The retention: a day on, both events go with their (subscription) deliveries.
    const count = async (table: string) =>
      Number(((await db.knex(table).count({ n: '*' })) as { n: number }[])[0]!.n);
    expect(await count('insight_deliveries')).toBe(2);
    const dayLater = new Date(Date.now() + 86_400_000);
    expect(await purgeInsightEvents(db, 3_600_000, dayLater)).toEqual({ events: 2, deliveries: 2 });
    expect([await count('insight_events'), await count('insight_deliveries')]).toEqual([0, 0]);
  });
});
