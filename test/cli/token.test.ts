/**
 * `gatewatch token` and `gatewatch ingest --server` end to end: the compiled command (built
 * by `npm test`) against a real server on port 0 sharing the command's database.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gatewatch, ingestLines } from '../helpers/cli.js';
import { backends, dbUrlOf } from '../helpers/databases.js';
import { FIXTURES, startServer, type TestServer } from '../helpers/server.js';

const fixture = (name: string) => join(FIXTURES, 'subunit', name);
const scratch = mkdtempSync(join(tmpdir(), 'gatewatch-token-'));
const MAX_UPLOAD = 512 * 1024;

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

interface ListedToken {
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

describe.each(backends)('gatewatch token and ingest --server on $name', (backend) => {
  let server: TestServer;
  let db: string;
  let token: string;

  beforeAll(async () => {
    server = await startServer(backend, { GATEWATCH_MAX_UPLOAD: String(MAX_UPLOAD) });
    db = dbUrlOf(server.app.services.config.database.target);
  });

  const list = async (): Promise<ListedToken[]> => {
    const listed = await gatewatch(['token', 'list', '--db', db, '--json']);
    expect(listed.code).toBe(0);
    return JSON.parse(listed.out) as ListedToken[];
  };

  it('creates a token, printing it once', async () => {
    const created = await gatewatch(['token', 'create', '--db', db, 'ci-job']);
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^gw_[A-Za-z0-9_-]{43}\n$/);
    expect(created.stderr).toMatch(/created "ci-job".*cannot be shown again/);
    token = created.out.trim();

    const other = await gatewatch(['token', 'create', '--db', db, 'ci.other-job_2']);
    expect(other.out.trim()).not.toBe(token);
    // Only the hash is stored.
    const stored = (await server.app.services.db.knex('tokens').pluck('hash')) as string[];
    expect(stored).not.toContain(token);
    expect(stored).toHaveLength(2);

    const tokens = await list();
    expect(tokens.map((t) => t.name)).toEqual(['ci-job', 'ci.other-job_2']);
    expect(tokens[0]).toMatchObject({ lastUsedAt: null, revokedAt: null });
    const table = await gatewatch(['token', 'list', '--db', db]);
    expect(table.out).toMatch(/^NAME\s+CREATED\s+LAST USED\s+REVOKED\n/);
    expect(table.out).toMatch(/\nci-job\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+never\s+-\n/);
  });

  it('refuses duplicate and malformed names', async () => {
    const duplicate = await gatewatch(['token', 'create', '--db', db, 'ci-job']);
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toMatch(/a token named "ci-job" already exists/);
    expect(duplicate.out).toBe('');
    for (const name of ['has space', 'x'.repeat(65)]) {
      const bad = await gatewatch(['token', 'create', '--db', db, name]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('must be 1 to 64 characters of A-Z a-z 0-9 . _ -');
    }
    const noName = await gatewatch(['token', 'create', '--db', db]);
    expect(noName.code).toBe(2);
    const unknownAction = await gatewatch(['token', 'rotate', '--db', db, 'ci-job']);
    expect(unknownAction.code).toBe(2);
    expect(unknownAction.stderr).toMatch(/^gatewatch token: unknown command 'rotate'/);
  });

  it('uploads with --server and prints what a local ingest prints', async () => {
    const result = await gatewatch([
      'ingest',
      '--server',
      server.url,
      '--token',
      token,
      '--json',
      '--meta',
      'build_name=cli-upload',
      '--artifacts',
      'https://logs.example.org/cli-upload/',
      fixture('stestr-failure.subunit'),
      fixture('sample-last.subunit.gz'),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = ingestLines(result);
    expect(lines).toHaveLength(2);
    const names = ['stestr-failure.subunit', 'sample-last.subunit.gz'];
    for (const [i, line] of lines.entries()) {
      expect(line.input).toBe(fixture(names[i]!));
      const { body } = await server.query<{
        run: {
          tests: number;
          failures: number;
          buildName: string;
          artifactsUrl: string;
          artifacts: { name: string }[];
        } | null;
      }>(
        `query ($id: ID!) { run(id: $id) { tests failures buildName artifactsUrl artifacts { name } } }`,
        { id: line.run },
      );
      expect(body.data!.run).toEqual({
        tests: line.tests,
        failures: line.failures,
        buildName: 'cli-upload',
        artifactsUrl: 'https://logs.example.org/cli-upload/',
        // The file's base name: where it lay on the uploader's machine stays there.
        artifacts: [{ name: names[i] }],
      });
    }
    // The text form, with the token from the environment and the stream on stdin.
    const text = await gatewatch(
      ['ingest', '--server', `${server.url}/`, '--meta', 'build_name=stdin-upload', '-'],
      {
        stdin: readFileSync(fixture('stestr-successful.subunit')),
        env: { GATEWATCH_TOKEN: token },
      },
    );
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(
      /^-: run [0-9a-f-]{36}: \d+ tests \(\d+ passed, 0 failed, \d+ skipped\)\n$/,
    );
    const again = await gatewatch(
      ['ingest', '--server', server.url, '--meta', 'build_name=stdin-upload', '-'],
      {
        stdin: readFileSync(fixture('stestr-successful.subunit')),
        env: { GATEWATCH_TOKEN: token },
      },
    );
    expect(again.out).toContain('-: already stored as run');

    const used = (await list()).find((t) => t.name === 'ci-job')!;
    expect(used.lastUsedAt).not.toBeNull();
  });

  it('names what the server refused, and goes on with the rest', async () => {
    const junk = join(scratch, 'notes.txt');
    writeFileSync(junk, 'just some text\n'.repeat(50));
    // Far over the limit: a client still sending when the 413 comes would see `write EPIPE`.
    const huge = join(scratch, 'huge.subunit');
    writeFileSync(huge, Buffer.alloc(32 * MAX_UPLOAD));
    const refused = await gatewatch([
      'ingest',
      '--server',
      server.url,
      '--token',
      token,
      '--json',
      junk,
      huge,
      fixture('sample-large-attachment.subunit'),
      fixture('stackviz-tempest.subunit'),
    ]);
    // The valid input is still stored; the status says that not all were.
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /notes\.txt: the server at http:\/\/\S+ answered 400: NOT_SUBUNIT: notes\.txt: not a subunit stream/,
    );
    for (const name of ['huge', 'sample-large-attachment']) {
      expect(refused.stderr).toMatch(
        new RegExp(`${name}\\.subunit: .*answered 413: PAYLOAD_TOO_LARGE: .*${MAX_UPLOAD} bytes`),
      );
    }
    expect(refused.stderr).not.toContain('EPIPE');
    expect(refused.stderr).toContain(
      `stored 1 of 4 inputs (${fixture('stackviz-tempest.subunit')}); not stored: ${junk}, ${huge}, ` +
        fixture('sample-large-attachment.subunit'),
    );
    const lines = refused.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.input, line.error?.code ?? 'stored'])).toEqual([
      [junk, 'NOT_SUBUNIT'],
      [huge, 'PAYLOAD_TOO_LARGE'],
      [fixture('sample-large-attachment.subunit'), 'PAYLOAD_TOO_LARGE'],
      [fixture('stackviz-tempest.subunit'), 'stored'],
    ]);

    // The text form says the same.
    const text = await gatewatch(['ingest', '--server', server.url, '--token', token, huge]);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/huge\.subunit: .*answered 413: PAYLOAD_TOO_LARGE/);

    const nowhere = `http://127.0.0.1:${await closedPort()}`;
    const unreachable = await gatewatch([
      'ingest',
      '--server',
      nowhere,
      '--token',
      token,
      fixture('stackviz-tempest.subunit'),
      fixture('stestr-failure.subunit'),
    ]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(
      new RegExp(`cannot reach the gatewatch server at ${nowhere}: .*ECONNREFUSED`),
    );
    // The second input is not tried: it would fail alike.
    expect(unreachable.stderr).toMatch(/stestr-failure\.subunit: not sent: cannot reach/);
    expect(unreachable.stderr).toMatch(/stored 0 of 2 inputs; not stored: /);

    const noToken = await gatewatch(
      ['ingest', '--server', server.url, fixture('stackviz-tempest.subunit')],
      { env: { GATEWATCH_TOKEN: '' } },
    );
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/uploading needs a token: --token TOKEN or \$GATEWATCH_TOKEN/);
  });

  it('refuses --server with --db or a bad URL', async () => {
    const both = await gatewatch([
      'ingest',
      '--server',
      server.url,
      '--db',
      db,
      fixture('stackviz-tempest.subunit'),
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--db and --server exclude each other/);
    const tokenAlone = await gatewatch([
      'ingest',
      '--db',
      db,
      '--token',
      token,
      fixture('stackviz-tempest.subunit'),
    ]);
    expect(tokenAlone.code).toBe(2);
    expect(tokenAlone.stderr).toMatch(/--token goes with --server/);
    const badUrl = await gatewatch([
      'ingest',
      '--server',
      'gatewatch:4000',
      '--token',
      token,
      fixture('stackviz-tempest.subunit'),
    ]);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/^gatewatch ingest: --server gatewatch:4000: not a server URL/);
  });

  it('revokes a token: uploads with it are refused from then on', async () => {
    const revoked = await gatewatch(['token', 'revoke', '--db', db, 'ci-job']);
    expect(revoked.code).toBe(0);
    expect(revoked.out).toBe('revoked token "ci-job"\n');
    const listed = (await list()).find((t) => t.name === 'ci-job')!;
    expect(listed.revokedAt).not.toBeNull();

    const before = await server.app.services.db.knex('runs').count({ n: '*' });
    const refused = await gatewatch([
      'ingest',
      '--server',
      server.url,
      '--token',
      token,
      fixture('stestr-all_skips.subunit'),
      fixture('sample-retry.subunit'),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /stestr-all_skips\.subunit: the server at \S+ answered 401: UNAUTHENTICATED: the token is unknown or revoked\n/,
    );
    expect(refused.stderr).toMatch(/sample-retry\.subunit: not sent: .* answered 401/);
    expect(await server.app.services.db.knex('runs').count({ n: '*' })).toEqual(before);

    const again = await gatewatch(['token', 'revoke', '--db', db, 'ci-job']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/token "ci-job" was already revoked on \d{4}-/);
    const unknown = await gatewatch(['token', 'revoke', '--db', db, 'nobody']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no token named "nobody"/);
    // The name stays taken.
    const reuse = await gatewatch(['token', 'create', '--db', db, 'ci-job']);
    expect(reuse.code).toBe(2);
  });
});
