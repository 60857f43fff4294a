/**
 * End to end: a real server collecting (`startCollection`, under its lease) from the Gerrit
 * stand-in into the real store, on SQLite and MariaDB. A realistic history is served partly by
 * REST before the start, partly by the stream; the stream is cut while more happens; the
 * catch-up recovers every event, and every comment and patch set is stored exactly once. The
 * live `gerritEvents` subscribers hear what the collector stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollection } from '../../server/gerrit/collection.js';
import { loadGerritServers } from '../../server/gerrit/options.js';
import { backends } from '../helpers/databases.js';
import { generateHistory } from '../helpers/gerrit-history.js';
import {
  startGerritStandin,
  type GerritStandin,
  type RawEvent,
} from '../helpers/gerrit-standin.js';
import { openRaw, PROTOCOL, type RawSocket } from '../helpers/raw-ws.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** The parts of a raw event the expectations count by. */
interface Raw extends RawEvent {
  type: string;
  change?: { number: number | string };
  patchSet?: { number: number | string };
}

const NOW = Math.floor(Date.now() / 1000);
const history = generateHistory({
  seed: 11,
  changes: 40,
  start: NOW - 5 * 86_400,
  spanSeconds: 86_400,
}).events as Raw[];
const comments = history.filter((e) => e.type === 'comment-added');
const patchSets = new Set(
  history
    .filter((e) => e.patchSet !== undefined)
    .map((e) => `${e.change!.number}/${e.patchSet!.number}`),
);

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(backends)('collecting from the Gerrit stand-in into $name', (backend) => {
  let standin: GerritStandin;
  let server: TestServer;
  let socket: RawSocket;
  const logs: string[] = [];

  beforeAll(async () => {
    // The first 40 % happened before the collector ever ran: only REST has them.
    const before = Math.floor(history.length * 0.4);
    standin = await startGerritStandin({ events: history.slice(0, before) });
    server = await startServer(backend);
    socket = await openRaw(server.url, PROTOCOL);
    socket.send({ type: 'connection_init' });
    expect((await socket.next()).type).toBe('connection_ack');
    socket.send({
      id: 'g',
      type: 'subscribe',
      payload: { query: 'subscription { gerritEvents { type change patchSet createdOn } }' },
    });
    const flags = {
      ssh: standin.sshUrl,
      sshKey: standin.clientKey,
      knownHosts: standin.knownHosts,
      rest: standin.restUrl,
      since: '7d',
    };
    const servers = loadGerritServers(flags, {});
    await startCollection(server.app.runtime, servers, (line) => logs.push(line));
  });

  afterAll(async () => {
    await socket?.close();
    await standin?.close();
  });

  const count = async (table: string) =>
    Number(
      ((await server.app.services.db.knex(table).count('* as n').first()) as { n: unknown }).n,
    );

  it('stores every comment and patch set once, through a cut stream', async () => {
    const before = Math.floor(history.length * 0.4);
    const streamed = Math.floor(history.length * 0.7);
    const whileCut = Math.floor(history.length * 0.9);
    await standin.waitForStreams(1);
    for (const event of history.slice(before, streamed)) standin.emit(event);
    await until(
      async () =>
        (await count('gerrit_comments')) >=
        comments.filter((c) => history.indexOf(c) < streamed).length,
      'the streamed comments',
    );

    standin.cut();
    // Happens while no stream is connected: only the reconnect's catch-up can bring it.
    for (const event of history.slice(streamed, whileCut)) standin.emit(event);
    // The collector's second stream-events, not the first one still closing.
    await until(() => standin.execs === 2 && standin.streams() === 1, 'the reconnect');
    for (const event of history.slice(whileCut)) standin.emit(event);

    await until(async () => (await count('gerrit_comments')) >= comments.length, 'every comment');
    await until(
      async () => (await count('gerrit_patch_sets')) >= patchSets.size,
      'every patch set',
    );
    expect(await count('gerrit_comments')).toBe(comments.length);
    expect(await count('gerrit_patch_sets')).toBe(patchSets.size);
    expect(logs.some((line) => line.includes('holds the lease'))).toBe(true);
    expect(logs.some((line) => line.includes('disconnected'))).toBe(true);
  });

  it('told the live subscribers each comment it stored, once', async () => {
    await until(
      () =>
        socket
          .pending()
          .filter(
            (m) =>
              m.type === 'next' &&
              (m.payload as { data: { gerritEvents: { type: string } } }).data.gerritEvents.type ===
                'comment-added',
          ).length >= comments.length,
      'every comment heard',
    );
    const heardComments = socket
      .pending()
      .filter((m) => m.type === 'next')
      .map((m) => (m.payload as { data: { gerritEvents: { type: string } } }).data.gerritEvents)
      .filter((e) => e.type === 'comment-added');
    expect(heardComments).toHaveLength(comments.length);
  });
});
