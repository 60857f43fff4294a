/**
 * A real gatewatch server on port 0 over a fresh database of a backend, with clients that
 * talk to it as users do: GraphQL over HTTP (fetch) and over WebSocket (graphql-ws).
 */
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, afterEach, beforeEach } from 'vitest';
import WebSocket from 'ws';
import { createApp, type App, type AppOptions } from '../../server/app.js';
import { loadConfig } from '../../server/config/config.js';
import type { IngestSummary } from '../../server/ingest/ingest.js';
import type { Backend } from './databases.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  contentType: string | null;
  body: { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

export interface TestServer {
  readonly app: App;
  readonly url: string;
  /** POST /graphql with JSON, as a client library does. */
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** Stores a fixture (path under test/fixtures) through the server's own pool and database. */
  ingest(
    fixture: string,
    metadata?: Record<string, string>,
    dstat?: string,
  ): Promise<IngestSummary>;
  /** A graphql-ws client on the server; closed with the server. */
  ws(connectionParams?: Record<string, unknown>): Client;
  close(): Promise<void>;
}

/** Servers not closed yet: started in a test (closed after it), or in a `beforeAll` (after the file). */
const inTests = new Set<TestServer>();
const inFile = new Set<TestServer>();
let testRunning = false;
beforeEach(() => {
  testRunning = true;
});
afterEach(async () => {
  testRunning = false;
  await Promise.all([...inTests].map((server) => server.close()));
});
afterAll(async () => {
  await Promise.all([...inFile].map((server) => server.close()));
});

/**
 * Starts a server over a fresh database; `env` sets GATEWATCH_* settings, `options` what
 * `serve` passes besides them (the Gerrit servers). It is closed (and
 * its database dropped) automatically: after the test that started it, or after the file when
 * started in a `beforeAll`; `close()` closes it earlier.
 */
export async function startServer(
  backend: Backend,
  env: Record<string, string> = {},
  options: AppOptions = {},
): Promise<TestServer> {
  const database = await backend.create();
  let app: App;
  try {
    app = await createApp(loadConfig({ db: database.url, port: '0' }, env), options);
  } catch (error) {
    await database.drop();
    throw error;
  }
  const clients: Client[] = [];
  let closing: Promise<void> | undefined;
  const server: TestServer = {
    app,
    url: app.url,
    async query<T>(
      query: string,
      variables?: Record<string, unknown>,
      headers?: Record<string, string>,
    ) {
      const response = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: (await response.json()) as GraphQLResponse<T>['body'],
      };
    },
    ingest(fixture, metadata = {}, dstat) {
      const open = (name: string) => createReadStream(`${FIXTURES}${name}`);
      return app.services.ingest.ingest({
        name: fixture,
        source: open(fixture),
        metadata,
        dstat: dstat === undefined ? undefined : { name: dstat, source: open(dstat) },
      });
    },
    ws(connectionParams) {
      const client = wsClient(app.url, connectionParams);
      clients.push(client);
      return client;
    },
    close: () =>
      (closing ??= (async () => {
        inTests.delete(server);
        inFile.delete(server);
        await Promise.all(clients.map((c) => c.dispose()));
        await app.close();
        await database.drop();
      })()),
  };
  (testRunning ? inTests : inFile).add(server);
  return server;
}

/** A graphql-ws client on the server at `httpUrl`, which does not reconnect. */
export function wsClient(httpUrl: string, connectionParams?: Record<string, unknown>): Client {
  return createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
  });
}

/** The first value of a graphql-ws subscription (or the error it ends with). */
export function firstEvent<T>(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
): { next: Promise<{ data?: T; errors?: unknown[] }>; ready: Promise<void> } {
  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  const next = new Promise<{ data?: T; errors?: unknown[] }>((resolve, reject) => {
    const unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          unsubscribe();
          resolve(value as { data?: T; errors?: unknown[] });
        },
        error: reject,
        complete: () => reject(new Error('the subscription completed without an event')),
      },
    );
    // graphql-ws has no "subscribed" acknowledgement: the server registers the subscription
    // as soon as it reads the message, which a round trip on the same socket guarantees.
    client.subscribe(
      { query: '{ __typename }' },
      { next: () => ready(), error: reject, complete: () => ready() },
    );
  });
  return { next, ready: readyPromise };
}

/**
 * Every value of a graphql-ws subscription, in order of arrival (an error as `{ error }`);
 * resolves once the server has registered the subscription (the round trip of `firstEvent`).
 */
export async function allEvents<T>(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
): Promise<(T | { error: unknown })[]> {
  const seen: (T | { error: unknown })[] = [];
  client.subscribe<T>(
    { query, variables },
    {
      next: (value) => seen.push(value.data ?? { error: value.errors }),
      error: (error) => seen.push({ error }),
      complete: () => undefined,
    },
  );
  await new Promise<void>((resolve, reject) =>
    client.subscribe(
      { query: '{ __typename }' },
      { next: () => resolve(), error: reject, complete: resolve },
    ),
  );
  return seen;
}
