/**
 * The `gatewatch` command end to end, as built by `npm test`: ingest, show and export on each
 * backend, checked against what python-subunit reads from the same files.
 */
import { readFileSync, writeFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/databases.js';
import { gatewatch, ingestLines, type IngestLine } from '../helpers/cli.js';
import { sqliteMigrations } from '../../server/db/migrations/sqlite/index.js';
import {
  oracle,
  oracleAvailable,
  rowKey,
  subunitStats,
  type OracleReport,
} from '../helpers/oracle.js';

const FIXTURES = new URL('../fixtures/subunit/', import.meta.url).pathname;
const fixture = (name: string) => join(FIXTURES, name);
const scratch = mkdtempSync(join(tmpdir(), 'gatewatch-cli-'));

/** Every v2 fixture, plain and gzip. */
const v2Fixtures = readdirSync(FIXTURES).filter(
  (f) => /\.subunit(\.gz)?$/.test(f) && !f.includes('.v1.'),
);
const v1Fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.v1.subunit'));

function oracleOf(name: string): OracleReport {
  let path = fixture(name);
  if (name.endsWith('.gz')) {
    path = join(scratch, name.replace(/\.gz$/, ''));
    writeFileSync(path, gunzipSync(readFileSync(fixture(name))));
  }
  return oracle(path, { v1: name.includes('.v1.') });
}

function expectCountsMatch(line: IngestLine, report: OracleReport): void {
  const c = report.counts;
  expect(line).toMatchObject({
    tests: report.rows.length,
    passes: c.success ?? 0,
    failures: c.fail ?? 0,
    skips: c.skip ?? 0,
    xfails: c.xfail ?? 0,
    uxsuccesses: c.uxsuccess ?? 0,
    incomplete: c.incomplete ?? 0,
    parseErrors: report.parser_errors,
  });
}

describe.skipIf(!oracleAvailable).each(backends)('gatewatch CLI on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.create>>;
  beforeAll(async () => {
    db = await backend.create();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('migrates an empty database and reports it up to date', async () => {
    const first = await gatewatch(['migrate', '--db', db.url]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toContain(`up to date (${sqliteMigrations.length} migrations)`);
  });

  it('ingests every fixture in parallel with the counts python-subunit reads', async () => {
    const result = await gatewatch([
      'ingest',
      '--db',
      db.url,
      '--json',
      '--meta',
      'build_name=fixtures',
      ...v2Fixtures.map(fixture),
      ...v1Fixtures.map(fixture),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = ingestLines(result);
    expect(lines).toHaveLength(v2Fixtures.length + v1Fixtures.length);
    // --json lines come in completion order; identify each by its counts' source via show.
    for (const line of lines) {
      expect(Object.keys(line)).toEqual([
        'input',
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
    }
    // sample-last.subunit.gz holds the same stream as sample-last.subunit: stored once.
    expect(lines.filter((line) => line.duplicate)).toHaveLength(1);
    expect(new Set(lines.map((line) => line.run)).size).toBe(lines.length - 1);
    const runOf = await runsByInput(db.url);
    const byFile = new Map(lines.filter((l) => !l.duplicate).map((l) => [runOf.get(l.run)!, l]));
    for (const name of [...v2Fixtures, ...v1Fixtures]) {
      // Stored under the file's base name, not the path it was given as.
      const line = byFile.get(name) ?? byFile.get(name.replace(/\.gz$/, ''));
      expectCountsMatch(line!, oracleOf(name));
      expect(lines.find((l) => l.input === fixture(name))).toBeDefined();
    }
  });

  it('reports the existing run when the same stream and metadata come again', async () => {
    const args = [
      'ingest',
      '--db',
      db.url,
      '--json',
      '--meta',
      'build_name=dup',
      fixture('stestr-failure.subunit'),
    ];
    const [first] = ingestLines(await gatewatch(args));
    const again = await gatewatch(args);
    expect(again.code).toBe(0);
    const [second] = ingestLines(again);
    expect(second).toEqual({ ...first, duplicate: true });
    const other = ingestLines(
      await gatewatch([
        ...args.slice(0, -1),
        '--meta',
        'project=other',
        fixture('stestr-failure.subunit'),
      ]),
    );
    expect(other[0]!.run).not.toBe(first!.run);
    expect(other[0]!.duplicate).toBe(false);
  });

  it('reads stdin and gzip like a file', async () => {
    const plain = readFileSync(fixture('sample-last.subunit'));
    const viaStdin = await gatewatch(
      ['ingest', '--db', db.url, '--json', '--meta', 'via=stdin', '-'],
      {
        stdin: plain,
      },
    );
    expect(viaStdin.stderr).toBe('');
    expectCountsMatch(ingestLines(viaStdin)[0]!, oracleOf('sample-last.subunit'));
    const gz = await gatewatch([
      'ingest',
      '--db',
      db.url,
      '--json',
      '--meta',
      'via=gz',
      fixture('sample-last.subunit.gz'),
    ]);
    expectCountsMatch(ingestLines(gz)[0]!, oracleOf('sample-last.subunit'));
  });

  it('exports a run that python-subunit reads back as the same results', async () => {
    for (const name of ['stestr-failure.subunit', 'sample-last.subunit', 'sample-retry.subunit']) {
      const [line] = ingestLines(
        await gatewatch(['ingest', '--db', db.url, '--json', '--meta', 'export=1', fixture(name)]),
      );
      const exported = await gatewatch(['export', '--db', db.url, line!.run]);
      expect(exported.stderr).toBe('');
      expect(exported.code).toBe(0);
      const path = join(scratch, `export-${backend.name}-${name}`);
      writeFileSync(path, exported.stdout);
      const original = oracleOf(name);
      const back = oracle(path);
      expect(back.rows.map(rowKey).sort()).toEqual(original.rows.map(rowKey).sort());
      expect(back.parser_errors).toBe(0);
      // Attachments come back under their names.
      expect(back.rows.map((r) => `${r.id} ${r.attachments.join(',')}`).sort()).toEqual(
        original.rows.map((r) => `${r.id} ${r.attachments.join(',')}`).sort(),
      );
      expect(subunitStats(exported.stdout)).toEqual(subunitStats(readFileSync(fixture(name))));
    }
  });

  it('exports mean durations with --average', async () => {
    const [line] = ingestLines(
      await gatewatch([
        'ingest',
        '--db',
        db.url,
        '--json',
        '--meta',
        'average=1',
        fixture('stestr-successful.subunit'),
      ]),
    );
    const exported = await gatewatch(['export', '--db', db.url, line!.run, '--average']);
    const path = join(scratch, `average-${backend.name}.subunit`);
    writeFileSync(path, exported.stdout);
    const original = oracleOf('stestr-successful.subunit');
    const back = oracle(path);
    expect(back.rows).toHaveLength(original.rows.length);
    // Every test of this stream also ran in the earlier ingests: means differ from a single run's.
    const durations = (r: OracleReport) =>
      new Map(r.rows.map((row) => [row.id, (row.stop ?? 0) - (row.start ?? 0)]));
    const before = durations(original);
    const after = durations(back);
    const shown = JSON.parse(
      (await gatewatch(['show', '--db', db.url, '--json', line!.run])).out,
    ) as {
      tests: number;
    };
    expect(shown.tests).toBe(original.rows.length);
    for (const [id, duration] of after) {
      expect(before.has(id)).toBe(true);
      expect(duration).toBeGreaterThanOrEqual(0);
    }
  });

  it('shows a summary with metadata, failures and their last traceback line', async () => {
    const [line] = ingestLines(
      await gatewatch([
        'ingest',
        '--db',
        db.url,
        '--json',
        '--meta',
        'build_name=show-job',
        '--meta',
        'project=openstack/nova',
        '--artifacts',
        'https://logs.example.org/12/3412/1/check/show-job/abc1234/',
        fixture('stestr-failure.subunit'),
      ]),
    );
    const shown = await gatewatch(['show', '--db', db.url, '--json', line!.run.slice(0, 8)]);
    expect(shown.code).toBe(0);
    const summary = JSON.parse(shown.out);
    expect(summary.metadata).toEqual({ build_name: 'show-job', project: 'openstack/nova' });
    expect(summary.counts.failures).toBe(1);
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0].lastLine).toMatch(/Error|assert|Exception/i);
    expect(summary.workers).toBe(16);
    expect(summary.slowest.length).toBeGreaterThan(0);
    const text = await gatewatch(['show', '--db', db.url, line!.run]);
    expect(text.out).toContain('show-job');
    expect(text.out).toContain(summary.failures[0].testId);
  });

  it('names the problem and stores nothing for inputs that are not subunit', async () => {
    const empty = join(scratch, 'empty.subunit');
    writeFileSync(empty, '');
    const text = join(scratch, 'notes.txt');
    writeFileSync(text, 'just some text\nwith lines\n'.repeat(100));
    const before = await runCount(db.url);
    const missing = await gatewatch(['ingest', '--db', db.url, join(scratch, 'missing.subunit')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*missing\.subunit: ENOENT/);
    const both = await gatewatch(['ingest', '--db', db.url, '--json', empty, text]);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/empty\.subunit: the stream is empty/);
    expect(both.stderr).toMatch(/notes\.txt: not a subunit stream/);
    const gz = gzipSync(readFileSync(fixture('stestr-failure.subunit')));
    gz[Math.floor(gz.length / 2)]! ^= 0x55;
    const corrupt = join(scratch, 'corrupt.subunit.gz');
    writeFileSync(corrupt, gz);
    const damagedGzip = await gatewatch(['ingest', '--db', db.url, corrupt]);
    expect(damagedGzip.code).toBe(1);
    expect(damagedGzip.stderr).toMatch(/corrupt\.subunit\.gz: the gzip data is corrupt/);
    expect(await runCount(db.url)).toBe(before);
  });

  it('keeps the valid tests of a damaged stream and counts its bad packets', async () => {
    const original = readFileSync(fixture('stestr-failure.subunit'));
    const damaged = Buffer.from(original);
    damaged[Math.floor(damaged.length / 2)]! ^= 0xff;
    const path = join(scratch, 'damaged.subunit');
    writeFileSync(path, damaged);
    const result = await gatewatch(['ingest', '--db', db.url, '--json', path]);
    expect(result.code).toBe(0);
    const [line] = ingestLines(result);
    expect(line!.parseErrors).toBeGreaterThan(0);
    expectCountsMatch(line!, oracle(path));
  });

  it('stores what it can when some inputs fail, and names the others', async () => {
    const before = await runCount(db.url);
    const result = await gatewatch([
      'ingest',
      '--db',
      db.url,
      '--json',
      '--meta',
      'partial=1',
      fixture('stackviz-tempest.subunit'),
      join(scratch, 'nope.subunit'),
    ]);
    // For a CI script: not everything was stored.
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot read .*nope\.subunit: ENOENT/);
    expect(result.stderr).toContain(
      `stored 1 of 2 inputs (${fixture('stackviz-tempest.subunit')}); not stored: ${join(scratch, 'nope.subunit')}`,
    );
    // One line per input, in the order they finish.
    const lines = result.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { input: string });
    expect(lines).toHaveLength(2);
    const stored = lines.find((l) => l.input === fixture('stackviz-tempest.subunit'));
    const failed = lines.find((l) => l.input === join(scratch, 'nope.subunit'));
    expect(stored).toMatchObject({ input: fixture('stackviz-tempest.subunit'), duplicate: false });
    expect(failed).toEqual({
      input: join(scratch, 'nope.subunit'),
      error: {
        code: 'INPUT_UNREADABLE',
        message: expect.stringMatching(/^cannot read .*nope\.subunit: ENOENT/),
      },
    });
    expect(await runCount(db.url)).toBe(before + 1);
  });

  it('refuses bad arguments with a message naming them', async () => {
    const badDb = await gatewatch([
      'ingest',
      '--db',
      'postgres://x/y',
      fixture('stackviz-tempest.subunit'),
    ]);
    expect(badDb.code).toBe(2);
    expect(badDb.stderr).toBe(
      'gatewatch ingest: --db postgres://x/y: not a database URL: expected sqlite:PATH, ' +
        'sqlite::memory: or mysql://user:pass@host:port/db\n',
    );
    const badMeta = await gatewatch([
      'ingest',
      '--db',
      db.url,
      '--meta',
      'novalue',
      fixture('stackviz-tempest.subunit'),
    ]);
    expect(badMeta.code).toBe(2);
    expect(badMeta.stderr).toMatch(/--meta "novalue": expected key=value/);
    const longJob = await gatewatch([
      'ingest',
      '--db',
      db.url,
      '--meta',
      `build_name=${'j'.repeat(256)}`,
      fixture('stackviz-tempest.subunit'),
    ]);
    expect(longJob.code).toBe(2);
    expect(longJob.stderr).toMatch(/metadata value of "build_name" is 256 characters; at most 255/);
    const refused = await gatewatch([
      'show',
      '--db',
      'mysql://root:secret@127.0.0.1:1/nowhere',
      '00000000',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /cannot open mysql:\/\/root@127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/,
    );
    expect(refused.stderr).not.toContain('secret');
    const unknownRun = await gatewatch(['show', '--db', db.url, '00000000-0000']);
    expect(unknownRun.code).toBe(1);
    expect(unknownRun.stderr).toMatch(/no run with id 00000000-0000/);
  });
});

/** Which input each run came from: the name its subunit artifact was stored under. */
async function runsByInput(url: string): Promise<Map<string, string>> {
  const { openDatabase } = await import('../../server/db/orm.js');
  const { parseDbUrl } = await import('../../server/config/config.js');
  const db = await openDatabase(parseDbUrl(url));
  try {
    const rows = await db
      .knex('runs')
      .join('artifacts', 'artifacts.run_id', 'runs.id')
      .where('artifacts.kind', 'subunit')
      .select('runs.uuid', 'artifacts.name');
    return new Map(rows.map((row: { uuid: string; name: string }) => [row.uuid, row.name]));
  } finally {
    await db.close();
  }
}

async function runCount(url: string): Promise<number> {
  const { openDatabase } = await import('../../server/db/orm.js');
  const { parseDbUrl } = await import('../../server/config/config.js');
  const db = await openDatabase(parseDbUrl(url));
  try {
    const [row] = await db.knex('runs').count({ n: '*' });
    return Number(row!.n);
  } finally {
    await db.close();
  }
}
