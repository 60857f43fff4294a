/**
 * The insights outbox takes any number of events from one transaction, and gives them their
 * deliveries round by round, on each backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/config.js';
import { recordInsightEvents, type NewSignatureEvent } from '../../server/insights/events.js';
import { openRuntime, type Runtime } from '../../server/runtime.js';
import { fanOut } from '../../server/webhooks/deliveries.js';
import { backends } from '../helpers/databases.js';

describe.each(backends)('the insights outbox on $name', (backend) => {
  let runtime: Runtime;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await backend.create();
    drop = database.drop;
    runtime = await openRuntime(loadConfig({ db: database.url }, {}));
  });

  afterAll(async () => {
    await runtime.stop();
    await drop();
  });

  it('records the 1,200 new signatures of one run in its transaction', async () => {
    // A stream of new failures brings one event per signature (the memory bench's 201 MB
    // stream brought over 500, more than SQLite takes in one multi-row insert).
    const events: NewSignatureEvent[] = Array.from({ length: 1200 }, (_, i) => ({
      kind: 'signature.new',
      fingerprint: i.toString(16).padStart(64, '0'),
      summary: `failure ${i}`,
      testId: `pkg.Test.test_${i}`,
      run: '00000000-0000-4000-8000-000000000000',
      at: '2026-12-04T00:00:00.000Z',
    }));
    const { knex } = runtime.services.db;
    await knex.transaction((trx) => recordInsightEvents(trx, events));
    const rows: { payload: string }[] = await knex('insight_events').orderBy('id');
    expect(rows.map((row) => JSON.parse(row.payload) as NewSignatureEvent)).toEqual(events);

    // Each event gets the subscription's delivery and one per webhook, 500 events a round.
    const urls = ['http://127.0.0.1:9/a', 'http://127.0.0.1:9/b'];
    const rounds = [];
    for (let fanned = -1; fanned !== 0;)
      rounds.push((fanned = await fanOut(runtime.services.db, urls)));
    expect(rounds).toEqual([500, 500, 200, 0]);
    const [counted] = await knex('insight_deliveries').count({ n: '*' });
    expect(Number(counted?.n)).toBe(1200 * 3);
  });
});
