/**
 * The deliveries of the insights outbox: each committed `insight_events` row gets one delivery
 * per target — the `insightEvents` subscription (url null) and every webhook URL configured
 * when an instance first picks the event up — in `insight_deliveries`, a leased queue
 * (server/db/leased-queue.ts). Whichever instance claims a delivery makes it, so an event is
 * published once however many instances share the database, and a webhook is never POSTed
 * the same event twice at once.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { InsightEventPayload } from '../insights/events.js';
import { claimNext, RELEASED, writeHeld, type LeasedTable } from '../db/leased-queue.js';
import type { Database } from '../db/orm.js';
import { toDate } from '../db/sql.js';

export type DeliveryState = 'queued' | 'running' | 'delivered' | 'failed';

const DELIVERIES: LeasedTable = { table: 'insight_deliveries' };

/** Events given their deliveries per round: a backlog is worked through round by round. */
const FAN_OUT_BATCH = 500;
/** Delivery rows per insert statement. */
const ROWS_PER_INSERT = 200;

/** The longest error message kept (insight_deliveries.error). */
const ERROR_MAX = 1024;

/** An event of the outbox as delivered. */
export interface OutboxEvent {
  readonly id: number;
  readonly payload: InsightEventPayload;
  readonly recordedAt: Date;
}

/** A claimed delivery: its event and target. */
export interface Delivery {
  readonly rowId: number;
  /** The delivery id a receiver sees, the same at every attempt. */
  readonly uuid: string;
  /** The webhook; null: the subscription. */
  readonly url: string | null;
  /** Attempts started, this one included. */
  readonly attempts: number;
  readonly event: OutboxEvent;
}

/**
 * Gives the events that have no delivery yet one per target: the subscription and each of
 * `urls`. Two instances doing so at once insert each delivery once (the unique event and URL
 * key). Resolves to the number of events fanned out.
 */
export async function fanOut(db: Database, urls: readonly string[], now = new Date()) {
  const fresh: { id: number }[] = await db
    .knex('insight_events as e')
    .whereNotExists((q) =>
      q.select(db.knex.raw('1')).from('insight_deliveries as d').whereRaw('d.event_id = e.id'),
    )
    .orderBy('e.id')
    .limit(FAN_OUT_BATCH)
    .select('e.id');
  if (fresh.length === 0) return 0;
  const targets = [null, ...urls];
  // An event's deliveries go in one statement (an event with some of them is fanned out), and
  // a statement holds at most ROWS_PER_INSERT rows: SQLite takes no more than 500 in one.
  const eventsPerInsert = Math.max(1, Math.floor(ROWS_PER_INSERT / targets.length));
  for (let i = 0; i < fresh.length; i += eventsPerInsert) {
    const rows = fresh.slice(i, i + eventsPerInsert).flatMap(({ id }) =>
      targets.map((url) => ({
        event_id: id,
        uuid: randomUUID(),
        url,
        url_key: url === null ? '' : urlKey(url),
        state: 'queued',
        attempts: 0,
        status: null,
        error: null,
        not_before: now,
        holder: null,
        lease_until: null,
        created_at: now,
        updated_at: now,
      })),
    );
    try {
      await db.knex('insight_deliveries').insert(rows).onConflict(['event_id', 'url_key']).ignore();
    } catch (error) {
      // Two instances inserting the same keys at once may deadlock on MySQL: the one refused
      // leaves them to the other, and looks again next round.
      if ((error as { code?: string }).code === 'ER_LOCK_DEADLOCK') return i;
      throw error;
    }
  }
  return fresh.length;
}

/** Claims the oldest due delivery for `holder` until now + `leaseMs`; null when none is due. */
export async function claimDelivery(
  db: Database,
  holder: string,
  leaseMs: number,
): Promise<Delivery | null> {
  const id = await claimNext(db, DELIVERIES, holder, leaseMs);
  if (id === null) return null;
  const row: DeliveryRow | undefined = await db
    .knex('insight_deliveries as d')
    .join('insight_events as e', 'e.id', 'd.event_id')
    .where('d.id', id)
    .first(
      'd.id',
      'd.uuid',
      'd.url',
      'd.attempts',
      'e.id as event_id',
      'e.payload',
      'e.created_at',
    );
  // Its event purged between the claim and now: nothing left to deliver.
  if (!row) return null;
  return {
    rowId: Number(row.id),
    uuid: row.uuid,
    url: row.url,
    attempts: Number(row.attempts),
    event: {
      id: Number(row.event_id),
      payload: JSON.parse(row.payload) as InsightEventPayload,
      recordedAt: toDate(row.created_at),
    },
  };
}

/** How an attempt ended, for the row; each write is refused (false) once the lease is lost. */
export interface HeldDelivery {
  delivered(status: number | null): Promise<boolean>;
  /** Back to the queue, not before now + `delayMs`. */
  retryLater(status: number | null, error: string, delayMs: number): Promise<boolean>;
  /** Given up: shown by `gatewatch webhooks list --state failed`. */
  giveUp(status: number | null, error: string): Promise<boolean>;
  /** Back to the queue at once, its attempt not counted (this process is stopping). */
  release(): Promise<boolean>;
}

export function heldDelivery(db: Database, delivery: Delivery, holder: string): HeldDelivery {
  const write = (changes: Record<string, unknown>) =>
    writeHeld(db, DELIVERIES, delivery.rowId, holder, { ...RELEASED, ...changes });
  const failed = (status: number | null, error: string) => ({
    status,
    error: error.slice(0, ERROR_MAX),
  });
  return {
    delivered: (status) => write({ state: 'delivered', status, error: null }),
    retryLater: (status, error, delayMs) =>
      write({
        state: 'queued',
        ...failed(status, error),
        not_before: new Date(Date.now() + delayMs),
      }),
    giveUp: (status, error) => write({ state: 'failed', ...failed(status, error) }),
    release: () => write({ state: 'queued', attempts: db.knex.raw('?? - 1', ['attempts']) }),
  };
}

/** A webhook delivery as `gatewatch webhooks list` shows it. */
export interface DeliveryRecord {
  readonly delivery: string;
  readonly event: number;
  readonly kind: string;
  readonly url: string;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly status: number | null;
  readonly error: string | null;
  readonly recordedAt: Date;
  readonly updatedAt: Date;
}

/** The webhook deliveries (not the subscription's), newest event first. */
export async function listDeliveries(
  db: Database,
  filter: { readonly state: DeliveryState | null; readonly limit: number },
): Promise<DeliveryRecord[]> {
  let query = db
    .knex('insight_deliveries as d')
    .join('insight_events as e', 'e.id', 'd.event_id')
    .whereNotNull('d.url');
  if (filter.state !== null) query = query.andWhere('d.state', filter.state);
  const rows: ListedRow[] = await query
    .orderBy([
      { column: 'e.id', order: 'desc' },
      { column: 'd.id', order: 'asc' },
    ])
    .limit(filter.limit)
    .select(
      'd.uuid',
      'e.id as event_id',
      'e.kind',
      'd.url',
      'd.state',
      'd.attempts',
      'd.status',
      'd.error',
      'e.created_at',
      'd.updated_at',
    );
  return rows.map((row) => ({
    delivery: row.uuid,
    event: Number(row.event_id),
    kind: row.kind,
    url: row.url,
    state: row.state,
    attempts: Number(row.attempts),
    status: row.status === null ? null : Number(row.status),
    error: row.error,
    recordedAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  }));
}

/** Removes the events recorded before now − `olderThanMs`, with their deliveries. */
export async function purgeInsightEvents(
  db: Database,
  olderThanMs: number,
  now = new Date(),
): Promise<{ events: number; deliveries: number }> {
  const cutoff = new Date(now.getTime() - olderThanMs);
  return db.knex.transaction(async (trx) => {
    const old = trx('insight_events').where('created_at', '<', cutoff).select('id');
    const deliveries = await trx('insight_deliveries').whereIn('event_id', old).delete();
    const events = await trx('insight_events').where('created_at', '<', cutoff).delete();
    return { events, deliveries };
  });
}

function urlKey(url: string): string {
  return createHash('sha256').update(url).digest('hex');
}

interface DeliveryRow {
  id: number;
  uuid: string;
  url: string | null;
  attempts: number;
  event_id: number;
  payload: string;
  created_at: Date | string | number;
}

interface ListedRow {
  uuid: string;
  event_id: number;
  kind: string;
  url: string;
  state: DeliveryState;
  attempts: number;
  status: number | null;
  error: string | null;
  created_at: Date | string | number;
  updated_at: Date | string | number;
}
