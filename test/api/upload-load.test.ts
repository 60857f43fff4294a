/**
 * Uploads that must never stall the database (issue 14, defects 2–4), on a real server: any
 * number of concurrent uploads queue and are stored while reads answer; a body is received
 * whole before its transaction opens, so a stalled client delays no read and is refused after
 * the idle timeout; a stream that expands past the limit is refused, nothing stored.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createToken } from '../../server/tokens/token.service.js';
import { backends } from '../helpers/databases.js';
import { deferred } from '../helpers/deferred.js';
import { FIXTURES, startServer, type TestServer } from '../helpers/server.js';

const fixture = (name: string) => readFileSync(join(FIXTURES, 'subunit', name));

interface Answer {
  status: number;
  body: { run?: string; error?: { code: string; message: string } };
}

async function upload(
  server: TestServer,
  token: string,
  body: Uint8Array,
  query: Record<string, string>,
): Promise<Answer> {
  const url = new URL('/api/runs', server.url);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** An upload that declares the length of `bytes`, sends the first `sent` of them, then nothing. */
function stalledUpload(server: TestServer, token: string, bytes: Uint8Array, sent: number) {
  const response = deferred<IncomingMessage>();
  const closed = deferred();
  const req = request(`${server.url}/api/runs?build_name=stalled`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-length': String(bytes.length) },
  });
  req.on('response', response.resolve);
  req.on('close', () => closed.resolve());
  // The client's own end of the socket, destroyed by the test or closed by the server.
  req.on('error', () => undefined);
  req.write(bytes.subarray(0, sent));
  return { req, response: response.promise, closed: closed.promise };
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolve(Buffer.concat(chunks).toString()));
    res.on('error', reject);
  });
}

/** Sizes of the files in `dir`: the bodies the server is receiving. */
function filesIn(dir: string): number[] {
  return readdirSync(dir).map((name) => statSync(join(dir, name)).size);
}

async function runCount(server: TestServer): Promise<number> {
  const [row] = await server.app.services.db.knex('runs').count({ n: '*' });
  return Number(row!.n);
}

async function expectReadsAnswer(server: TestServer): Promise<void> {
  const ready = await fetch(`${server.url}/readyz`);
  expect(ready.status).toBe(200);
  const { body } = await server.query<{ runs: { totalCount: number } }>(
    '{ runs(first: 1) { totalCount } }',
  );
  expect(body.errors).toBeUndefined();
  expect(body.data!.runs.totalCount).toBeGreaterThanOrEqual(0);
}

describe.each(backends)('uploads that must not stall the database, on $name', (backend) => {
  it('stores 50 concurrent uploads of new tests, reads answering meanwhile', async () => {
    const server = await startServer(backend);
    const token = (await createToken(server.app.services.db, 'load')).secret;
    const bytes = fixture('stestr-failure.subunit');
    const total = 50;
    let answered = 0;
    const uploads = Array.from({ length: total }, (_, i) =>
      upload(server, token, bytes, { build_name: 'load', attempt: String(i) }).finally(
        () => answered++,
      ),
    );
    // Once one is stored the others are queued or being written: reads must not wait for them.
    await Promise.race(uploads);
    await expectReadsAnswer(server);
    const answeredDuringReads = answered;
    const answers = await Promise.all(uploads);
    expect(answeredDuringReads).toBeLessThan(total);
    expect(answers.map((a) => a.status)).toEqual(Array(total).fill(201));
    expect(await runCount(server)).toBe(total);
    // Every upload shared the same new tests: each is registered once and counts every result.
    const knex = server.app.services.db.knex;
    const [tests] = await knex('tests').count({ n: '*' }).sum({ runs: 'runs' });
    const [results] = await knex('test_results')
      .count({ n: '*' })
      .countDistinct({ ids: 'test_id' });
    expect(Number(tests!.n)).toBe(Number(results!.ids));
    expect(Number(tests!.runs)).toBe(Number(results!.n));
  });

  it('receives bodies whole first: stalled clients delay no read, and leave no file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatewatch-bodies-'));
    const server = await startServer(backend, { GATEWATCH_UPLOAD_DIR: dir });
    const token = (await createToken(server.app.services.db, 'stall')).secret;
    const bytes = fixture('stestr-failure.subunit');
    const half = Math.floor(bytes.length / 2);
    // More than the MySQL pool has connections.
    const clients = 10;
    const stalled = Array.from({ length: clients }, () =>
      stalledUpload(server, token, bytes, half),
    );
    await expect.poll(() => filesIn(dir)).toEqual(Array(clients).fill(half));

    await expectReadsAnswer(server);
    const other = await upload(server, token, fixture('stestr-successful.subunit'), {
      build_name: 'meanwhile',
    });
    expect(other.status).toBe(201);
    expect(filesIn(dir)).toEqual(Array(clients).fill(half));

    // The clients go away: their half bodies are dropped.
    for (const { req } of stalled) req.destroy();
    await Promise.all(stalled.map((s) => s.closed));
    await expect.poll(() => filesIn(dir)).toEqual([]);
    expect(await runCount(server)).toBe(1);
    await expectReadsAnswer(server);
  });

  it('answers a body that stalls past the idle timeout 408 and closes the connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatewatch-bodies-'));
    const server = await startServer(backend, {
      GATEWATCH_UPLOAD_DIR: dir,
      GATEWATCH_UPLOAD_IDLE_TIMEOUT: '300ms',
    });
    const token = (await createToken(server.app.services.db, 'stall')).secret;
    const bytes = fixture('stestr-failure.subunit');
    const stalled = stalledUpload(server, token, bytes, 4096);
    const res = await stalled.response;
    expect(res.statusCode).toBe(408);
    expect(res.headers.connection).toBe('close');
    expect(JSON.parse(await readBody(res))).toEqual({
      error: {
        code: 'BAD_REQUEST',
        message:
          'the upload stalled: no bytes of its body for 0.3 s (GATEWATCH_UPLOAD_IDLE_TIMEOUT); nothing was stored',
      },
    });
    await stalled.closed;
    expect(filesIn(dir)).toEqual([]);
    expect(await runCount(server)).toBe(0);
    await expectReadsAnswer(server);
  });

  it('refuses a stream that expands past the limit with 413 naming it, storing nothing', async () => {
    const limit = 1 << 20;
    const server = await startServer(backend, { GATEWATCH_MAX_EXPANDED: '1MiB' });
    const token = (await createToken(server.app.services.db, 'bombs')).secret;
    const bomb = gzipSync(Buffer.alloc(64 << 20));
    const valid = fixture('stestr-failure.subunit');
    const refusal = {
      code: 'PAYLOAD_TOO_LARGE',
      message: `upload: the stream is larger than ${limit} bytes once decompressed (GATEWATCH_MAX_EXPANDED)`,
    };
    expect(bomb.length).toBeLessThan(limit);
    for (const body of [
      bomb,
      // A valid stream first: its results are written, then rolled back.
      Buffer.concat([gzipSync(valid), bomb]),
      // Plain input counts alike.
      fixture('sample-large-attachment.subunit'),
    ]) {
      const answer = await upload(server, token, body, { build_name: 'bomb' });
      expect(answer).toEqual({ status: 413, body: { error: refusal } });
    }
    expect(await runCount(server)).toBe(0);
    const knex = server.app.services.db.knex;
    for (const table of ['test_results', 'attachments', 'artifacts', 'artifact_chunks']) {
      expect(Number((await knex(table).count({ n: '*' }))[0]!.n)).toBe(0);
    }
    expect(Number((await knex('tests').sum({ n: 'runs' }))[0]!.n ?? 0)).toBe(0);
    const under = await upload(server, token, gzipSync(valid), { build_name: 'fine' });
    expect(under.status).toBe(201);
  });
});
