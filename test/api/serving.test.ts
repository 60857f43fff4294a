/**
 * What the server answers outside GraphQL: unknown machine endpoints in the JSON error shape,
 * the dashboard's files with caching that suits each (hashed assets for a year, pages
 * revalidated), and the plain endpoints while the database is down.
 */
import { existsSync, readdirSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_DIR } from '../../server/app.js';
import { parseDbUrl } from '../../server/config/config.js';
import { ErrorCode } from '../../server/graphql/errors.js';
import { backends, type Backend } from '../helpers/databases.js';
import { byHandWithout } from '../helpers/redis.js';
import { startPrivateMariaDb, type PrivateMariaDb } from '../helpers/private-mariadb.js';
import { startServer, type TestServer } from '../helpers/server.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The status of a GET with exactly these headers (fetch adds `Cache-Control: no-cache` to a
 * conditional request, which no server answers with 304).
 */
function statusOf(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    }).on('error', reject);
  });
}

// Routing and files are the same for every database; SQLite stands for both.
describe('answers outside GraphQL', () => {
  let server: TestServer;
  beforeAll(async () => {
    if (!existsSync(join(CLIENT_DIR, 'index.html'))) {
      throw new Error(`no dashboard in ${CLIENT_DIR}: run \`npm run build:client\` first`);
    }
    server = await startServer(backends[0]!);
  });

  it('answers unknown /api, /feeds and /blob paths with 404 and the JSON error body', async () => {
    for (const [method, path] of [
      ['GET', '/api/nothing/here?x=1'],
      ['POST', '/api/run'],
      ['GET', '/api/runs'],
      ['DELETE', '/api/runs/abcd/subunit'],
      ['GET', '/feeds/jobs/x'],
      ['GET', '/blob'],
    ] as const) {
      const response = await fetch(`${server.url}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({
        error: {
          code: ErrorCode.NOT_FOUND,
          message: `no endpoint ${method} ${path.split('?')[0]}`,
        },
      });
    }
  });

  it('serves hashed assets as immutable for a year and pages revalidated', async () => {
    const assets = readdirSync(join(CLIENT_DIR, 'assets'));
    const script = assets.find((name) => /^dashboard-[\w-]{8}\.js$/.test(name));
    const style = assets.find((name) => /\.css$/.test(name));
    expect(script).toBeDefined();
    for (const name of [script!, style!]) {
      const response = await fetch(`${server.url}/assets/${name}`);
      expect(response.status, name).toBe(200);
      expect(response.headers.get('cache-control'), name).toBe(IMMUTABLE);
    }
    const pages = [
      ...['/', '/index.html', '/jobs/gate-nova', '/runs/abcd', '/graphiql/'],
      // The scrape page, its input a link's single escaped segment, typed by hand, or a query.
      `/go/${encodeURIComponent('https://logs.example.org/26/271726/2/check/job/7c374a7/')}`,
      '/go/https://review.example.org/c/271726/2',
      '/go?input=271726',
    ];
    for (const page of pages) {
      const response = await fetch(`${server.url}${page}`);
      expect(response.status, page).toBe(200);
      expect(response.headers.get('content-type'), page).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control'), page).toBe('no-cache');
      // Revalidation is cheap: an unchanged page is a 304 without a body.
      const etag = response.headers.get('etag');
      expect(etag, page).not.toBeNull();
      expect(await statusOf(`${server.url}${page}`, { 'if-none-match': etag! }), page).toBe(304);
    }
  });
});

describe.skipIf(byHandWithout(!backends.some((b) => b.name === 'mariadb')))(
  'plain endpoints with the database down',
  () => {
    let mariadb: PrivateMariaDb;
    let server: TestServer;
    let run: string;

    beforeAll(async () => {
      mariadb = await startPrivateMariaDb();
      const url = mariadb.url('gatewatch');
      // The private server is dropped whole afterwards: its database needs no drop of its own.
      const own: Backend = {
        name: 'mariadb',
        create: async () => ({ url, target: parseDbUrl(url), drop: async () => {} }),
      };
      server = await startServer(own);
      run = (await server.ingest('subunit/stestr-failure.subunit', { build_name: 'gate-down' }))
        .run;
    });
    afterAll(async () => {
      await server?.close();
      await mariadb?.destroy();
    });

    it('answer 503 DATABASE_UNAVAILABLE, not an internal error', async () => {
      await mariadb.stop();
      for (const path of [
        `/api/runs/${run}/subunit`,
        '/feeds/jobs/gate-down/failures',
        '/feeds/jobs/gate-down/failures.rss',
      ]) {
        const response = await fetch(`${server.url}${path}`);
        expect(response.status, path).toBe(503);
        expect(await response.json(), path).toEqual({
          error: { code: ErrorCode.DATABASE_UNAVAILABLE, message: 'the database is unavailable' },
        });
      }
      const graphql = await server.query('{ runs { totalCount } }');
      expect(graphql.body.errors?.map((e) => e.extensions?.code)).toEqual([
        ErrorCode.DATABASE_UNAVAILABLE,
      ]);
    });
  },
);
