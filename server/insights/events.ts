/**
 * What the insights tell the outside world, and the one way to say it: a transition is
 * recorded in the insights outbox (`insight_events`) inside the transaction that made it, so
 * a rolled-back ingest tells nobody and a committed one is never forgotten. Delivery — to the
 * `insightEvents` subscription and to the configured webhooks — reads the outbox after commit.
 */
import type { Knex } from '@mikro-orm/knex';

/** A test's standing on one scope (see README "Flaky and broken tests"). */
export type TestVerdict = 'flaky' | 'broken' | 'fixed';

/** A test became flaky or broken on a scope, or was fixed there. */
export interface TestVerdictEvent {
  kind: 'test.verdict';
  /** The test id as in the stream. */
  testId: string;
  /** The scope the verdict holds on, as the flaky settings name it (`job:NAME`, …). */
  scope: string;
  /** The verdict before; null for a test's first verdict on the scope. */
  from: TestVerdict | null;
  to: TestVerdict;
  /** ISO 8601. */
  at: string;
}

/** A failure whose signature was never seen before. */
export interface NewSignatureEvent {
  kind: 'signature.new';
  /** The signature's fingerprint (hex). */
  fingerprint: string;
  /** The normalised message, as shown on the Signatures page. */
  summary: string;
  testId: string;
  /** The run it first appeared in. */
  run: string;
  /** ISO 8601. */
  at: string;
}

export type InsightEventPayload = TestVerdictEvent | NewSignatureEvent;

/**
 * Events per statement: SQLite refuses a multi-row insert of more than 500 rows ("too many
 * terms in compound SELECT"), and a new stream can bring thousands of new signatures.
 */
const EVENTS_PER_STATEMENT = 200;

/** Records `events` in the outbox, in the caller's transaction. */
export async function recordInsightEvents(
  trx: Knex,
  events: readonly InsightEventPayload[],
): Promise<void> {
  const createdAt = new Date();
  for (let i = 0; i < events.length; i += EVENTS_PER_STATEMENT) {
    await trx('insight_events').insert(
      events.slice(i, i + EVENTS_PER_STATEMENT).map((event) => ({
        kind: event.kind,
        payload: JSON.stringify(event),
        created_at: createdAt,
      })),
    );
  }
}
