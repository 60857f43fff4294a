/** The outgoing HTTP client against a real local HTTP server. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewatchError } from '../../server/errors.js';
import { createHttpClient } from '../../server/http/client.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const routes = new Map<string, Handler>();
const hits = new Map<string, number>();
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const handler = routes.get(path);
    if (handler) handler(request, response);
    else response.writeHead(404).end('no such route');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A route answered `handler`, its hit count reset. */
function route(path: string, handler: Handler): string {
  routes.set(path, handler);
  hits.set(path, 0);
  return `${base}${path}`;
}

async function failure(promise: Promise<unknown>): Promise<GatewatchError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewatchError);
  return error as GatewatchError;
}

const quick = { backoffMs: 1, maxBackoffMs: 5, random: () => 0.5 };

describe('createHttpClient', () => {
  it("strips Gerrit's )]}' first line and parses the JSON", async () => {
    const url = route('/prefixed', (_, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(`)]}'\n[{"_number":1,"subject":"Fix"}]\n`);
    });
    await expect(createHttpClient().getJson(url)).resolves.toEqual([
      { _number: 1, subject: 'Fix' },
    ]);
    const plain = route('/plain', (_, res) => res.end('{"ok":true}'));
    await expect(createHttpClient().getJson(plain)).resolves.toEqual({ ok: true });
  });

  it('asks for gzip and expands it, the cap applying to the expanded body', async () => {
    const body = JSON.stringify({ messages: 'x'.repeat(4096) });
    const url = route('/gzipped', (req, res) => {
      expect(req.headers['accept-encoding']).toBe('gzip');
      res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(body));
    });
    await expect(createHttpClient().getJson(url)).resolves.toEqual(JSON.parse(body));
    const error = await failure(createHttpClient({ maxBytes: 1024 }).get(url));
    expect(error.message).toBe(`GET ${url}: the body is larger than the cap of 1024 bytes`);
  });

  it('sends the User-Agent and basic auth', async () => {
    const url = route('/whoami', (req, res) =>
      res.end(JSON.stringify({ ua: req.headers['user-agent'], auth: req.headers.authorization })),
    );
    const client = createHttpClient({
      userAgent: 'gatewatch-test/1',
      auth: { user: 'ci', password: 's3cret' },
    });
    await expect(client.getJson(url)).resolves.toEqual({
      ua: 'gatewatch-test/1',
      auth: `Basic ${Buffer.from('ci:s3cret').toString('base64')}`,
    });
  });

  it('retries a 503 and returns the 200 that follows', async () => {
    let calls = 0;
    const url = route('/flaky', (_, res) => {
      calls += 1;
      if (calls < 3) res.writeHead(503).end('busy');
      else res.end('"fine"');
    });
    await expect(createHttpClient(quick).getJson(url)).resolves.toBe('fine');
    expect(hits.get('/flaky')).toBe(3);
  });

  it('waits as Retry-After asks on a 429', async () => {
    let calls = 0;
    const url = route('/limited', (_, res) => {
      calls += 1;
      if (calls === 1) res.writeHead(429, { 'retry-after': '0' }).end();
      else res.end('1');
    });
    await expect(createHttpClient(quick).getJson(url)).resolves.toBe(1);
    expect(hits.get('/limited')).toBe(2);
  });

  it('gives up after the bounded retries with the status and the URL', async () => {
    const url = route('/down', (_, res) => res.writeHead(502).end('bad gateway'));
    const error = await failure(createHttpClient({ ...quick, retries: 2 }).get(url));
    expect(error.code).toBe('UPSTREAM_STATUS');
    expect(error.message).toBe(`GET ${url}: answered 502: bad gateway (after 3 attempts)`);
    expect(hits.get('/down')).toBe(3);
  });

  it('does not retry a 404', async () => {
    const url = route('/missing', (_, res) => res.writeHead(404).end('Not found: 42'));
    const error = await failure(createHttpClient(quick).get(url));
    expect(error.message).toBe(`GET ${url}: answered 404: Not found: 42`);
    expect(hits.get('/missing')).toBe(1);
  });

  it('aborts a body past the cap, naming the URL and the cap', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const url = route('/huge', (_, res) => {
      // No Content-Length: the cap must hold while streaming.
      const more = () => {
        while (res.write(chunk));
      };
      res.on('drain', more);
      res.on('close', () => res.off('drain', more));
      more();
    });
    const error = await failure(createHttpClient({ ...quick, maxBytes: 1 << 20 }).get(url));
    expect(error.code).toBe('UPSTREAM_TOO_LARGE');
    expect(error.message).toBe(`GET ${url}: the body is larger than the cap of 1048576 bytes`);
    expect(hits.get('/huge')).toBe(1);
  });

  it('refuses a declared Content-Length past the cap before reading', async () => {
    const url = route('/declared', (_, res) => {
      res.writeHead(200, { 'content-length': String(10 << 20) });
      res.write('x');
    });
    const error = await failure(createHttpClient({ maxBytes: 1000 }).get(url));
    expect(error.code).toBe('UPSTREAM_TOO_LARGE');
  });

  it('times out a body that stops flowing, and retries it', async () => {
    const url = route('/slow', (_, res) => {
      res.writeHead(200);
      res.write('[1,');
    });
    const client = createHttpClient({ ...quick, idleTimeoutMs: 100, retries: 1 });
    const error = await failure(client.get(url));
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    expect(error.message).toBe(`GET ${url}: no answer within the idle time-out of 100 ms`);
    expect(hits.get('/slow')).toBe(2);
  });

  it('times out a server that never answers', async () => {
    const url = route('/silent', () => undefined);
    const client = createHttpClient({ ...quick, connectTimeoutMs: 100, retries: 0 });
    const error = await failure(client.get(url));
    expect(error.message).toBe(`GET ${url}: no answer within the connect time-out of 100 ms`);
  });

  it('bounds the whole request even while bytes trickle', async () => {
    const url = route('/trickle', (_, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(timer));
    });
    const client = createHttpClient({ ...quick, totalTimeoutMs: 200, retries: 0 });
    const error = await failure(client.get(url));
    expect(error.message).toBe(`GET ${url}: no answer within the total time-out of 200 ms`);
  });

  it('names a refused connection after retrying it', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/x`;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(createHttpClient({ ...quick, retries: 1 }).get(url));
    expect(error.code).toBe('UPSTREAM_UNREACHABLE');
    expect(error.message).toMatch(new RegExp(`^GET ${url}: ECONNREFUSED`));
  });

  it('refuses a body that is not JSON, and URLs that are not http(s)', async () => {
    const url = route('/html', (_, res) => res.end('<html>login</html>'));
    const bad = await failure(createHttpClient().getJson(url));
    expect(bad.code).toBe('UPSTREAM_BAD_BODY');
    expect(bad.message).toMatch(new RegExp(`^GET ${url}: not JSON`));
    const file = await failure(createHttpClient().get('file:///etc/passwd'));
    expect(file.message).toBe(
      'file:///etc/passwd: only http: and https: URLs are fetched, not file:',
    );
  });

  it('sends credentials written in the URL as basic auth, never in a message', async () => {
    const url = route('/auth', (req, res) =>
      res.writeHead(401).end(`refused ${req.headers.authorization}`),
    );
    const withPassword = url.replace('http://', 'http://me:hunter2@');
    const error = await failure(createHttpClient().get(withPassword));
    const sent = Buffer.from('me:hunter2').toString('base64');
    expect(error.message).toBe(`GET ${url}: answered 401: refused Basic ${sent}`);
  });
});
