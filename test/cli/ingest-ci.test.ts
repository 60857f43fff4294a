/**
 * `gatewatch ingest` as a CI script drives it: the exit status and `--json` lines of partial
 * failures, pipes (`mkfifo`, `<(…)`), refused metadata, the dstat file checked first and
 * checked against the run, artifacts named by their base name. Needs no python-subunit.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewatch, ingestLines, MAIN } from '../helpers/cli.js';
import { backends } from '../helpers/databases.js';
import { streamOf } from '../helpers/made-runs.js';
import { FIXTURES } from '../helpers/server.js';

const fixture = (name: string) => join(FIXTURES, 'subunit', name);
const dstatFixture = (name: string) => join(FIXTURES, 'dstat', name);
const scratch = mkdtempSync(join(tmpdir(), 'gatewatch-ingest-ci-'));

/** A named pipe made by `mkfifo`, in a folder of its own. */
function fifo(name: string): string {
  const path = join(mkdtempSync(join(scratch, 'fifo-')), name);
  const made = spawnSync('mkfifo', [path]);
  expect(made.status).toBe(0);
  return path;
}

interface ShownRun {
  run: string;
  metadata: Record<string, string>;
  artifacts: { kind: string; name: string }[];
}

describe.each(backends)('gatewatch ingest for CI scripts on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.create>>;
  const ingest = (args: string[], stdin?: Buffer) =>
    gatewatch(['ingest', '--db', db.url, ...args], { stdin });
  const show = async (run: string) =>
    JSON.parse((await gatewatch(['show', '--db', db.url, '--json', run])).out) as ShownRun;
  const runCount = async () =>
    (JSON.parse((await gatewatch(['runs', '--db', db.url, '--json', '-n', '500'])).out) as [])
      .length;

  beforeAll(async () => {
    db = await backend.create();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('exits 1 when an input is not stored, naming each input in --json and on stderr', async () => {
    const missing = join(scratch, 'missing.subunit');
    const notes = join(scratch, 'notes.txt');
    writeFileSync(notes, 'just some text\n'.repeat(20));
    const good = fixture('stestr-failure.subunit');
    const result = await ingest(['--json', '--meta', 'ci=partial', good, missing, notes]);
    expect(result.code).toBe(1);
    const lines = result.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { input: string; run?: string; error?: unknown });
    expect(lines.map((line) => line.input).sort()).toEqual([good, missing, notes].sort());
    expect(lines.find((line) => line.input === missing)).toEqual({
      input: missing,
      error: {
        code: 'INPUT_UNREADABLE',
        message: expect.stringMatching(/^cannot read .*missing\.subunit: ENOENT/),
      },
    });
    expect(lines.find((line) => line.input === notes)!.error).toEqual({
      code: 'NOT_SUBUNIT',
      message: expect.stringMatching(/^not a subunit stream/),
    });
    expect(lines.find((line) => line.input === good)).toMatchObject({ tests: 63, failures: 1 });
    expect(result.stderr).toMatch(/missing\.subunit: cannot read .*ENOENT/);
    expect(result.stderr).toMatch(
      /stored 1 of 3 inputs \(.*stestr-failure\.subunit\); not stored: .*missing\.subunit, .*notes\.txt\n$/,
    );
    // Every input stored: status 0, and nothing said on stderr.
    const all = await ingest(['--meta', 'ci=all', good]);
    expect(all).toMatchObject({ code: 0, stderr: '' });
  });

  it('reads named pipes: mkfifo and <(…)', async () => {
    const pipe = fifo('stream.fifo');
    const bytes = readFileSync(fixture('stestr-successful.subunit'));
    const [result] = await Promise.all([
      ingest(['--json', '--meta', 'via=fifo', pipe]),
      pipeline(Readable.from([bytes]), createWriteStream(pipe)),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [line] = ingestLines(result);
    expect(line).toMatchObject({ input: pipe, tests: 21, skips: 1 });
    expect((await show(line!.run)).artifacts).toMatchObject([
      { kind: 'subunit', name: 'stream.fifo' },
    ]);

    // A process substitution, as a shell makes it: /dev/fd/N, a pipe.
    const substituted = await new Promise<{ code: number | null; out: string; err: string }>(
      (resolve, reject) => {
        const script = `"$0" "$1" ingest --db "$2" --json --meta via=substitution <(cat "$3")`;
        const child = spawn(
          'bash',
          ['-c', script, process.execPath, MAIN, db.url, fixture('stackviz-tempest.subunit')],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, out, err }));
      },
    );
    expect(substituted).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(substituted.out)).toMatchObject({
      input: expect.stringMatching(/^\/dev\/fd\/\d+$/),
      tests: 1,
    });
  });

  it('refuses an empty build_name, a key given twice and a key with spaces', async () => {
    const before = await runCount();
    const cases: [string[], string][] = [
      [
        ['--meta', 'build_name='],
        'gatewatch ingest: metadata build_name is empty: it names the job; leave it out for a run of no job\n',
      ],
      [
        ['--meta', 'build_name=a', '--meta', 'build_name=b'],
        'gatewatch ingest: --meta build_name is given twice ("a" and "b"): give it once\n',
      ],
      [
        ['--meta', 'build name=a'],
        'gatewatch ingest: metadata key "build name" has white space: keys are single words (build_name)\n',
      ],
    ];
    for (const [args, message] of cases) {
      // stdin is never read: the arguments are refused first.
      const result = await ingest(
        [...args, '-'],
        readFileSync(fixture('stackviz-tempest.subunit')),
      );
      expect({ args, code: result.code, stderr: result.stderr, out: result.out }).toEqual({
        args,
        code: 2,
        stderr: message,
        out: '',
      });
    }
    expect(await runCount()).toBe(before);
  });

  it('refuses a --dstat file that does not exist before reading any input', async () => {
    // Nothing ever writes to this pipe: opening it to read would wait forever.
    const never = fifo('never.fifo');
    const missing = join(scratch, 'dstat-missing.csv');
    const result = await ingest(['--dstat', missing, never]);
    expect(result).toMatchObject({
      code: 1,
      stderr: `gatewatch ingest: cannot read ${missing}: ENOENT: no such file or directory, stat '${missing}'\n`,
    });
  });

  it('warns when the dstat recording does not overlap the run, and stores both', async () => {
    const dstat = dstatFixture('dstat-0.8.0-epoch.csv');
    // The recording: 2026-11-22 14:25:05.5 to 14:25:07.5 UTC.
    const inside = join(scratch, 'inside.subunit');
    writeFileSync(
      inside,
      streamOf({
        at: new Date('2026-11-22T14:25:06Z'),
        metadata: {},
        results: [['dstat.test_inside', 'success', 1]],
      }),
    );
    const outside = join(scratch, 'outside.subunit');
    writeFileSync(
      outside,
      streamOf({
        at: new Date('2026-11-01T08:00:00Z'),
        metadata: {},
        results: [['dstat.test_outside', 'success', 1]],
      }),
    );
    const overlapping = await ingest(['--json', '--dstat', dstat, inside]);
    expect(overlapping).toMatchObject({ code: 0, stderr: '' });
    const apart = await ingest(['--json', '--dstat', dstat, outside]);
    expect(apart.code).toBe(0);
    expect(apart.stderr).toBe(
      `gatewatch ingest: ${outside}: dstat ${dstat}: its samples (2026-11-22T14:25:05.502Z → ` +
        "2026-11-22T14:25:07.502Z) do not overlap the run's tests (2026-11-01T08:00:00.000Z → " +
        "2026-11-01T08:00:01.000Z): is it this run's recording? (stored all the same)\n",
    );
    const shown = await show(ingestLines(apart)[0]!.run);
    expect(shown.artifacts.map((a) => [a.kind, a.name])).toEqual([
      ['subunit', 'outside.subunit'],
      ['dstat', 'dstat-0.8.0-epoch.csv'],
    ]);
  });

  it('names stored files by their base name, never the local path', async () => {
    const [fromPath] = ingestLines(
      await ingest(['--json', '--meta', 'names=path', fixture('sample-retry.subunit')]),
    );
    expect((await show(fromPath!.run)).artifacts.map((a) => a.name)).toEqual([
      'sample-retry.subunit',
    ]);
    const [fromStdin] = ingestLines(
      await ingest(
        ['--json', '--meta', 'names=stdin', '-'],
        readFileSync(fixture('sample-retry.subunit')),
      ),
    );
    expect(fromStdin!.input).toBe('-');
    expect((await show(fromStdin!.run)).artifacts.map((a) => a.name)).toEqual(['stdin.subunit']);
  });
});
