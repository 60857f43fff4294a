/**
 * What one client may ask of the server at once (issue 14, defects 5 and 6): aliases, fields
 * and tokens per query over HTTP and WebSocket, the WebSocket message size, operations per
 * socket and sockets per address — each refused with a message naming the limit, while the
 * server goes on answering others.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../server/graphql/errors.js';
import { backends } from '../helpers/databases.js';
import { handshakeStatus, openAcked, openRaw, type RawSocket } from '../helpers/raw-ws.js';
import { startServer, type TestServer } from '../helpers/server.js';

const LIMITS = {
  GATEWATCH_MAX_QUERY_ALIASES: '20',
  GATEWATCH_MAX_QUERY_FIELDS: '60',
  GATEWATCH_MAX_QUERY_TOKENS: '400',
  GATEWATCH_MAX_WS_MESSAGE: '4KiB',
  GATEWATCH_MAX_SUBSCRIPTIONS: '3',
  GATEWATCH_MAX_SOCKETS_PER_ADDRESS: '4',
};

const aliased = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: runs(first: 1) { totalCount }`).join(' ')} }`;

describe.each(backends)('client limits on $name', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(backend, LIMITS);
  });

  it('refuses more aliases than the limit, and runs a query at it', async () => {
    const over = await server.query(aliased(21));
    expect(over.status).toBe(400);
    expect(over.body.errors![0]!.extensions?.code).toBe(ErrorCode.QUERY_TOO_COSTLY);
    expect(over.body.errors![0]!.message).toMatch(/21 aliased fields; the limit is 20/);
    const at = await server.query<Record<string, { totalCount: number }>>(aliased(20));
    expect(at.status).toBe(200);
    expect(Object.keys(at.body.data!)).toHaveLength(20);
  });

  it('counts the fields of fragments as often as they are spread', async () => {
    // 4 spreads × 16 fields of F = 64 fields > 60, in a document far smaller than that.
    const fragment = `fragment F on Query { ${Array.from({ length: 8 }, () => 'freshness { ageSeconds }').join(' ')} }`;
    const answer = await server.query(
      `query { ...F ...G } fragment G on Query { ...F ...F ...F } ${fragment}`,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors![0]!.message).toMatch(/selects 64 fields .*the limit is 60/);
  });

  it('stops parsing a document of more tokens than the limit', async () => {
    const answer = await server.query(`{ ${'freshness { ageSeconds } '.repeat(100)} }`);
    expect(answer.status).toBe(400);
    expect(answer.body.errors![0]!.extensions?.code).toBe(ErrorCode.GRAPHQL_PARSE_FAILED);
    expect(answer.body.errors![0]!.message).toMatch(/more tha[nt] 400 tokens/);
  });

  it('applies the query limits over WebSocket too', async () => {
    const socket = await openAcked(server.url);
    socket.send({ id: '1', type: 'subscribe', payload: { query: aliased(21) } });
    const refused = await socket.next();
    expect(refused).toMatchObject({ id: '1', type: 'error' });
    expect(JSON.stringify(refused.payload)).toMatch(/21 aliased fields; the limit is 20/);
    await socket.close();
  });

  it('closes a socket that sends a message over the size limit (1009)', async () => {
    const socket = await openAcked(server.url);
    socket.send({ id: '1', type: 'subscribe', payload: { query: `{ ${' '.repeat(5000)} }` } });
    expect((await socket.closed).code).toBe(1009);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('refuses more operations in flight on one socket than the limit', async () => {
    const socket = await openAcked(server.url);
    const subscription = { query: 'subscription { runIngested { id } }' };
    for (const id of ['1', '2', '3']) socket.send({ id, type: 'subscribe', payload: subscription });
    socket.send({ id: '4', type: 'subscribe', payload: subscription });
    const refused = await socket.next();
    expect(refused).toMatchObject({ id: '4', type: 'error' });
    expect(JSON.stringify(refused.payload)).toMatch(/3 operations in flight; the limit is 3/);
    // Completing one makes room for another.
    socket.send({ id: '1', type: 'complete' });
    socket.send({ id: '5', type: 'subscribe', payload: { query: '{ __typename }' } });
    expect(await socket.next()).toMatchObject({ id: '5', type: 'next' });
    await socket.close();
  });

  it('refuses sockets from one address past the limit at the handshake (429)', async () => {
    // A server of its own: the sockets of the other tests may still be closing.
    const own = await startServer(backend, LIMITS);
    const sockets: RawSocket[] = [];
    for (let i = 0; i < 4; i++) sockets.push(await openRaw(own.url));
    expect(await handshakeStatus(own.url)).toBe(429);
    await sockets.pop()!.close();
    // The count follows closes: the freed place can be taken again.
    await expect.poll(() => handshakeStatus(own.url)).toBe(101);
    await Promise.all(sockets.map((s) => s.close()));
  });
});
