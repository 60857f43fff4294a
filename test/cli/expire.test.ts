/**
 * `gatewatch expire`: old (or named) runs go with all they own, and what remains is exactly
 * what a fresh ingest of the remaining runs stores; bad arguments remove nothing.
 */
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteRun } from '../../server/runs/run-delete.js';
import { runCli } from '../../server/program.js';
import { gatewatch } from '../helpers/cli.js';
import { backends } from '../helpers/databases.js';
import {
  close,
  DAY,
  intakes,
  NOW,
  owned,
  runAtOf,
  storeAll,
  sums,
  type Stored,
} from '../helpers/expiry-runs.js';

describe.each(backends)('gatewatch expire on $name', (backend) => {
  let full: Stored;
  let kept: number[];
  let fresh: Stored;

  beforeAll(async () => {
    full = await storeAll(backend, intakes());
    const cutoff = NOW.getTime() - 186 * DAY;
    kept = [];
    for (const [i, uuid] of full.runs.entries()) {
      if ((await runAtOf(full.runtime.services.db, uuid)).getTime() >= cutoff) kept.push(i);
    }
    // Both sides of the cutoff are there, or the test would prove nothing.
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(full.runs.length);
    fresh = await storeAll(
      backend,
      intakes().filter((_, i) => kept.includes(i)),
    );
  });
  afterAll(async () => {
    await close(full);
    await close(fresh);
  });

  const db = () => full.runtime.services.db;
  const cli = (...args: string[]) => gatewatch(['expire', '--db', full.handle.url, ...args]);

  it('refuses bad arguments with exit 2 and removes nothing', async () => {
    const before = { rows: await owned(db()), sums: await sums(db()) };
    const cases: [string[], string][] = [
      [['--older-than', '0'], '--older-than 0: an age of 0 would remove everything'],
      [['--older-than', 'abc'], '--older-than abc: not a duration'],
      [['--older-than', '0d'], '--older-than 0d: not a duration'],
      [[], 'give either --older-than AGE (186d) or --run ID…'],
      [['--older-than', '186d', '--run', full.runs[0]!], 'not both and not neither'],
      [['--run', full.runs[0]!, '--run', '00000000-dead'], '--run 00000000-dead: no run with id'],
      [['--run', 'not-a-run'], '"not-a-run" is not a run id'],
    ];
    for (const [args, message] of cases) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.out).toBe('');
    }
    expect(await owned(db())).toEqual(before.rows);
    expect(await sums(db())).toEqual(before.sums);
  });

  it('--dry-run lists what would go and removes nothing', async () => {
    const before = await owned(db());
    const text = await cli('--older-than', '186d', '--dry-run');
    expect(text.code).toBe(0);
    const gone = full.runs.filter((_, i) => !kept.includes(i));
    for (const uuid of gone) expect(text.out).toContain(uuid);
    for (const i of kept) expect(text.out).not.toContain(full.runs[i]);
    expect(text.out).toContain(`${gone.length} runs (`);
    expect(text.out).toContain('would be removed (dry run: nothing was)');
    const json = await cli('--older-than', '186d', '--dry-run', '--json');
    expect(JSON.parse(json.out)).toMatchObject({ dryRun: true, runs: gone.length });
    expect(new Set(JSON.parse(json.out).ids)).toEqual(new Set(gone));
    expect(await owned(db())).toEqual(before);
  });

  it('removes the old runs with all they own; the rollups equal a fresh ingest of the rest', async () => {
    const gone = full.runs.filter((_, i) => !kept.includes(i));
    const result = await cli('--older-than', '186d', '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.out);
    expect(summary).toMatchObject({ dryRun: false, runs: gone.length });
    expect(summary.results).toBeGreaterThan(0);
    expect(await owned(db())).toEqual(await owned(fresh.runtime.services.db));
    expect(await sums(db())).toEqual(await sums(fresh.runtime.services.db));
    // Nothing is left to expire: a second time removes nothing.
    const again = await cli('--older-than', '186d');
    expect(again.code).toBe(0);
    expect(again.out).toBe('gatewatch expire: 0 runs (0 test results) older than 186d removed\n');
  });

  it('shows its progress on a terminal and clears it at the end', async () => {
    const [uuid] = kept.map((i) => full.runs[i]!);
    const out = new PassThrough();
    const err = Object.assign(new PassThrough(), { isTTY: true });
    const chunks: Buffer[] = [];
    err.on('data', (chunk: Buffer) => chunks.push(chunk));
    out.resume();
    const args = ['expire', '--db', full.handle.url, '--run', uuid!];
    const code = await runCli(args, {
      stdin: Readable.from([]),
      stdout: out,
      stderr: err,
      env: {},
    });
    expect(code).toBe(0);
    const stderr = Buffer.concat(chunks).toString();
    // Drawn once, then erased (carriage return, erase to the line's end).
    expect(stderr).toMatch(/^\rexpiring: 1\/1 runs \(100 %\), \d+ test results\r/);
    expect(stderr.endsWith('\r\u001b[K')).toBe(true);
    kept = kept.filter((i) => full.runs[i] !== uuid);
    await deleteRun(
      fresh.runtime.services.db,
      Number((await fresh.runtime.services.db.knex('runs').orderBy('id').first('id')).id),
    );
    expect(await sums(db())).toEqual(await sums(fresh.runtime.services.db));
  });

  it('--run removes the named runs (uuid or prefix) and nothing else', async () => {
    const [first, second, ...rest] = kept.map((i) => full.runs[i]!);
    const result = await cli('--run', first!, '--run', second!.slice(0, 8));
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^gatewatch expire: 2 runs \(\d+ test results\) removed\n$/);
    const left = await db().knex('runs').pluck('uuid');
    expect(new Set(left)).toEqual(new Set(rest));
    // The fresh database without the same two runs: the same rollups.
    const freshDb = fresh.runtime.services.db;
    const freshIds = await freshDb.knex('runs').orderBy('id').pluck('id');
    for (const id of freshIds.slice(0, 2)) expect(await deleteRun(freshDb, Number(id))).toBe(true);
    expect(await sums(db())).toEqual(await sums(freshDb));
  });
});
