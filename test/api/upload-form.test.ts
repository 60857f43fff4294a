/**
 * `POST /api/runs` with a `multipart/form-data` body: the stream and its dstat CSV stored as
 * `gatewatch ingest --dstat` stores them; a form with a missing, doubled, unknown or oversized
 * part is refused with a message naming it, and nothing is stored.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../server/tokens/token.service.js';
import { gatewatch, ingestLines, spawnGatewatch } from '../helpers/cli.js';
import { backends } from '../helpers/databases.js';
import { FIXTURES, startServer, type TestServer } from '../helpers/server.js';

const STREAM = join(FIXTURES, 'subunit', 'sample-last.subunit.gz');
const DSTAT = join(FIXTURES, 'dstat', 'dstat-0.8.0-debian.csv');
const BIG_DSTAT = join(FIXTURES, 'dstat', 'pcp-dstat-5.0.3-pkb.csv');

type Part = [name: string, file: string, filename?: string];

/** A form of the given files (and text fields), as a browser or curl -F sends it. */
function form(parts: Part[], fields: Record<string, string> = {}): FormData {
  const data = new FormData();
  for (const [name, file, filename] of parts) {
    data.append(name, new Blob([readFileSync(file)]), filename ?? file.split('/').pop());
  }
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

const DSTAT_OF = `query ($id: ID!) {
  run(id: $id) { tests dstat { times series { key values } } artifacts { name size } }
}`;

/** An upload's answer: the ingest summary, or an error. */
interface Answer {
  run: string;
  tests: number;
  duplicate: boolean;
  error: { code: string; message: string };
}

interface RunDstat {
  run: {
    tests: number;
    dstat: { times: string[]; series: { key: string; values: number[] }[] } | null;
    artifacts: { name: string; size: number }[];
  };
}

describe.each(backends)('multipart uploads on $name', (backend) => {
  let server: TestServer;
  let token: string;
  const uploadDir = mkdtempSync(join(tmpdir(), 'gatewatch-form-'));

  beforeAll(async () => {
    server = await startServer(backend, {
      GATEWATCH_UPLOAD_DIR: uploadDir,
      GATEWATCH_MAX_UPLOAD_DSTAT: '64KiB',
    });
    token = (await createToken(server.app.services.db, 'ci')).secret;
  });

  const post = async (body: FormData, query = 'build_name=form-job') => {
    const response = await fetch(`${server.url}/api/runs?${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body,
    });
    return { status: response.status, body: (await response.json()) as Answer };
  };
  const runCount = async () =>
    Number((await server.app.services.db.knex('runs').count({ n: '*' }))[0]!.n);

  it('stores the stream with its dstat CSV, as a local ingest --dstat does', async () => {
    const postBoth = () =>
      post(
        form([
          ['stream', STREAM],
          ['dstat', DSTAT],
        ]),
        'build_name=form-job&k=v',
      );
    const uploaded = await postBoth();
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ duplicate: false });
    const local = await server.ingest(
      'subunit/sample-last.subunit.gz',
      { build_name: 'local' },
      'dstat/dstat-0.8.0-debian.csv',
    );
    expect(uploaded.body.tests).toBe(local.tests);
    const of = async (id: string) =>
      (await server.query<RunDstat>(DSTAT_OF, { id })).body.data!.run;
    const [form_, local_] = [await of(uploaded.body.run), await of(local.run)];
    expect(form_.dstat).not.toBeNull();
    expect(form_.dstat).toEqual(local_.dstat);
    // The parts' file names name the stored files.
    expect(form_.artifacts.map((a) => a.name).sort()).toEqual(
      ['dstat-0.8.0-debian.csv', 'sample-last.subunit.gz'].sort(),
    );
    expect(form_.artifacts).toEqual(local_.artifacts);
    const again = await postBoth();
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ run: uploaded.body.run, duplicate: true });
    expect(readdirSync(uploadDir)).toEqual([]);
  });

  it('takes a stream part alone', async () => {
    const { status, body } = await post(
      form([['stream', STREAM, 'alone.subunit.gz']]),
      'build_name=alone',
    );
    expect(status).toBe(201);
    const run = (await server.query<RunDstat>(DSTAT_OF, { id: body.run })).body.data!.run;
    expect(run.dstat).toBeNull();
    expect(run.artifacts.map((a) => a.name)).toEqual(['alone.subunit.gz']);
  });

  it('refuses a missing, doubled, unknown or oversized part, naming it, and stores nothing', async () => {
    const before = await runCount();
    const cases: [FormData, number, string][] = [
      [form([['dstat', DSTAT]]), 400, 'the form has no "stream" part'],
      [
        form([
          ['stream', STREAM],
          ['stream', STREAM],
        ]),
        400,
        'the form has two "stream" parts',
      ],
      [
        form([
          ['stream', STREAM],
          ['dstat', DSTAT],
          ['dstat', DSTAT],
        ]),
        400,
        'two "dstat" parts',
      ],
      [
        form([
          ['stream', STREAM],
          ['logs', DSTAT],
        ]),
        400,
        'the form has a part "logs"',
      ],
      [form([['stream', STREAM]], { build_name: 'x' }), 400, 'a part "build_name"'],
      [
        form([
          ['stream', STREAM],
          ['dstat', BIG_DSTAT],
        ]),
        413,
        'the "dstat" part is larger than',
      ],
    ];
    for (const [body, status, message] of cases) {
      const answer = await post(body, 'build_name=refused');
      expect(answer, message).toMatchObject({ status });
      expect(answer.body.error.message).toContain(message);
    }
    const malformed = await fetch(`${server.url}/api/runs?build_name=refused`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'multipart/form-data; boundary=xyz',
      },
      body: '--xyz\r\nContent-Disposition: form-data; name="stream"; filename="a"\r\n\r\ncut short',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as Answer).error.message).toContain(
      'the multipart body is malformed',
    );
    expect(await runCount()).toBe(before);
    expect(readdirSync(uploadDir)).toEqual([]);
  });

  it('gatewatch ingest --server --dstat sends the form (compiled CLI, and in-process from a pipe)', async () => {
    // `gatewatch ingest --server … --dstat DSTAT` of the job and input.
    const upload = (job: string, input: string) =>
      [
        'ingest',
        '--server',
        server.url,
        '--token',
        token,
        '--json',
        '--meta',
        `build_name=${job}`,
      ].concat(['--dstat', DSTAT, input]);
    const result = await spawnGatewatch(upload('cli-form', STREAM));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [line] = ingestLines(result);
    expect(line).toMatchObject({ input: STREAM, duplicate: false });
    const run = (await server.query<RunDstat>(DSTAT_OF, { id: line!.run })).body.data!.run;
    expect(run.dstat?.times.length).toBeGreaterThan(0);
    // A stream of unknown length (stdin): the form goes chunked.
    const piped = await gatewatch(upload('cli-pipe', '-'), {
      stdin: readFileSync(STREAM),
      env: {},
    });
    expect(piped.stderr).toBe('');
    expect(piped.code).toBe(0);
    const pipedRun = (await server.query<RunDstat>(DSTAT_OF, { id: ingestLines(piped)[0]!.run }))
      .body.data!.run;
    expect(pipedRun.dstat).toEqual(run.dstat);
    expect(pipedRun.artifacts.map((a) => a.name).sort()).toEqual([
      'dstat-0.8.0-debian.csv',
      'stdin.subunit',
    ]);
  });

  it('a form over the whole-body limit is refused with 413 (its Content-Length is known), nothing stored', async () => {
    const small = await startServer(backend, { GATEWATCH_MAX_UPLOAD: '3KiB' });
    const secret = (await createToken(small.app.services.db, 'ci')).secret;
    const args = ['ingest', '--server', small.url, '--token', secret, '--json'];
    // Each file alone fits (2,097 and 1,281 bytes); the form of both does not.
    const refused = await gatewatch([...args, '--dstat', DSTAT, STREAM], { env: {} });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.out).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(refused.stderr).toContain('answered 413');
    expect(Number((await small.app.services.db.knex('runs').count({ n: '*' }))[0]!.n)).toBe(0);
  });
});
