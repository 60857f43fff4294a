/**
 * A verdict's lifecycle on real streams: flaky, then fixed once the test has not failed on the
 * scope for `flaky.fixedAfter` — on ingest of a later clean run, or by the sweep as time
 * passes — each transition in the history and the outbox; old evidence does not re-flag it.
 */
import { describe, expect, it } from 'vitest';
import { toDate } from '../../server/db/sql.js';
import { sweepFixed } from '../../server/insights/flaky/flaky-sweep.js';
import { backends } from '../helpers/databases.js';
import {
  ingestInsightHistory,
  insightHistory,
  insightTests as t,
} from '../helpers/insight-history.js';
import { startServer, type TestServer } from '../helpers/server.js';

const VERDICTS = `query ($id: String!) {
  test(testId: $id) { verdicts { scope verdict history { from to run } } }
}`;

interface Verdicts {
  test: {
    verdicts: {
      scope: string;
      verdict: string;
      history: { from: string | null; to: string; run: string | null }[];
    }[];
  };
}

async function verdictsOf(server: TestServer, testId: string) {
  const response = await server.query<Verdicts>(VERDICTS, { id: testId });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.test.verdicts;
}

/** The verdict events in the outbox (the signatures' `signature.new` beside them are not these tests'). */
async function events(server: TestServer) {
  const rows = await server.app.services.db
    .knex('insight_events')
    .where('kind', 'test.verdict')
    .orderBy('id');
  return rows.map(
    (r) =>
      JSON.parse(r.payload as string) as {
        testId: string;
        scope: string;
        from: string | null;
        to: string;
      },
  );
}

describe.each(backends)('the verdict lifecycle on $name', (backend) => {
  it('fixes a verdict on a clean run after fixedAfter, then by the sweep; old evidence keeps it fixed', async () => {
    const server = await startServer(backend, { GATEWATCH_FLAKY_FIXED_AFTER: '1s' });
    // 101/1: unit fails test_create_server, its recheck passes it, then functional passes it
    // seconds later (the streams were recorded seconds apart).
    const [, recheck, functional] = await ingestInsightHistory(server, insightHistory.slice(0, 3));
    const byScope = Object.fromEntries(
      (await verdictsOf(server, t.createServer)).map((v) => [v.scope, v]),
    );
    expect(byScope['job:acme-unit']).toEqual({
      scope: 'job:acme-unit',
      verdict: 'FLAKY',
      history: [{ from: null, to: 'FLAKY', run: recheck!.uuid }],
    });
    for (const scope of ['project:acme/api', 'branch:master', 'queue:check']) {
      expect(byScope[scope]).toEqual({
        scope,
        verdict: 'FIXED',
        history: [
          { from: null, to: 'FLAKY', run: recheck!.uuid },
          { from: 'FLAKY', to: 'FIXED', run: functional!.uuid },
        ],
      });
    }

    // acme-unit ran no more: only time passing fixes it there.
    expect(await sweepFixed(server.app.services.db, server.app.services.config.flaky)).toBe(1);
    const unit = (await verdictsOf(server, t.createServer)).find(
      (v) => v.scope === 'job:acme-unit',
    )!;
    expect(unit.verdict).toBe('FIXED');
    expect(unit.history.at(-1)).toEqual({ from: 'FLAKY', to: 'FIXED', run: null });
    expect(await sweepFixed(server.app.services.db, server.app.services.config.flaky)).toBe(0);
    expect((await events(server)).map((e) => `${e.scope} ${e.from} ${e.to}`).sort()).toEqual(
      [
        'job:acme-unit null flaky',
        'job:acme-unit flaky fixed',
        ...['project:acme/api', 'branch:master', 'queue:check'].flatMap((s) => [
          `${s} null flaky`,
          `${s} flaky fixed`,
        ]),
      ].sort(),
    );

    // The first run's stream again, as another attempt: its failure predates the fix.
    await server.ingest(`insights/${insightHistory[0]!.file}`, {
      ...insightHistory[0]!.metadata,
      attempt: '2',
    });
    expect((await verdictsOf(server, t.createServer)).map((v) => v.verdict)).toEqual([
      'FIXED',
      'FIXED',
      'FIXED',
      'FIXED',
    ]);
  });

  it('keeps verdicts through fixedAfter (default 7d) and sweeps them all once it has passed', async () => {
    const server = await startServer(backend);
    await ingestInsightHistory(server);
    const { db, config } = server.app.services;
    const newest = Math.max(
      ...(await db.knex('flaky_verdicts').select('last_seen')).map((r) =>
        toDate(r.last_seen).getTime(),
      ),
    );
    const day = 86_400_000;
    expect(await sweepFixed(db, config.flaky, new Date(newest + 6 * day))).toBe(0);
    expect(await sweepFixed(db, config.flaky, new Date(newest + 7 * day))).toBe(20);
    const left = await server.query<{ flakyTests: { totalCount: number } }>(
      `{ flakyTests { totalCount } }`,
    );
    expect(left.body.data!.flakyTests.totalCount).toBe(0);
    const fixed = await server.query<{ flakyTests: { totalCount: number } }>(
      `{ flakyTests(filter: { verdict: FIXED }) { totalCount } }`,
    );
    expect(fixed.body.data!.flakyTests.totalCount).toBe(20);
  });
});
