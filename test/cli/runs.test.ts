/**
 * Finding and reading runs from the terminal, as `stestr last`, `stestr failing` and
 * `stestr history list` do: `gatewatch runs`, `show last`, `failing` and `export … | head`,
 * each through the built command in a child process, on each backend.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewatch, ingestLines, MAIN } from '../helpers/cli.js';
import { backends } from '../helpers/databases.js';
import { streamOf, type MadeRun } from '../helpers/made-runs.js';
import { FIXTURES } from '../helpers/server.js';

const scratch = mkdtempSync(join(tmpdir(), 'gatewatch-runs-'));
const traceback = Array.from({ length: 20 }, (_, i) => `  line ${i + 1}`)
  .concat(['AssertionError: 1 != 2'])
  .join('\n');

/** Oldest first: two runs of tempest-full (one on a change), then one of unit. */
const MADE: (MadeRun & { name: string })[] = [
  {
    name: 'first',
    at: new Date('2026-11-01T10:00:00Z'),
    metadata: { build_name: 'tempest-full', build_change: '100', build_patchset: '2' },
    results: [
      ['t.a.test_one', 'success', 1],
      ['t.a.test_two', 'fail', 2, traceback],
    ],
  },
  {
    name: 'second',
    at: new Date('2026-11-02T11:30:00Z'),
    metadata: { build_name: 'tempest-full' },
    results: [
      ['t.a.test_one', 'success', 1],
      ['t.a.test_two', 'success', 1],
      ['t.a.test_three', 'skip', 0],
    ],
  },
  {
    name: 'third',
    at: new Date('2026-11-03T12:00:00Z'),
    metadata: { build_name: 'unit' },
    results: [
      ['u.test_x', 'fail', 1, 'Traceback (most recent call last):\nValueError: x'],
      ['u.test_y', 'uxsuccess', 1],
      ['u.test_z', 'success', 1],
    ],
  },
];

interface ListedRun {
  id: string;
  runAt: string;
  job: string | null;
  change: number | null;
  patchset: number | null;
  status: string;
  tests: number;
  passes: number;
  failures: number;
  skips: number;
  uxsuccesses: number;
}

describe.each(backends)('gatewatch runs, show last and failing on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.create>>;
  /** Run uuids by made-run name. */
  const ids = new Map<string, string>();
  const run = (args: string[]) => gatewatch([...args, '--db', db.url]);

  beforeAll(async () => {
    db = await backend.create();
    for (const made of MADE) {
      const path = join(scratch, `${backend.name}-${made.name}.subunit`);
      writeFileSync(path, streamOf(made));
      const meta = Object.entries(made.metadata).flatMap(([k, v]) => ['--meta', `${k}=${v}`]);
      const result = await run(['ingest', '--json', ...meta, path]);
      expect(result.stderr).toBe('');
      ids.set(made.name, ingestLines(result)[0]!.run);
    }
  });
  afterAll(async () => {
    await db.drop();
  });

  it('lists runs newest first: id, UTC time, job, change, counts, status', async () => {
    const listed = await run(['runs']);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    const [header, ...rows] = listed.out.trimEnd().split('\n');
    expect(header!.split(/\s{2,}/)).toEqual([
      'ID',
      'TIME (UTC)',
      'JOB',
      'CHANGE',
      'TESTS',
      'PASS',
      'FAIL',
      'SKIP',
      'STATUS',
    ]);
    expect(rows.map((row) => row.trim().split(/\s{2,}/))).toEqual([
      [
        ids.get('third')!.slice(0, 8),
        '2026-11-03 12:00:00',
        'unit',
        '-',
        '3',
        '1',
        '2',
        '0',
        'failed',
      ],
      [
        ids.get('second')!.slice(0, 8),
        '2026-11-02 11:30:00',
        'tempest-full',
        '-',
        '3',
        '2',
        '0',
        '1',
        'passed',
      ],
      [
        ids.get('first')!.slice(0, 8),
        '2026-11-01 10:00:00',
        'tempest-full',
        '100,2',
        '2',
        '1',
        '1',
        '0',
        'failed',
      ],
    ]);
  });

  it('filters by job, status and time, limits the count, and prints JSON', async () => {
    const listedIds = async (args: string[]) =>
      (JSON.parse((await run(['runs', '--json', ...args])).out) as ListedRun[]).map((r) => r.id);
    expect(await listedIds(['--job', 'tempest-full'])).toEqual([
      ids.get('second'),
      ids.get('first'),
    ]);
    expect(await listedIds(['--failed'])).toEqual([ids.get('third'), ids.get('first')]);
    expect(await listedIds(['--since', '2026-11-02'])).toEqual([
      ids.get('third'),
      ids.get('second'),
    ]);
    // 11:30 UTC, the second run's time: at or after includes it.
    expect(await listedIds(['--since', '2026-11-02T13:30+02:00'])).toEqual([
      ids.get('third'),
      ids.get('second'),
    ]);
    expect(await listedIds(['--since', '2026-11-02T12:00'])).toEqual([ids.get('third')]);
    expect(await listedIds(['-n', '1'])).toEqual([ids.get('third')]);
    expect(await listedIds(['--job', 'tempest-full', '--failed', '--limit', '5'])).toEqual([
      ids.get('first'),
    ]);
    const [first] = JSON.parse(
      (await run(['runs', '--json', '--failed', '--job', 'tempest-full'])).out,
    ) as ListedRun[];
    expect(first).toMatchObject({
      runAt: '2026-11-01T10:00:00.000Z',
      job: 'tempest-full',
      change: 100,
      patchset: 2,
      status: 'failed',
      tests: 2,
      passes: 1,
      failures: 1,
      skips: 0,
    });
    const none = await run(['runs', '--job', 'nope']);
    expect(none).toMatchObject({ code: 0, out: 'no run matches\n' });
  });

  it('refuses a bad count or time, naming it', async () => {
    for (const [args, message] of [
      [['-n', '0'], 'gatewatch runs: -n 0: expected a count 1…500\n'],
      [['-n', 'many'], 'gatewatch runs: -n many: expected a count 1…500\n'],
      [
        ['--since', '2026-02-31'],
        'gatewatch runs: --since 2026-02-31: expected a UTC date (2026-12-01), time (2026-12-01T08:00) or age (12h, 7d, 2w)\n',
      ],
      [
        ['--since', 'yesterday'],
        'gatewatch runs: --since yesterday: expected a UTC date (2026-12-01), time (2026-12-01T08:00) or age (12h, 7d, 2w)\n',
      ],
    ] as const) {
      expect(await run(['runs', ...args])).toMatchObject({ code: 2, stderr: message, out: '' });
    }
  });

  it('shows the last run, and the last run of a job', async () => {
    const last = JSON.parse((await run(['show', 'last', '--json'])).out) as { run: string };
    expect(last.run).toBe(ids.get('third'));
    const ofJob = await run(['show', 'last', '--job', 'tempest-full']);
    expect(ofJob.code).toBe(0);
    expect(ofJob.out).toContain(`run        ${ids.get('second')}`);
    expect(await run(['show', 'last', '--job', 'nope'])).toMatchObject({
      code: 1,
      stderr: 'gatewatch show: no run of job "nope" is stored\n',
    });
    expect(await run(['show', ids.get('first')!, '--job', 'unit'])).toMatchObject({
      code: 2,
      stderr: 'gatewatch show: --job goes with "last", not with a run id\n',
    });
  });

  it('prints the failed tests of a run with the tail of their tracebacks', async () => {
    const last = await run(['failing']);
    expect(last.code).toBe(0);
    expect(last.out).toContain('FAIL: u.test_x\n');
    expect(last.out).toContain('ValueError: x');
    expect(last.out).toContain('UXSUCCESS: u.test_y\n-');
    expect(last.out).not.toContain('u.test_z');
    expect(last.out).toMatch(new RegExp(`run ${ids.get('third')}: 2 failed tests\\n$`));

    const first = await run(['failing', ids.get('first')!.slice(0, 6), '--lines', '3']);
    expect(first.out).toContain(
      'FAIL: t.a.test_two\n' + '-'.repeat(70) + '\n  line 19\n  line 20\nAssertionError: 1 != 2\n',
    );
    expect(first.out).not.toContain('line 18');

    const passed = await run(['failing', 'last', '--job', 'tempest-full', '--json']);
    expect(JSON.parse(passed.out)).toEqual({ run: ids.get('second'), failed: [] });
    const json = JSON.parse((await run(['failing', '--json', '--lines', '1'])).out) as {
      failed: { testId: string; status: string; traceback: string | null }[];
    };
    expect(json.failed).toEqual([
      { testId: 'u.test_x', status: 'fail', duration: 1, traceback: 'ValueError: x' },
      { testId: 'u.test_y', status: 'uxsuccess', duration: 1, traceback: null },
    ]);
    expect(await run(['failing', '--lines', '0'])).toMatchObject({
      code: 2,
      stderr: 'gatewatch failing: --lines 0: expected a count 1…1000\n',
    });
  });

  it('ends quietly with status 0 when its reader stops early (export | head)', async () => {
    const [big] = ingestLines(
      await run(['ingest', '--json', join(FIXTURES, 'subunit', 'sample-large-attachment.subunit')]),
    );
    // Over a megabyte: far more than a pipe holds, so the writer sees its reader go.
    for (const args of [
      ['export', big!.run],
      ['export', 'last'],
      ['runs', '-n', '500'],
    ]) {
      const cut = await firstBytes([...args, '--db', db.url], 16);
      expect({ args, ...cut }).toEqual({ args, code: 0, stderr: '' });
    }
  });
});

/** `gatewatch ARGS… | head -c BYTES` in a shell: the built command's status and stderr. */
function firstBytes(args: string[], bytes: number): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const script = `"$0" "$@" | head -c ${bytes} >/dev/null; exit "\${PIPESTATUS[0]}"`;
    const shell = spawn('bash', ['-c', script, process.execPath, MAIN, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    shell.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    shell.on('error', reject);
    shell.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}
