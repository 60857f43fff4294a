/**
 * gerrit: a generated Gerrit history (100,000 stream events; `--quick`: 10,000) normalised and
 * stored as a collector stores it (batches of 500 through the store), on SQLite and MariaDB;
 * then live delivery of new events to 1,000 `gerritEvents` subscribers, each on its own
 * WebSocket. Baseline from the same run: normalising and classifying the same events without
 * storing them, the CPU floor of the path.
 */
import { createConnection } from 'mysql2/promise';
import WebSocket from 'ws';
import { createApp } from '../server/app.js';
import { classifyComment } from '../server/cis/comment-parser.js';
import { loadConfig, parseDbUrl } from '../server/config/config.js';
import { isStored, type GerritEvent } from '../server/gerrit/events.js';
import { normaliseEvent } from '../server/gerrit/normalize.js';
import { openGerritStore } from '../server/gerrit/store.js';
import { generateHistory } from '../test/helpers/gerrit-history.js';
import type { Benchmark, BenchContext } from './harness.js';
import { formatCount, formatRate, formatSeconds, timed } from './measure.js';

const TARGET_RATE = 2000;
const TARGET_DELIVERY_P95 = 1;
const BATCH = 500;
const SUBSCRIBERS = 1000;
const LIVE_EVENTS = 20;
const SERVER = { name: 'bench', url: 'https://review.example.org', cis: [], upstream: null };

export const gerrit: Benchmark = {
  name: 'gerrit',
  summary:
    `Gerrit events stored per second, SQLite and MariaDB (target ≥ ${formatCount(TARGET_RATE)}/s), ` +
    `and delivery to ${formatCount(SUBSCRIBERS)} subscribers (target p95 ≤ ${formatSeconds(TARGET_DELIVERY_P95)})`,
  async run(context) {
    const wanted = context.quick ? 10_000 : 100_000;
    const events = historyOf(wanted);
    const parseSeconds = await timed(() => {
      for (const event of events) {
        if (event.type === 'comment-added' && 'comment' in event)
          classifyComment(event.comment, event.approvals);
      }
    });
    context.report.line(
      `history: ${formatCount(events.length)} events (${formatCount(events.filter(isStored).length)} stored types), batches of ${BATCH}`,
    );
    const rows: string[][] = [
      [
        'normalised and classified only (baseline)',
        formatRate(events.length, parseSeconds, 'events'),
      ],
    ];
    for (const backend of backendsOf(context)) {
      const seconds = await replay(backend.url, events);
      rows.push([`stored, ${backend.label}`, formatRate(events.length, seconds, 'events')]);
      context.report.target(
        `${backend.label}: ≥ ${formatCount(TARGET_RATE)} events/s stored`,
        formatRate(events.length, seconds, 'events'),
        events.length / seconds >= TARGET_RATE,
      );
      await backend.drop();
    }
    context.report.table(['path', 'rate'], rows);

    const p95 = await deliveryP95(context, events);
    context.report.target(
      `p95 delivery to ${formatCount(SUBSCRIBERS)} subscribers ≤ ${formatSeconds(TARGET_DELIVERY_P95)}`,
      formatSeconds(p95),
      p95 <= TARGET_DELIVERY_P95,
    );
  },
};

/** At least `wanted` normalised events (about 18 per change). */
function historyOf(wanted: number): GerritEvent[] {
  const history = generateHistory({
    seed: 7,
    changes: Math.ceil(wanted / 17),
    projects: 20,
    start: new Date('2026-10-01T00:00:00Z'),
    spanSeconds: 30 * 86_400,
  });
  const events: GerritEvent[] = [];
  for (const raw of history.events) {
    const normalised = normaliseEvent(raw);
    if (normalised.ok) events.push(normalised.event);
    if (events.length === wanted) break;
  }
  return events;
}

function backendsOf(context: BenchContext) {
  const mysqlName = `gatewatch_bench_gerrit_${process.pid}`;
  const dropMysql = async () => {
    const server = parseDbUrl(`${context.mysqlServer}x`);
    if (server.dialect !== 'mysql') return;
    const connection = await createConnection({
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
    });
    await connection.query(`drop database if exists \`${mysqlName}\``);
    await connection.end();
  };
  return [
    { label: 'SQLite', url: `sqlite:${context.tmp}/gerrit.db`, drop: async () => undefined },
    { label: 'MariaDB', url: `${context.mysqlServer}${mysqlName}`, drop: dropMysql },
  ];
}

/** Seconds to store every event, batch after batch, as a collector does. */
async function replay(url: string, events: readonly GerritEvent[]): Promise<number> {
  const app = await createApp(loadConfig({ db: url, port: '0' }, {}));
  try {
    const store = await openGerritStore(app.services, SERVER);
    const seconds = await timed(async () => {
      for (let i = 0; i < events.length; i += BATCH)
        await store.accept(events.slice(i, i + BATCH), 'replay');
    });
    await store.close();
    return seconds;
  } finally {
    await app.close();
  }
}

/**
 * Opens the subscribers, stores comments until one has reached every one of them (so that
 * each subscription is known to be live), then stores one new comment at a time and times each
 * subscriber's receipt from the moment the store was handed the event.
 */
async function deliveryP95(context: BenchContext, events: readonly GerritEvent[]): Promise<number> {
  const app = await createApp(
    loadConfig(
      { db: `sqlite:${context.tmp}/gerrit-live.db`, port: '0' },
      { GATEWATCH_MAX_SOCKETS_PER_ADDRESS: String(SUBSCRIBERS + 10) },
    ),
  );
  const sockets: WebSocket[] = [];
  try {
    const store = await openGerritStore(app.services, SERVER);
    const live = events.filter(isStored).filter((e) => e.type === 'comment-added');
    const warmUps = live.slice(-(LIVE_EVENTS + 5), -LIVE_EVENTS);
    const measured = live.slice(-LIVE_EVENTS);
    const waiting = new Map<number, (socket: number, at: number) => void>();
    const wsUrl = `${app.url.replace(/^http/, 'ws')}/graphql`;
    for (let i = 0; i < SUBSCRIBERS; i++) {
      sockets.push(await subscribe(wsUrl, (change) => waiting.get(change)?.(i, performance.now())));
    }
    /**
     * Stores the event; resolves to the receipt times of the subscribers that had it within
     * `timeoutMs` (all of them, when `all`, else fails naming how many).
     */
    const deliver = async (
      event: GerritEvent & { change: { number: number } },
      all: boolean,
      timeoutMs: number,
    ) => {
      const receipts = new Map<number, number>();
      const sentAt = performance.now();
      await new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(() => {
          if (!all) return resolve();
          reject(
            new Error(
              `only ${receipts.size} of ${SUBSCRIBERS} subscribers received change ${event.change.number} within ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
        waiting.set(event.change.number, (socket, at) => {
          receipts.set(socket, at);
          if (receipts.size === SUBSCRIBERS) {
            clearTimeout(deadline);
            resolve();
          }
        });
        store.accept([event], 'stream').catch(reject);
      });
      waiting.delete(event.change.number);
      return [...receipts.values()].map((at) => (at - sentAt) / 1000);
    };
    // A subscription is live once the server has read it, which nothing acknowledges: warm up
    // until one event has reached every subscriber.
    let everyone = false;
    for (const event of warmUps) {
      if ((await deliver(event, false, 5_000)).length === SUBSCRIBERS) {
        everyone = true;
        break;
      }
    }
    if (!everyone) throw new Error(`not every one of ${SUBSCRIBERS} subscriptions came alive`);
    const latencies: number[] = [];
    for (const event of measured) latencies.push(...(await deliver(event, true, 30_000)));
    await store.close();
    latencies.sort((a, b) => a - b);
    const at = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    context.report.table(
      ['delivery', 'p50', 'p95', 'max'],
      [
        [
          `${formatCount(SUBSCRIBERS)} sockets × ${measured.length} events`,
          formatSeconds(at(0.5)),
          formatSeconds(at(0.95)),
          formatSeconds(at(1)),
        ],
      ],
    );
    return at(0.95);
  } finally {
    for (const socket of sockets) socket.terminate();
    await app.close();
  }
}

/** One graphql-transport-ws socket subscribed to `gerritEvents`; resolves once acknowledged. */
function subscribe(url: string, onChange: (change: number) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    socket.on('error', reject);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as {
        type: string;
        payload?: { data?: { gerritEvents?: { change: number } } };
      };
      if (message.type === 'connection_ack') {
        socket.send(
          JSON.stringify({
            id: '1',
            type: 'subscribe',
            payload: { query: 'subscription { gerritEvents { type change patchSet } }' },
          }),
        );
        resolve(socket);
      } else if (message.type === 'next') {
        const change = message.payload?.data?.gerritEvents?.change;
        if (change !== undefined) onChange(change);
      }
    });
  });
}
