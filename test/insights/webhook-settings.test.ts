/**
 * The webhooks settings: URLs from repeated flags, the environment or a YAML list, refused
 * when not http(s); URLs without a secret refused at start; the host guard on request
 * (`webhooks.publicOnly`) and the body limit, each giving a delivery up without sending it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/config.js';
import { recordInsightEvents } from '../../server/insights/events.js';
import { listDeliveries } from '../../server/webhooks/deliveries.js';
import { gatewatch } from '../helpers/cli.js';
import { backends } from '../helpers/databases.js';
import { until } from '../helpers/gerrit-fed.js';
import { startServer } from '../helpers/server.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-webhook-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sqlite = backends.find((b) => b.name === 'sqlite')!;

describe('webhooks settings', () => {
  it('reads --webhook repeated, a comma list in the environment, or a YAML list', () => {
    const urls = (flags: Record<string, unknown>, env: Record<string, string> = {}) =>
      loadConfig(flags, env).webhooks.urls;
    expect(urls({ webhook: ['https://hooks.example.org/gw', 'http://10.0.0.5:8080'] })).toEqual([
      'https://hooks.example.org/gw',
      'http://10.0.0.5:8080/',
    ]);
    expect(urls({}, { GATEWATCH_WEBHOOKS: 'https://a.example/x, https://b.example/y' })).toEqual([
      'https://a.example/x',
      'https://b.example/y',
    ]);
    const file = join(dir, 'webhooks.yaml');
    writeFileSync(
      file,
      'webhooks:\n  urls: [https://hooks.example.org/gw]\n  secret: s3cret\n  maxAttempts: 3\n',
    );
    const config = loadConfig({ config: file }, {});
    expect(config.webhooks).toMatchObject({
      urls: ['https://hooks.example.org/gw'],
      secret: 's3cret',
      maxAttempts: 3,
      timeout: 10_000,
      backoff: 10_000,
      maxBodyBytes: 65_536,
      publicOnly: false,
    });
    expect(urls({})).toBeNull();
  });

  it('refuses a webhook that is not http(s), and hides the secret in messages', () => {
    expect(() => loadConfig({ webhook: ['ftp://hooks.example.org/'] }, {})).toThrow(
      '--webhook ftp://hooks.example.org/: "ftp://hooks.example.org/" is not a webhook URL: expected http(s)://HOST[:PORT][/PATH]',
    );
    expect(() => loadConfig({}, { GATEWATCH_WEBHOOKS: 'hooks.example.org/x' })).toThrow(
      /^GATEWATCH_WEBHOOKS=hooks.example.org\/x: "hooks.example.org\/x" is not a webhook URL/,
    );
    expect(() => loadConfig({}, { GATEWATCH_WEBHOOK_SECRET: ' ' })).toThrow(
      'GATEWATCH_WEBHOOK_SECRET=***: empty',
    );
  });

  it('takes every --webhook of the command line', async () => {
    const result = await gatewatch([
      'serve',
      '--db',
      'sqlite::memory:',
      '--webhook',
      'https://hooks.example.org/gw',
      '--webhook',
      'ftp://b.example/',
    ]);
    expect([result.code, result.stderr]).toEqual([
      2,
      'gatewatch serve: --webhook https://hooks.example.org/gw,ftp://b.example/: "ftp://b.example/" is not a webhook URL: expected http(s)://HOST[:PORT][/PATH]\n',
    ]);
  });

  it('refuses to start with webhooks but no secret to sign them', async () => {
    await expect(
      startServer(sqlite, { GATEWATCH_WEBHOOKS: 'https://hooks.example.org/gw' }),
    ).rejects.toThrow(
      'webhook URLs are configured without a secret to sign them: set GATEWATCH_WEBHOOK_SECRET (or webhooks.secret in the config file)',
    );
  });

  it('with publicOnly, a loopback webhook is refused; a body past maxBody is never sent', async () => {
    const receiver = await startWebhookReceiver('k', () => 200);
    try {
      const guarded = await startServer(sqlite, {
        GATEWATCH_WEBHOOKS: `${receiver.origin}/guarded`,
        GATEWATCH_WEBHOOK_SECRET: 'k',
        GATEWATCH_WEBHOOK_PUBLIC_ONLY: '1',
        GATEWATCH_WEBHOOK_MAX_ATTEMPTS: '1',
      });
      const small = await startServer(sqlite, {
        GATEWATCH_WEBHOOKS: `${receiver.origin}/small`,
        GATEWATCH_WEBHOOK_SECRET: 'k',
        GATEWATCH_WEBHOOK_MAX_BODY: '100',
      });
      const event = {
        kind: 'signature.new',
        fingerprint: 'ab12',
        summary: 'AssertionError: N != N',
        testId: 'demo.tests.test_math.MathTest.test_sum',
        run: 'c4a1d7e2-55b8-4f4e-8f1e-6a0d3c9b2f10',
        at: '2026-12-04T21:00:00.000Z',
      } as const;
      const failed = [];
      for (const server of [guarded, small]) {
        const { db } = server.app.services;
        await db.knex.transaction((trx) => recordInsightEvents(trx, [event]));
        const gaveUp = () => listDeliveries(db, { state: 'failed', limit: 10 });
        await until(async () => (await gaveUp()).length === 1, 'the delivery given up', 20_000);
        failed.push(...(await gaveUp()));
      }
      expect(failed.map((d) => [d.attempts, d.status, d.error])).toEqual([
        [
          1,
          null,
          '127.0.0.1 is a loopback address: refused unless listed (--allow-host 127.0.0.1)',
        ],
        [
          1,
          null,
          expect.stringMatching(
            /^the event's body of 2\d\d bytes exceeds GATEWATCH_WEBHOOK_MAX_BODY \(100 bytes\)$/,
          ),
        ],
      ]);
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});
