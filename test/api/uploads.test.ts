/**
 * The plain HTTP endpoints of runs against a real server: uploads with tokens and limits,
 * the subunit export and the raw artifact downloads.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { createToken, revokeToken } from '../../server/tokens/token.service.js';
import { encodeEvent } from '../../workers/subunit/encode.js';
import { createSubunitParser } from '../../workers/subunit/parser.js';
import type { TestResult } from '../../workers/subunit/types.js';
import { backends } from '../helpers/databases.js';
import { oracle, oracleAvailable, rowKey } from '../helpers/oracle.js';
import { FIXTURES, startServer, type TestServer } from '../helpers/server.js';

const MAX_UPLOAD = 512 * 1024;
const fixturePath = (name: string) => join(FIXTURES, 'subunit', name);
const fixture = (name: string) => readFileSync(fixturePath(name));
const scratch = mkdtempSync(join(tmpdir(), 'gatewatch-uploads-'));

interface Summary {
  run: string;
  tests: number;
  passes: number;
  failures: number;
  skips: number;
  xfails: number;
  uxsuccesses: number;
  incomplete: number;
  parseErrors: number;
  duplicate: boolean;
}

interface ErrorBody {
  error: { code: string; message: string };
}

/** The results the project's own parser reads from a (decompressed) stream. */
function parse(bytes: Uint8Array): { results: TestResult[]; parseErrors: number } {
  const results: TestResult[] = [];
  const parser = createSubunitParser({
    result: (r) => results.push(r),
    runAttachment: () => {},
    parseError: () => {},
  });
  parser.write(bytes);
  return { results, parseErrors: parser.end().parseErrors };
}

const resultKey = (r: TestResult) =>
  JSON.stringify([r.testId, r.attrs, r.status, r.startUs, r.stopUs, [...r.tags].sort()]);

/** Counts as the ingest summary gives them, computed from a parse of the stream. */
function countsOf(bytes: Uint8Array) {
  const { results, parseErrors } = parse(bytes);
  const count = (status: string) => results.filter((r) => r.status === status).length;
  return {
    tests: results.length,
    passes: count('success'),
    failures: count('fail'),
    skips: count('skip'),
    xfails: count('xfail'),
    uxsuccesses: count('uxsuccess'),
    incomplete: count('incomplete'),
    parseErrors,
  };
}

/** A GET whose body is not decoded (fetch would undo the gzip). */
function rawGet(
  url: string,
  headers: Record<string, string>,
  method = 'GET',
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}> {
  return new Promise((resolve, reject) => {
    request(url, { headers, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe.each(backends)('run uploads and downloads on $name', (backend) => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startServer(backend, { GATEWATCH_MAX_UPLOAD: String(MAX_UPLOAD) });
    token = (await createToken(server.app.services.db, 'ci-uploads')).secret;
  });

  async function upload(
    body: Uint8Array | AsyncIterable<Uint8Array>,
    query: Record<string, string> = {},
    headers: Record<string, string> = { authorization: `Bearer ${token}` },
  ): Promise<{ status: number; body: Summary & ErrorBody }> {
    const url = new URL('/api/runs', server.url);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const response = await fetch(url, { method: 'POST', body, headers, duplex: 'half' });
    return { status: response.status, body: (await response.json()) as Summary & ErrorBody };
  }

  /** What a failed upload must leave untouched. */
  async function storedState() {
    const knex = server.app.services.db.knex;
    const count = async (table: string) => Number((await knex(table).count({ n: '*' }))[0]!.n);
    const sum = async (table: string) => Number((await knex(table).sum({ n: 'runs' }))[0]!.n ?? 0);
    return {
      runs: await count('runs'),
      results: await count('test_results'),
      artifacts: await count('artifacts'),
      chunks: await count('artifact_chunks'),
      metadata: await count('run_metadata'),
      testRuns: await sum('tests'),
      testDailyRuns: await sum('test_daily'),
      jobDailyRuns: await sum('job_daily'),
    };
  }

  async function runOf(id: string) {
    const { body } = await server.query<{
      run: {
        id: string;
        buildName: string | null;
        tests: number;
        passes: number;
        failures: number;
        artifactsUrl: string | null;
        metadata: { key: string; value: string }[];
        artifacts: {
          id: string;
          name: string;
          url: string;
          sha256: string;
          size: number;
          storedSize: number;
        }[];
      } | null;
    }>(
      `query ($id: ID!) { run(id: $id) { id buildName tests passes failures artifactsUrl
        metadata { key value } artifacts { id name url sha256 size storedSize } } }`,
      { id },
    );
    expect(body.errors).toBeUndefined();
    return body.data!.run;
  }

  it('stores an upload with a token and answers its summary', async () => {
    const bytes = fixture('stestr-failure.subunit');
    const { status, body } = await upload(
      bytes,
      {
        build_name: 'upload-job',
        project: 'openstack/nova',
        artifacts: 'https://logs.example.org/1/check/upload-job/',
      },
      {
        authorization: `Bearer ${token}`,
        'content-disposition': 'attachment; filename="a.subunit"',
      },
    );
    expect(status).toBe(201);
    expect(Object.keys(body)).toEqual([
      'run',
      'tests',
      'passes',
      'failures',
      'skips',
      'xfails',
      'uxsuccesses',
      'incomplete',
      'parseErrors',
      'duplicate',
    ]);
    expect(body).toMatchObject({ ...countsOf(bytes), duplicate: false });
    if (oracleAvailable) {
      const report = oracle(fixturePath('stestr-failure.subunit'));
      expect(body.tests).toBe(report.rows.length);
      expect(body.failures).toBe(report.counts.fail ?? 0);
    }
    const run = await runOf(body.run);
    expect(run).toMatchObject({
      id: body.run,
      buildName: 'upload-job',
      tests: body.tests,
      passes: body.passes,
      failures: body.failures,
      artifactsUrl: 'https://logs.example.org/1/check/upload-job/',
    });
    expect(run!.metadata).toEqual([
      { key: 'build_name', value: 'upload-job' },
      { key: 'project', value: 'openstack/nova' },
    ]);
    expect(run!.artifacts.map((a) => a.name)).toEqual(['a.subunit']);

    const listed = await server.query<{ runs: { nodes: { id: string }[] } }>(
      `{ runs(filter: { job: "upload-job" }) { nodes { id } } }`,
    );
    expect(listed.body.data!.runs.nodes).toEqual([{ id: body.run }]);

    const again = await upload(bytes, {
      build_name: 'upload-job',
      project: 'openstack/nova',
      artifacts: 'https://logs.example.org/1/check/upload-job/',
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...body, duplicate: true });
  });

  it('records when a token was last used', async () => {
    const { listTokens } = await import('../../server/tokens/token.service.js');
    const before = Date.now();
    const { secret } = await createToken(server.app.services.db, 'ci-used');
    expect(
      (await listTokens(server.app.services.db)).find((t) => t.name === 'ci-used')!.lastUsedAt,
    ).toBeNull();
    const { status } = await upload(
      fixture('stestr-all_skips.subunit'),
      {},
      {
        authorization: `Bearer ${secret}`,
      },
    );
    expect(status).toBe(201);
    const used = (await listTokens(server.app.services.db)).find((t) => t.name === 'ci-used')!;
    expect(used.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
  });

  it('takes gzip streams and reads them as the plain stream', async () => {
    const plain = fixture('sample-last.subunit');
    const gz = fixture('sample-last.subunit.gz');
    const first = await upload(plain, { build_name: 'gz-job' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject(countsOf(plain));
    // The same stream, gzip or not, with the same metadata is the same run.
    const same = await upload(gz, { build_name: 'gz-job' });
    expect(same.status).toBe(200);
    expect(same.body).toEqual({ ...first.body, duplicate: true });
    const other = await upload(gz, { build_name: 'gz-job', attempt: '2' });
    expect(other.status).toBe(201);
    expect(other.body).toEqual({ ...first.body, run: other.body.run });
  });

  it('refuses uploads without a live token and stores nothing', async () => {
    const revoked = await createToken(server.app.services.db, 'ci-revoked');
    await revokeToken(server.app.services.db, 'ci-revoked');
    const before = await storedState();
    const bytes = fixture('stestr-successful.subunit');
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer gw_not-a-token' },
      { authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` },
      { authorization: `Bearer ${revoked.secret}` },
    ]) {
      const { status, body } = await upload(bytes, { build_name: 'anonymous' }, headers);
      expect(status).toBe(401);
      expect(body.error.code).toBe('UNAUTHENTICATED');
      expect(body.error.message).toMatch(/token/);
    }
    expect(await storedState()).toEqual(before);
  });

  it('refuses an upload over the limit at once when it declares its size', async () => {
    const before = await storedState();
    const bytes = fixture('sample-large-attachment.subunit');
    expect(bytes.length).toBeGreaterThan(MAX_UPLOAD);
    const { status, body } = await upload(bytes, { build_name: 'too-large' });
    expect(status).toBe(413);
    expect(body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(body.error.message).toContain(String(MAX_UPLOAD));
    expect(await storedState()).toEqual(before);
  });

  it('aborts a chunked upload that grows over the limit and stores nothing of it', async () => {
    const before = await storedState();
    const bytes = fixture('sample-large-attachment.subunit');
    let sent = 0;
    // No Content-Length: the server learns the size only while it parses and stores.
    async function* chunked() {
      for (let at = 0; at < bytes.length; at += 16 * 1024) {
        const chunk = bytes.subarray(at, at + 16 * 1024);
        sent += chunk.length;
        yield chunk;
      }
    }
    const { status, body } = await upload(Readable.from(chunked()), { build_name: 'too-large' });
    expect(status).toBe(413);
    expect(body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(sent).toBeGreaterThan(MAX_UPLOAD);
    expect(await storedState()).toEqual(before);
    // The server is fine afterwards.
    const next = await upload(fixture('stackviz-tempest.subunit'), { build_name: 'after-413' });
    expect(next.status).toBe(201);
  });

  it('answers NOT_SUBUNIT with the parser message and stores nothing', async () => {
    const before = await storedState();
    const text = Buffer.from('just some text\nwith lines\n'.repeat(100));
    const notSubunit = await upload(text, { build_name: 'junk' });
    expect(notSubunit.status).toBe(400);
    expect(notSubunit.body.error.code).toBe('NOT_SUBUNIT');
    expect(notSubunit.body.error.message).toMatch(/upload: not a subunit stream .* 2600 bytes/);
    const empty = await upload(Buffer.alloc(0), { build_name: 'junk' });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toEqual({
      code: 'NOT_SUBUNIT',
      message: 'upload: the stream is empty',
    });
    const gz = gzipSync(fixture('stestr-failure.subunit'));
    gz[Math.floor(gz.length / 2)]! ^= 0x55;
    const corrupt = await upload(gz, { build_name: 'junk' });
    expect(corrupt.status).toBe(400);
    expect(corrupt.body.error.code).toBe('NOT_SUBUNIT');
    expect(corrupt.body.error.message).toMatch(/the gzip data is corrupt/);
    expect(await storedState()).toEqual(before);
  });

  it('refuses bad metadata and artifacts URLs, naming them', async () => {
    const before = await storedState();
    const bytes = fixture('stackviz-tempest.subunit');
    const longJob = await upload(bytes, { build_name: 'j'.repeat(256) });
    expect(longJob.status).toBe(400);
    expect(longJob.body.error).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'metadata value of "build_name" is 256 characters; at most 255',
    });
    const badUrl = await upload(bytes, { artifacts: 'ftp://logs.example.org/' });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.error.message).toMatch(/artifacts "ftp:\/\/logs.example.org\/"/);
    const twice = await fetch(`${server.url}/api/runs?project=a&project=b`, {
      method: 'POST',
      body: bytes,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as ErrorBody).error.message).toMatch(/"project" is given twice/);
    expect(await storedState()).toEqual(before);
  });

  it('exports a run as a subunit v2 stream with the same results', async () => {
    for (const name of ['stestr-failure.subunit', 'sample-retry.subunit']) {
      const original = fixture(name);
      const { body: summary } = await upload(original, { export: name });
      const response = await fetch(`${server.url}/api/runs/${summary.run}/subunit`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/vnd.subunit');
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename="${summary.run}.subunit"`,
      );
      const exported = Buffer.from(await response.arrayBuffer());
      const back = parse(exported);
      expect(back.parseErrors).toBe(0);
      expect(back.results.map(resultKey).sort()).toEqual(
        parse(original).results.map(resultKey).sort(),
      );
      expect(summary).toEqual({ ...countsOf(exported), run: summary.run, duplicate: false });
      if (oracleAvailable) {
        const path = join(scratch, `export-${backend.name}-${name}`);
        writeFileSync(path, exported);
        expect(oracle(path).rows.map(rowKey).sort()).toEqual(
          oracle(fixturePath(name)).rows.map(rowKey).sort(),
        );
      }
    }
  });

  it('exports mean durations with ?average=1 and 404s an unknown run', async () => {
    const { body: summary } = await upload(fixture('stestr-successful.subunit'), {
      average: 'yes',
    });
    const response = await fetch(
      `${server.url}/api/runs/${summary.run.slice(0, 8)}/subunit?average=1`,
    );
    expect(response.status).toBe(200);
    const { results } = parse(Buffer.from(await response.arrayBuffer()));
    expect(results).toHaveLength(summary.tests);
    // Each success lasts its test's mean successful duration over every stored run.
    const means = new Map(
      (
        (await server.app.services.db
          .knex('tests')
          .select('test_id', 'successes', 'success_us')) as {
          test_id: string;
          successes: number;
          success_us: number;
        }[]
      ).map((t) => [t.test_id, Math.round(Number(t.success_us) / t.successes)]),
    );
    const successes = results.filter((r) => r.status === 'success');
    expect(successes.length).toBe(summary.passes);
    for (const r of successes) expect(r.stopUs! - r.startUs!).toBe(means.get(r.testId));
    const unknown = await fetch(`${server.url}/api/runs/ffffffff-0000/subunit`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorBody).error).toEqual({
      code: 'NOT_FOUND',
      message: 'no run with id ffffffff-0000',
    });
    const malformed = await fetch(`${server.url}/api/runs/zz/subunit`);
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as ErrorBody).error.code).toBe('BAD_USER_INPUT');
  });

  it('serves an artifact as stored, gzip or decoded, equal to the original bytes', async () => {
    let first: string | undefined;
    for (const name of ['stestr-all_skips.subunit', 'sample-last.subunit.gz']) {
      const original = fixture(name);
      const { body: summary } = await upload(original, { blob: name });
      first ??= summary.run;
      const run = await runOf(summary.run);
      const [artifact] = run!.artifacts;
      const url = `${server.url}${artifact!.url}`;

      const gz = await rawGet(url, { 'accept-encoding': 'gzip, deflate' });
      expect(gz.status).toBe(200);
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers['content-type']).toBe('application/vnd.subunit');
      expect(gz.headers['content-length']).toBe(String(artifact!.storedSize));
      expect(gz.headers.etag).toBe(`"${artifact!.sha256}"`);
      expect(gz.body.length).toBe(artifact!.storedSize);
      const plain = name.endsWith('.gz') ? gunzipSync(original) : original;
      // A gzip upload is kept as it came; a plain one is compressed for storage.
      if (name.endsWith('.gz')) expect(gz.body.equals(original)).toBe(true);
      expect(gunzipSync(gz.body).equals(plain)).toBe(true);

      for (const headers of [{ 'accept-encoding': 'identity' }, {} as Record<string, string>]) {
        const decoded = await rawGet(url, headers);
        expect(decoded.status).toBe(200);
        expect(decoded.headers['content-encoding']).toBeUndefined();
        expect(decoded.headers['content-length']).toBe(String(artifact!.size));
        expect(decoded.body.equals(plain)).toBe(true);
      }

      const cached = await rawGet(url, {
        'accept-encoding': 'gzip',
        'if-none-match': `"${artifact!.sha256}"`,
      });
      expect(cached.status).toBe(304);
      expect(cached.body.length).toBe(0);
    }
    const head = await rawGet(
      `${server.url}${(await runOf(first!))!.artifacts[0]!.url}`,
      {},
      'HEAD',
    );
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(fixture('stestr-all_skips.subunit').length));
    expect(head.body.length).toBe(0);
    const unknown = await rawGet(`${server.url}/blob/999999`, {});
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body.toString())).toEqual({
      error: { code: 'NOT_FOUND', message: 'no artifact with id 999999' },
    });
  });

  it('streams an artifact stored in several chunks', async () => {
    // Random bytes do not compress: 5 MiB of them make several stored chunks.
    const attachment = randomBytes(5 << 20);
    const at = { seconds: 1_700_000_000, nanos: 0 };
    const stream = Buffer.concat([
      ...encodeEvent({ testId: 'big.test', status: 'inprogress', timestamp: at, runnable: true }),
      ...encodeEvent({
        testId: 'big.test',
        status: 'none',
        mime: 'application/octet-stream',
        file: { name: 'blob', bytes: attachment, eof: true },
        runnable: true,
      }),
      ...encodeEvent({ testId: 'big.test', status: 'success', timestamp: at, runnable: true }),
    ]);
    const { run } = await server.app.services.ingest.ingest({
      name: 'big.subunit',
      source: Readable.from([stream]),
    });
    const { artifacts } = (await runOf(run))!;
    const [row] = await server.app.services.db
      .knex('artifact_chunks')
      .where('artifact_id', Number(artifacts[0]!.id))
      .count({ chunks: '*' });
    expect(Number(row!.chunks)).toBeGreaterThan(1);
    const url = `${server.url}${artifacts[0]!.url}`;
    const gz = await rawGet(url, { 'accept-encoding': 'gzip' });
    expect(gz.body.length).toBe(artifacts[0]!.storedSize);
    expect(gunzipSync(gz.body).equals(stream)).toBe(true);
    const decoded = await rawGet(url, {});
    expect(decoded.body.equals(stream)).toBe(true);
  });
});
