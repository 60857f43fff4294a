/**
 * Health, readiness and graceful shutdown: /healthz and /readyz, a database that goes away,
 * app.close() with a request in flight and WebSocket clients connected, and `gatewatch serve`
 * stopping on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDbUrl } from '../../server/config/config.js';
import { ErrorCode } from '../../server/graphql/errors.js';
import { checkBuilt, MAIN } from '../helpers/cli.js';
import { backends, type Backend } from '../helpers/databases.js';
import { deferred } from '../helpers/deferred.js';
import { startPrivateMariaDb, type PrivateMariaDb } from '../helpers/private-mariadb.js';
import { openAcked } from '../helpers/raw-ws.js';
import { startServer, type TestServer } from '../helpers/server.js';

async function get(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

/** Resolves once a TCP connection to the server's port is refused. */
async function refused(httpUrl: string): Promise<void> {
  const { hostname, port } = new URL(httpUrl);
  for (;;) {
    const outcome = await new Promise<'accepted' | 'refused'>((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      socket.once('connect', () => {
        socket.destroy();
        resolve('accepted');
      });
      socket.once('error', (error: NodeJS.ErrnoException) =>
        error.code === 'ECONNREFUSED' ? resolve('refused') : reject(error),
      );
    });
    if (outcome === 'refused') return;
  }
}

describe.each(backends)('health and readiness on $name', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(backend);
  });

  it('answers /healthz and, the database answering, /readyz with 200', async () => {
    expect(await get(`${server.url}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get(`${server.url}/readyz`)).toEqual({ status: 200, body: { status: 'ready' } });
  });
});

// SQLite is a file the server itself holds open: it cannot go away under a running server the
// way a database server can, so only MariaDB's failure is tested.
describe.runIf(backends.some((b) => b.name === 'mariadb'))('MariaDB going away', () => {
  let mariadb: PrivateMariaDb;
  let server: TestServer;

  beforeAll(async () => {
    mariadb = await startPrivateMariaDb();
    const url = mariadb.url('gatewatch');
    // The private server is dropped whole afterwards: its database needs no drop of its own.
    const own: Backend = {
      name: 'mariadb',
      create: async () => ({ url, target: parseDbUrl(url), drop: async () => {} }),
    };
    server = await startServer(own);
  });
  afterAll(async () => {
    await server?.close();
    await mariadb?.destroy();
  });

  it('makes /readyz answer 503 with the reason, and GraphQL DATABASE_UNAVAILABLE', async () => {
    expect((await get(`${server.url}/readyz`)).status).toBe(200);
    await mariadb.stop();

    expect(await get(`${server.url}/readyz`)).toEqual({
      status: 503,
      body: {
        status: 'unavailable',
        error: { code: ErrorCode.DATABASE_UNAVAILABLE, message: 'the database does not answer' },
      },
    });
    const answer = await server.query('{ runs { totalCount } }');
    expect(answer.body.errors).toEqual([
      expect.objectContaining({
        message: 'the database is unavailable',
        extensions: { code: ErrorCode.DATABASE_UNAVAILABLE },
      }),
    ]);
    // Alive all the same: no restart would help.
    expect((await get(`${server.url}/healthz`)).status).toBe(200);

    await mariadb.start();
    expect(await get(`${server.url}/readyz`)).toEqual({ status: 200, body: { status: 'ready' } });
    expect((await server.query('{ runs { totalCount } }')).body).toEqual({
      data: { runs: { totalCount: 0 } },
    });
  });
});

describe.each(backends)('graceful shutdown on $name', (backend) => {
  it('finishes the request in flight, closes sockets with 1001 and refuses new connections', async () => {
    const server = await startServer(backend);
    try {
      await server.ingest('subunit/stestr-successful.subunit', { build_name: 'drain' });
      const socket = await openAcked(server.url);

      // A request in flight: the server has read its headers (it answered 100 Continue) and
      // waits for the body, which is sent only once the server is closing.
      const body = JSON.stringify({ query: '{ runs(filter: { job: "drain" }) { totalCount } }' });
      const req = request(`${server.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          expect: '100-continue',
        },
      });
      const continued = deferred();
      const answered = deferred<{ status: number; text: string }>();
      req.on('continue', () => continued.resolve());
      req.on('error', (error) => answered.reject(error));
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => answered.resolve({ status: res.statusCode!, text }));
      });
      req.flushHeaders();
      await continued.promise;

      const closing = server.app.close();
      expect(await socket.closed).toEqual({ code: 1001, reason: 'Going away' });
      await refused(server.url);

      req.end(body);
      const { status, text } = await answered.promise;
      expect(status).toBe(200);
      expect(JSON.parse(text)).toEqual({ data: { runs: { totalCount: 1 } } });
      await closing;
    } finally {
      await server.close();
    }
  });
});

describe.each(backends)('gatewatch serve on $name', (backend) => {
  it('serves /healthz, then drains and exits 0 on SIGTERM', async () => {
    checkBuilt();
    const database = await backend.create();
    // As in production: Apollo would install its own signal handlers outside NODE_ENV=test.
    const env = { ...process.env };
    delete env.NODE_ENV;
    const child = spawn(process.execPath, [MAIN, 'serve', '--db', database.url, '--port', '0'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stdout = '';
      let stderr = '';
      const url = deferred<string>();
      const exited = deferred<{ code: number | null; signal: string | null }>();
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const served = /serving .* at (http:\/\/\S+)/.exec(stdout);
        if (served) url.resolve(served[1]!);
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (code, signal) => {
        url.reject(new Error(`serve exited (${code ?? signal}) before serving: ${stderr}`));
        exited.resolve({ code, signal });
      });

      const served = await url.promise;
      expect(await get(`${served}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });

      child.kill('SIGTERM');
      expect(await exited.promise, stderr).toEqual({ code: 0, signal: null });
      expect(stdout).toMatch(/SIGTERM: draining requests and closing/);
      await refused(served);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await database.drop();
    }
  });
});
