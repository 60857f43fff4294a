/**
 * The graphql-ws protocol (graphql-transport-ws, enisdenjo/graphql-ws PROTOCOL.md) spoken by a
 * raw client that sends exactly what a test writes: the handshake and its close codes,
 * queries, mutations and subscriptions, errors with codes, limits, and subscription events
 * that never see what an earlier event cached.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../server/graphql/errors.js';
import { createToken } from '../../server/tokens/token.service.js';
import { backends } from '../helpers/databases.js';
import { fragmentBomb } from '../helpers/queries.js';
import {
  handshake,
  openAcked,
  openRaw,
  PROTOCOL,
  type Message,
  type RawSocket,
} from '../helpers/raw-ws.js';
import { FIXTURES, startServer, type TestServer } from '../helpers/server.js';

const STREAM = readFileSync(`${FIXTURES}subunit/stestr-successful.subunit`);

/** graphql-ws close codes (PROTOCOL.md). */
const CLOSE = {
  badRequest: 4400,
  unauthorized: 4401,
  subprotocolNotAcceptable: 4406,
  subscriberAlreadyExists: 4409,
  tooManyInitialisationRequests: 4429,
} as const;

interface FormattedError {
  message: string;
  extensions?: { code?: string; stacktrace?: unknown };
}

/**
 * A ping answered: the server has read every message sent before it. What it does with them
 * up to a subscription's registration involves no I/O, so it is done before the server reads
 * anything else, such as an upload on another connection.
 */
async function roundTrip(socket: RawSocket): Promise<void> {
  socket.send({ type: 'ping' });
  expect(await socket.next()).toEqual({ type: 'pong' });
}

/** Uploads the stream as CI does (POST /api/runs): the server publishes runIngested. */
async function upload(
  server: TestServer,
  secret: string,
  metadata: Record<string, string>,
): Promise<string> {
  const response = await fetch(`${server.url}/api/runs?${new URLSearchParams(metadata)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}` },
    body: STREAM,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { run: string }).run;
}

/** `next` then `complete` of a single-result operation; its payload. */
async function single(socket: RawSocket, id: string): Promise<Message['payload']> {
  const next = await socket.next();
  expect(next).toMatchObject({ id, type: 'next' });
  expect(await socket.next()).toEqual({ id, type: 'complete' });
  return next.payload;
}

describe.each(backends)('graphql-ws on $name', (backend) => {
  let server: TestServer;
  let secret: string;
  const sockets: RawSocket[] = [];

  /** A socket closed with the server at the latest. */
  const open = async (use: Promise<RawSocket>) => {
    const socket = await use;
    sockets.push(socket);
    return socket;
  };
  const acked = (payload?: Record<string, unknown>) => open(openAcked(server.url, payload));

  const ingested = (metadata: Record<string, string>) => upload(server, secret, metadata);

  beforeAll(async () => {
    server = await startServer(backend);
    secret = (await createToken(server.app.services.db, 'ci')).secret;
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await server?.close();
  });

  describe('handshake', () => {
    it('speaks graphql-transport-ws, and closes 4406 on any other subprotocol', async () => {
      const socket = await open(openRaw(server.url));
      expect(socket.protocol).toBe(PROTOCOL);
      // subscriptions-transport-ws, the protocol graphql-ws replaced: the server chooses no
      // subprotocol (a ws client gives up there) and closes the socket with 4406.
      expect(await handshake(server.url, 'graphql-ws')).toEqual({
        protocol: undefined,
        closeCode: CLOSE.subprotocolNotAcceptable,
      });
    });

    it('acknowledges connection_init', async () => {
      const socket = await open(openRaw(server.url));
      socket.send({ type: 'connection_init', payload: {} });
      expect(await socket.next()).toEqual({ type: 'connection_ack' });
    });

    it('closes 4401 on a subscribe before the acknowledgement', async () => {
      const socket = await open(openRaw(server.url));
      socket.send({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } });
      expect((await socket.closed).code).toBe(CLOSE.unauthorized);
    });

    it('closes 4429 on a second connection_init', async () => {
      const socket = await acked();
      socket.send({ type: 'connection_init' });
      expect((await socket.closed).code).toBe(CLOSE.tooManyInitialisationRequests);
    });

    it('closes 4400 on a message that is not of the protocol', async () => {
      for (const message of [
        'not json',
        { type: 'nope' },
        { type: 'subscribe', payload: { query: '{ __typename }' } }, // no id
        { id: '1', type: 'subscribe' }, // no payload
      ]) {
        const socket = await acked();
        socket.send(message);
        expect((await socket.closed).code, JSON.stringify(message)).toBe(CLOSE.badRequest);
      }
    });

    it('answers ping with pong and its payload', async () => {
      const socket = await acked();
      socket.send({ type: 'ping', payload: { at: 1 } });
      expect(await socket.next()).toEqual({ type: 'pong', payload: { at: 1 } });
    });
  });

  describe('operations', () => {
    it('answers a query with next and complete', async () => {
      const run = await ingested({ build_name: 'ws-query' });
      const socket = await acked();
      socket.send({
        id: 'q',
        type: 'subscribe',
        payload: {
          query: 'query ($id: ID!) { run(id: $id) { id buildName } }',
          variables: { id: run },
        },
      });
      expect(await single(socket, 'q')).toEqual({
        data: { run: { id: run, buildName: 'ws-query' } },
      });
    });

    it('runs a mutation with the token of connection_init', async () => {
      const run = await ingested({ build_name: 'ws-mutation' });
      const mutation = {
        type: 'subscribe',
        payload: { query: 'mutation ($id: ID!) { deleteRun(id: $id) }', variables: { id: run } },
      };

      const anonymous = await acked();
      anonymous.send({ id: 'm', ...mutation });
      const refused = (await single(anonymous, 'm')) as { errors: FormattedError[] };
      expect(refused.errors[0]!.extensions?.code).toBe(ErrorCode.UNAUTHENTICATED);

      const authorized = await acked({ authorization: `Bearer ${secret}` });
      authorized.send({ id: 'm', ...mutation });
      expect(await single(authorized, 'm')).toEqual({ data: { deleteRun: run } });
      const gone = await server.query<{ run: unknown }>(`{ run(id: "${run}") { id } }`);
      expect(gone.body.data!.run).toBeNull();
    });

    it('closes 4409 on a second subscribe with the id of a running one', async () => {
      const socket = await acked();
      const subscribe = {
        id: 's',
        type: 'subscribe',
        payload: { query: 'subscription { runIngested { id } }' },
      };
      socket.send(subscribe);
      socket.send(subscribe);
      expect((await socket.closed).code).toBe(CLOSE.subscriberAlreadyExists);
    });

    it('delivers subscription events until the client completes it', async () => {
      const socket = await acked();
      const subscribe = (id: string) => ({
        id,
        type: 'subscribe',
        payload: {
          query: 'subscription ($job: String) { runIngested(filter: { job: $job }) { id } }',
          variables: { job: 'ws-events' },
        },
      });
      socket.send(subscribe('a'));
      await roundTrip(socket);
      const first = await ingested({ build_name: 'ws-events', n: '1' });
      // An event for another job is filtered out: the next one is the next of this job.
      await ingested({ build_name: 'ws-other' });
      const second = await ingested({ build_name: 'ws-events', n: '2' });
      expect(await socket.next()).toEqual({
        id: 'a',
        type: 'next',
        payload: { data: { runIngested: { id: first } } },
      });
      expect(await socket.next()).toEqual({
        id: 'a',
        type: 'next',
        payload: { data: { runIngested: { id: second } } },
      });

      socket.send({ id: 'a', type: 'complete' });
      // Once the server has stopped it, the id is free again: reusing it is no 4409. (Reused
      // at once, graphql-ws would tell the new subscription that the old one completed.)
      await roundTrip(socket);
      socket.send(subscribe('a'));
      socket.send(subscribe('b'));
      await roundTrip(socket);
      const third = await ingested({ build_name: 'ws-events', n: '3' });
      const events = [await socket.next(), await socket.next()];
      // Both live subscriptions get the event once; the completed one got nothing more.
      expect(events.sort((x, y) => x.id!.localeCompare(y.id!))).toEqual(
        ['a', 'b'].map((id) => ({
          id,
          type: 'next',
          payload: { data: { runIngested: { id: third } } },
        })),
      );
      await roundTrip(socket);
      expect(socket.pending()).toEqual([]);
    });
  });

  describe('errors', () => {
    /** The `error` message a subscribe gets, with a code on each error and no stack. */
    const refusal = async (payload: object): Promise<FormattedError[]> => {
      const socket = await acked();
      socket.send({ id: 'e', type: 'subscribe', payload });
      const message = await socket.next();
      expect(message).toMatchObject({ id: 'e', type: 'error' });
      const errors = message.payload as FormattedError[];
      for (const error of errors) {
        expect(Object.values(ErrorCode)).toContain(error.extensions?.code);
        expect(error.extensions?.stacktrace).toBeUndefined();
      }
      return errors;
    };

    it('carry the codes Apollo gives the same errors over HTTP', async () => {
      const cases: [payload: object, code: ErrorCode][] = [
        [{ query: '{ runs {' }, ErrorCode.GRAPHQL_PARSE_FAILED],
        [{ query: '{ runs { noSuchField } }' }, ErrorCode.GRAPHQL_VALIDATION_FAILED],
        [
          { query: 'query ($n: Int!) { runs(first: $n) { totalCount } }', variables: { n: 'x' } },
          ErrorCode.BAD_USER_INPUT,
        ],
        [
          { query: 'query A { runs { totalCount } }', operationName: 'B' },
          ErrorCode.OPERATION_RESOLUTION_FAILURE,
        ],
      ];
      for (const [payload, code] of cases) {
        const errors = await refusal(payload);
        expect(errors[0]!.extensions?.code, JSON.stringify(payload)).toBe(code);
        // The same request over HTTP: the same code.
        const http = await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload),
        });
        const { errors: overHttp } = (await http.json()) as { errors: FormattedError[] };
        expect(overHttp[0]!.extensions?.code).toBe(code);
      }
    });

    it('apply the depth and cost limits', async () => {
      // runIngested results nodes run | results nodes run | results nodes run | results nodes id
      const deep = await refusal({
        query: `subscription { runIngested { ${'results(first: 1) { nodes { run { '.repeat(3)}
          results(first: 1) { nodes { id } } ${'} } } '.repeat(3)} } }`,
      });
      expect(deep[0]!.extensions?.code).toBe(ErrorCode.QUERY_TOO_DEEP);
      expect(deep[0]!.message).toMatch(/13 levels deep; the limit is 12/);

      const costly = await refusal({
        query:
          '{ runs(first: 500) { nodes { results(first: 500) { nodes { attachments { text } } } } } }',
      });
      expect(costly[0]!.extensions?.code).toBe(ErrorCode.QUERY_TOO_COSTLY);
      expect(costly[0]!.message).toMatch(/the limit is 50000/);

      // Measured in time linear in the document, as over HTTP (test/api/limits.test.ts).
      const bomb = await refusal({ query: fragmentBomb(30) });
      expect(bomb[0]!.extensions?.code).toBe(ErrorCode.QUERY_TOO_COSTLY);
    });
  });
});

describe.each(backends)('subscription events on $name', (backend) => {
  it('read fresh data: no event is served what an earlier one cached', async () => {
    // A server of its own: the tests' counters start from nothing.
    const server = await startServer(backend);
    const { secret } = await createToken(server.app.services.db, 'ci');
    const socket = await openAcked(server.url);
    try {
      socket.send({
        id: 'l',
        type: 'subscribe',
        payload: {
          query: `subscription {
            runIngested {
              results(first: 500) { totalCount nodes { testId test { testId runs } } }
            }
          }`,
        },
      });
      await roundTrip(socket);
      for (const uploads of [1, 2, 3]) {
        await upload(server, secret, { attempt: String(uploads) });
        const event = (await socket.next()) as {
          payload: { data: { runIngested: { results: Results } } };
        };
        const { results } = event.payload.data.runIngested;
        expect(results.nodes).toHaveLength(results.totalCount);
        // The same stream each time: a test has run `uploads` times its results in one run.
        const perRun = new Map<string, number>();
        for (const r of results.nodes) perRun.set(r.testId, (perRun.get(r.testId) ?? 0) + 1);
        for (const r of results.nodes) {
          expect(r.test.testId).toBe(r.testId);
          expect(r.test.runs, `${r.testId} after ${uploads} uploads`).toBe(
            uploads * perRun.get(r.testId)!,
          );
        }
      }
    } finally {
      await socket.close();
      await server.close();
    }
  });
});

interface Results {
  totalCount: number;
  nodes: { testId: string; test: { testId: string; runs: number } }[];
}
