/**
 * The Gerrit store: where a collector's events go (the {@link EventSink} of one Gerrit server).
 * Each batch is written in one transaction ({@link writeBatch}; a batch over 5,000 events in
 * parts of that size); after the commit, every event stored for the first time is published on
 * `gerritEvent` and every new CI report on `ciReport`, which the event bus carries to every
 * instance.
 */
import { ciReport, type CiReportEvent } from '../cis/ci.topics.js';
import { backfillRunLogKeys } from '../cis/run-link.js';
import { toDate } from '../db/sql.js';
import { logInternal } from '../graphql/errors.js';
import type { Services } from '../runtime.js';
import { isStored, summarise, type GerritEvent, type StoredEvent } from './events.js';
import { gerritEvent } from './gerrit.topics.js';
import type { AcceptResult, EventSink, EventSource } from './sink.js';
import { writeBatch, type StoreScope } from './store-batch.js';
import { cut } from './store-sql.js';

/** Events per transaction: a longer batch is written (and committed) in parts of this size. */
export const MAX_TRANSACTION_EVENTS = 5000;

/** The Gerrit server a store writes for, as configured. */
export interface StoreServer {
  /** The configuration's name for it: the key of its rows and its lease. */
  readonly name: string;
  readonly url: string;
  /** CI account usernames; empty: any account one of whose comments parses as a report. */
  readonly cis: readonly string[];
  /** The upstream CI's username; null: `zuul`, else `jenkins`, when present. */
  readonly upstream: string | null;
}

export interface GerritStore extends EventSink {
  /** Waits for the batch being written, then refuses new ones. */
  close(): Promise<void>;
}

/** Opens the store of one server: its row is created (or its URL updated) now. */
export async function openGerritStore(
  services: Services,
  server: StoreServer,
): Promise<GerritStore> {
  const { db, events: bus } = services;
  const name = cut(server.name, 191)!;
  await db
    .knex('gerrit_servers')
    .insert({ name, url: cut(server.url, 1024) })
    .onConflict('name')
    .merge(['url']);
  const row: { id: number } = await db.knex('gerrit_servers').where({ name }).first('id');
  const scope: StoreScope = {
    serverId: Number(row.id),
    cis: new Set(server.cis),
    upstream: server.upstream,
  };
  // Runs stored before the Gerrit side existed get the log keys builds find them by.
  await backfillRunLogKeys(db.knex);
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    accept(events, source) {
      if (closed) return Promise.reject(new Error(`the store of ${server.name} is closed`));
      return serially(() => accept(events, source));
    },
    async lastEventTime() {
      const found: { last_event_at: unknown } | undefined = await db
        .knex('gerrit_servers')
        .where('id', scope.serverId)
        .first('last_event_at');
      const at = found?.last_event_at;
      return at === null || at === undefined ? null : toDate(at).getTime() / 1000;
    },
    async close() {
      closed = true;
      await queue;
    },
  };

  async function accept(
    events: readonly GerritEvent[],
    source: EventSource,
  ): Promise<AcceptResult> {
    const stored: StoredEvent[] = [];
    let other = 0;
    for (const event of events) {
      if (!isStored(event)) other++;
      else if (wellFormed(event)) stored.push(event);
      else other++;
    }
    const outcome = { stored: [] as StoredEvent[], duplicates: 0, reports: [] as CiReportEvent[] };
    // A long batch (a backfill) is written as several transactions of bounded size.
    for (let i = 0; i < stored.length; i += MAX_TRANSACTION_EVENTS) {
      const part = await writeBatch(db, scope, stored.slice(i, i + MAX_TRANSACTION_EVENTS), source);
      outcome.stored.push(...part.stored);
      outcome.duplicates += part.duplicates;
      outcome.reports.push(...part.reports);
    }
    const fresh = new Set<GerritEvent>(outcome.stored);
    try {
      for (const event of events) {
        if (fresh.delete(event) || !isStored(event)) bus.publish(gerritEvent, summarise(event));
      }
      for (const report of outcome.reports) bus.publish(ciReport, report);
    } catch (error) {
      // Stored and committed: failing the caller would have the batch delivered again for nothing.
      logInternal(error);
    }
    return {
      stored: outcome.stored.length,
      duplicates: outcome.duplicates,
      other,
      reports: outcome.reports.length,
    };
  }
}

/**
 * What the store needs of a stored event; the normaliser guarantees it, this keeps a hand-made
 * event from storing half a change.
 */
function wellFormed(event: StoredEvent): boolean {
  // Counted as `other` when not met. Numbers past a signed 32-bit int would fail the whole batch's statements on MySQL.
  const positive = (n: unknown) =>
    typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= 2_147_483_647;
  return (
    Number.isFinite(event.createdOn) &&
    event.createdOn > 0 &&
    event.createdOn < 32_503_680_000 &&
    positive(event.change.number) &&
    positive(event.patchSet.number) &&
    typeof event.change.project === 'string' &&
    event.change.project !== '' &&
    typeof event.change.branch === 'string' &&
    (event.type !== 'comment-added' || typeof event.comment === 'string')
  );
}
