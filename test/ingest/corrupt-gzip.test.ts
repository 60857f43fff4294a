/**
 * A gzip stream damaged after an intact first member: the worker's failure reaches the main
 * thread as a typed value (code and byte offset) and both the CLI and the upload endpoint name
 * the input, the problem and where it was seen; nothing is stored. On each backend.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewatchError } from '../../server/errors.js';
import { createParserPool, ParseFailure, type ParserPool } from '../../server/ingest/pool.js';
import { createToken } from '../../server/tokens/token.service.js';
import { gatewatch } from '../helpers/cli.js';
import { backends } from '../helpers/databases.js';
import { FIXTURES, startServer, type TestServer } from '../helpers/server.js';

const fixture = (name: string) => readFileSync(join(FIXTURES, 'subunit', name));

/** Two gzip members, the second damaged right after its header; where the damage starts. */
function damagedStream(): { bytes: Buffer; damageAt: number } {
  const intact = gzipSync(fixture('sample-large-attachment.subunit'));
  const damaged = gzipSync(fixture('stestr-failure.subunit'));
  // Byte 10 starts the deflate data: flipping it breaks the first block.
  damaged[10]! ^= 0xff;
  damaged[11]! ^= 0xff;
  return { bytes: Buffer.concat([intact, damaged]), damageAt: intact.length + 10 };
}

const CORRUPT = /the gzip data is corrupt at or after byte (\d+) \(.+\)/;

/** The offset a message names, checked to lie past the intact member's start, at the damage or before. */
function expectOffset(message: string, damageAt: number): number {
  const match = CORRUPT.exec(message);
  expect(match, message).not.toBeNull();
  const offset = Number(match![1]);
  expect(offset).toBeGreaterThan(0);
  expect(offset).toBeLessThanOrEqual(damageAt);
  return offset;
}

async function* chunked(bytes: Buffer, size: number): AsyncIterable<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe('a corrupt gzip through the worker pool', () => {
  let pool: ParserPool;
  beforeAll(() => {
    pool = createParserPool({ threads: 1 });
  });
  afterAll(() => pool?.close());

  it('rejects with a ParseFailure carrying CORRUPT_INPUT and the offset', async () => {
    const { bytes, damageAt } = damagedStream();
    const failure = await pool
      .parseSubunit(chunked(bytes, 64 * 1024), async () => {})
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(ParseFailure);
    const { code, message, offset } = failure as ParseFailure;
    expect(code).toBe('CORRUPT_INPUT');
    expect(offset).toBe(expectOffset(message, damageAt));
    const named = (failure as ParseFailure).of('run.subunit.gz');
    expect(named).toBeInstanceOf(GatewatchError);
    expect(named).toMatchObject({ code, offset, message: `run.subunit.gz: ${message}` });
  });

  it('reports a dstat CSV with no header as NOT_DSTAT', async () => {
    const csv = Buffer.from('"Dstat 0.7.4 CSV output"\n"Author:","Dag Wieers"\nnot,a,header\n');
    const failure = (await pool.parseDstat(chunked(csv, 7)).then(
      () => null,
      (error: unknown) => error,
    )) as ParseFailure;
    expect(failure).toBeInstanceOf(ParseFailure);
    expect(failure.code).toBe('NOT_DSTAT');
    expect(failure.message).toMatch(/no dstat header row found/);
  });
});

describe.each(backends)('a corrupt gzip in the middle of a stream on $name', (backend) => {
  let server: TestServer;
  let token: string;
  let db: Awaited<ReturnType<typeof backend.create>>;
  const scratch = mkdtempSync(join(tmpdir(), 'gatewatch-corrupt-'));
  beforeAll(async () => {
    server = await startServer(backend);
    token = (await createToken(server.app.services.db, 'ci-corrupt')).secret;
    db = await backend.create();
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const storedRuns = async () =>
    Number((await server.app.services.db.knex('runs').count({ n: '*' }))[0]!.n);

  it('answers the upload 400 NOT_SUBUNIT naming the input, the problem and its offset', async () => {
    const { bytes, damageAt } = damagedStream();
    const response = await fetch(new URL('/api/runs?build_name=corrupt', server.url), {
      method: 'POST',
      body: bytes,
      headers: {
        authorization: `Bearer ${token}`,
        'content-disposition': 'attachment; filename="corrupt.subunit.gz"',
      },
    });
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(response.status).toBe(400);
    expect(body.error.code).toBe('NOT_SUBUNIT');
    expect(body.error.message).toMatch(/^corrupt\.subunit\.gz: /);
    expectOffset(body.error.message, damageAt);
    expect(await storedRuns()).toBe(0);
  });

  it('fails the CLI ingest with exit status 1, naming the file, the problem and its offset', async () => {
    const { bytes, damageAt } = damagedStream();
    const path = join(scratch, 'corrupt.subunit.gz');
    writeFileSync(path, bytes);
    expect((await gatewatch(['migrate', '--db', db.url])).code).toBe(0);
    const result = await gatewatch(['ingest', '--db', db.url, path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/corrupt\.subunit\.gz: the gzip data is corrupt/);
    expectOffset(result.stderr, damageAt);
    expect(result.out).toBe('');
  });
});
