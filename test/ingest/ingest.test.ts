/**
 * The ingest service on each backend, through the real worker pool: one transaction per run,
 * idempotence, aggregates and daily rollups, concurrent ingests of runs that share tests.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/orm.js';
import { ingestRun } from '../../server/ingest/ingest.js';
import { createParserPool, type ParserPool } from '../../server/ingest/pool.js';
import { backends } from '../helpers/databases.js';

const fixture = (name: string) => new URL(`../fixtures/subunit/${name}`, import.meta.url).pathname;
const dstatFixture = (name: string) =>
  new URL(`../fixtures/dstat/${name}`, import.meta.url).pathname;

/** A source that delivers part of a file, then fails as a dropped upload would. */
async function* failingAfter(path: string, bytes: number): AsyncIterable<Uint8Array> {
  const data = readFileSync(path);
  for (let at = 0; at < bytes; at += 1000) yield data.subarray(at, Math.min(bytes, at + 1000));
  throw new Error('connection reset by peer');
}

describe.each(backends)('ingest on $name', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let db: Database;
  let pool: ParserPool;
  beforeAll(async () => {
    handle = await backend.create();
    db = await openDatabase(handle.target);
    // Small batches so even the fixtures span several transactions' worth of batches.
    pool = createParserPool({ threads: 2, batchResults: 10 });
  });
  afterAll(async () => {
    await pool?.close();
    await db?.close();
    await handle?.drop();
  });

  const count = async (table: string) => Number((await db.knex(table).count({ n: '*' }))[0]!.n);
  const tableCounts = async () =>
    Object.fromEntries(
      await Promise.all(
        [
          'runs',
          'test_results',
          'attachments',
          'artifacts',
          'artifact_chunks',
          'run_metadata',
          'test_daily',
          'job_daily',
        ].map(async (t) => [t, await count(t)] as const),
      ),
    );

  it('stores a run with its results, attachments, metadata and gzip artifact', async () => {
    const summary = await ingestRun(db, pool, {
      name: 'stestr-failure.subunit',
      source: createReadStream(fixture('stestr-failure.subunit')),
      metadata: { build_name: 'tempest-full', project: 'openstack/nova' },
      artifactsUrl: 'https://logs.example.org/run/1/',
    });
    expect(summary).toMatchObject({ tests: 63, passes: 62, failures: 1, duplicate: false });
    const run = await db.knex('runs').where({ uuid: summary.run }).first();
    expect(run).toMatchObject({
      build_name: 'tempest-full',
      tests: 63,
      passes: 62,
      failures: 1,
      workers: 16,
    });
    expect(Number(run.wall_time)).toBeGreaterThan(0);
    const artifact = await db.knex('artifacts').where({ run_id: run.id }).first();
    const chunks = await db
      .knex('artifact_chunks')
      .where({ artifact_id: artifact.id })
      .orderBy('seq');
    const { gunzipSync } = await import('node:zlib');
    const restored = gunzipSync(
      Buffer.concat(chunks.map((c: { data: Buffer }) => Buffer.from(c.data))),
    );
    expect(restored.equals(readFileSync(fixture('stestr-failure.subunit')))).toBe(true);
    expect(Number(artifact.size)).toBe(restored.length);
    const traceback = await db
      .knex('attachments')
      .join('test_results', function () {
        this.on('test_results.run_id', 'attachments.run_id').andOn(
          'test_results.seq',
          'attachments.result_seq',
        );
      })
      .where({
        'attachments.run_id': run.id,
        'attachments.name': 'traceback',
        'test_results.status': 'fail',
      })
      .first();
    expect(Buffer.from(traceback.content).toString()).toMatch(/Traceback/);
  });

  it('rolls back everything when the input fails midway, leaving stored runs intact', async () => {
    const before = await tableCounts();
    const testsBefore = await db.knex('tests').orderBy('id');
    await expect(
      ingestRun(db, pool, {
        name: 'upload',
        source: failingAfter(fixture('stestr-failure.subunit'), 20_000),
        metadata: { build_name: 'tempest-full' },
      }),
    ).rejects.toThrow(/connection reset by peer/);
    expect(await tableCounts()).toEqual(before);
    const testsAfter = await db.knex('tests').orderBy('id');
    // MariaDB may keep new catalogue ids (registered outside the run's transaction), never counts.
    expect(testsAfter.filter((t: { runs: number }) => t.runs > 0)).toEqual(
      testsBefore.filter((t: { runs: number }) => t.runs > 0),
    );
  });

  it('is idempotent: the same stream and metadata give the same run', async () => {
    const input = () => ({
      name: 'stestr-successful.subunit',
      source: createReadStream(fixture('stestr-successful.subunit')),
      metadata: { build_name: 'unit' },
    });
    const first = await ingestRun(db, pool, input());
    const before = await tableCounts();
    const again = await ingestRun(db, pool, input());
    expect(again).toEqual({ ...first, duplicate: true });
    expect(await tableCounts()).toEqual(before);
  });

  it('maintains test aggregates and daily rollups per test and per job', async () => {
    const day = async (uuid: string) => {
      const run = await db.knex('runs').where({ uuid }).first();
      return { run, day: new Date(run.run_at).toISOString().slice(0, 10) };
    };
    const a = await ingestRun(db, pool, {
      name: 'a',
      source: createReadStream(fixture('stestr-successful.subunit')),
      metadata: { build_name: 'rollup-job', n: '1' },
    });
    const b = await ingestRun(db, pool, {
      name: 'b',
      source: createReadStream(fixture('stestr-successful.subunit')),
      metadata: { build_name: 'rollup-job', n: '2' },
    });
    const { run } = await day(a.run);
    const dates = new Set([(await day(a.run)).day, (await day(b.run)).day]);
    expect(dates.size).toBe(1);
    const [theDay] = [...dates];
    const job = await db.knex('job_daily').where({ build_name: 'rollup-job' });
    expect(job).toHaveLength(1);
    expect(job[0]).toMatchObject({ runs: 2, passed_runs: 2, failed_runs: 0, skipped_runs: 0 });
    expect(Number(job[0].wall_us)).toBe(2 * Math.round(Number(run.wall_time) * 1e6));
    // Per test: the rollup of this job equals what the results say.
    const fromResults = await db
      .knex('test_results')
      .join('runs', 'runs.id', 'test_results.run_id')
      .where('runs.build_name', 'rollup-job')
      .groupBy('test_results.test_id')
      .select('test_results.test_id')
      .count({ runs: '*' })
      .sum({
        us: db.knex.raw("case when status = 'success' then round(duration * 1000000) else 0 end"),
      });
    const rollup = await db.knex('test_daily').where({ build_name: 'rollup-job', day: theDay });
    expect(rollup).toHaveLength(fromResults.length);
    type Rollup = { test_id: number; runs: number; success_us: number };
    const byTest = new Map((rollup as Rollup[]).map((r) => [r.test_id, r]));
    for (const row of fromResults as { test_id: number; runs: number; us: number }[]) {
      const r = byTest.get(row.test_id)!;
      expect(r.runs).toBe(Number(row.runs));
      expect(Number(r.success_us)).toBe(Number(row.us));
    }
    // Test aggregates count every run of every job.
    const sample = rollup[0] as { test_id: number };
    const test = await db.knex('tests').where({ id: sample.test_id }).first();
    const all = await db.knex('test_results').where({ test_id: sample.test_id }).count({ n: '*' });
    expect(test.runs).toBe(Number(all[0]!.n));
  });

  it('ingests runs sharing new tests in parallel without deadlocks or lost counts', async () => {
    const files = [
      'sample-last.subunit',
      'sample-direct.subunit',
      'sample-last.subunit',
      'sample-direct.subunit',
    ];
    const summaries = await Promise.all(
      files.map((name, i) =>
        ingestRun(db, pool, {
          name,
          source: createReadStream(fixture(name)),
          metadata: { parallel: String(i) },
        }),
      ),
    );
    expect(new Set(summaries.map((s) => s.run)).size).toBe(4);
    const mismatched = await db
      .knex('tests')
      .leftJoin(
        db.knex('test_results').select('test_id').count({ n: '*' }).groupBy('test_id').as('r'),
        'r.test_id',
        'tests.id',
      )
      .whereRaw('tests.runs <> coalesce(r.n, 0)')
      .select('tests.test_id');
    expect(mismatched).toEqual([]);
  });

  it('stores dstat series with the run, and keeps the run when the dstat file is bad', async () => {
    const good = await ingestRun(db, pool, {
      name: 'with-dstat',
      source: createReadStream(fixture('stackviz-tempest.subunit')),
      metadata: { dstat: 'good' },
      dstat: {
        name: 'dstat.csv',
        source: createReadStream(dstatFixture('dstat-0.8.0-debian.csv')),
      },
    });
    // Recorded years after this stream ran: stored, with a warning that says so.
    expect(good.warnings).toEqual([
      expect.stringMatching(/^dstat dstat\.csv: its samples .* do not overlap the run's tests/),
    ]);
    const run = await db.knex('runs').where({ uuid: good.run }).first();
    const dstat = await db.knex('dstats').where({ run_id: run.id }).first();
    expect(dstat.samples).toBeGreaterThan(0);
    const series = await db.knex('dstat_series').where({ dstat_id: dstat.id }).pluck('key');
    expect(series).toContain('total_cpu_usage_usr');
    expect(await db.knex('artifacts').where({ run_id: run.id }).pluck('kind')).toEqual([
      'subunit',
      'dstat',
    ]);

    const bad = await ingestRun(db, pool, {
      name: 'bad-dstat',
      source: createReadStream(fixture('stackviz-tempest.subunit')),
      metadata: { dstat: 'bad' },
      dstat: { name: 'junk.csv', source: createReadStream(fixture('stackviz-tempest.subunit')) },
    });
    expect(bad.warnings).toHaveLength(1);
    expect(bad.warnings[0]).toMatch(/^dstat junk\.csv: /);
    const badRun = await db.knex('runs').where({ uuid: bad.run }).first();
    expect(await db.knex('dstats').where({ run_id: badRun.id })).toEqual([]);
  });
});
