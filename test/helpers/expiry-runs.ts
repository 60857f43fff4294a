/**
 * Runs for the expiry tests: made streams and real fixtures on both sides of 186 days ago,
 * stored through the real ingest, and the figures compared after an expiry.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { loadConfig } from '../../server/config/config.js';
import type { Database } from '../../server/db/orm.js';
import { toDate } from '../../server/db/sql.js';
import { openRuntime, type Runtime } from '../../server/runtime.js';
import type { Backend } from './databases.js';
import { after, streamOf, type MadeRun } from './made-runs.js';
import { rollupsOf } from './rollups.js';
import { FIXTURES } from './server.js';

export const DAY = 86_400_000;
export const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);

/** Runs sharing tests, on both sides of 186 days ago, with tracebacks (attachments). */
function madeRuns(): MadeRun[] {
  const results = (fail: boolean): MadeRun['results'] => [
    ['pkg.tests.test_a.A.test_one', 'success', 1.25],
    [
      'pkg.tests.test_a.A.test_two',
      fail ? 'fail' : 'success',
      0.5,
      fail ? 'Traceback\nBoom' : undefined,
    ],
    ['pkg.tests.test_b.B.test_skip', 'skip', 0],
  ];
  return [
    { at: after(NOW, -400), metadata: { build_name: 'tempest-full' }, results: results(true) },
    { at: after(NOW, -200, 3), metadata: { build_name: 'tempest-full' }, results: results(false) },
    { at: after(NOW, -200, 5), metadata: { build_name: 'other-job' }, results: results(true) },
    { at: after(NOW, -30), metadata: { build_name: 'tempest-full' }, results: results(true) },
    { at: after(NOW, -1), metadata: { build_name: 'tempest-full' }, results: results(false) },
    { at: after(NOW, -2), metadata: { build_name: 'other-job' }, results: results(true) },
  ];
}

/** What each run is made of: a made stream, or a real fixture (with a dstat recording). */
export type Intake = { made: MadeRun } | { fixture: string; dstat?: string };

export function intakes(): Intake[] {
  return [
    ...madeRuns().map((made) => ({ made })),
    // Recorded years ago: older than 186 days.
    { fixture: 'stestr-failure.subunit', dstat: 'dstat/dstat-0.8.0-debian.csv' },
    { fixture: 'stestr-successful.subunit' },
  ];
}

async function store(runtime: Runtime, intake: Intake, i: number): Promise<string> {
  const input =
    'made' in intake
      ? {
          name: `made-${i}.subunit`,
          source: Readable.from([streamOf(intake.made)]),
          metadata: intake.made.metadata,
        }
      : {
          name: intake.fixture,
          source: createReadStream(`${FIXTURES}subunit/${intake.fixture}`),
          metadata: { build_name: 'fixture-job', attempt: String(i) },
          dstat:
            intake.dstat === undefined
              ? undefined
              : { name: intake.dstat, source: createReadStream(`${FIXTURES}${intake.dstat}`) },
        };
  return (await runtime.services.ingest.ingest(input)).run;
}

/** The rollups without the tests' row ids (a fresh database numbers them anew). */
export async function sums(db: Database): Promise<Record<string, string>> {
  const rows = await rollupsOf(db.knex);
  return Object.fromEntries(
    Object.entries(rows).map(([key, value]) => [
      key,
      key.startsWith('tests ') ? JSON.stringify(JSON.parse(value).slice(1)) : value,
    ]),
  );
}

/** Rows each table holds for runs (owned rows, by their run). */
export async function owned(db: Database): Promise<Record<string, number>> {
  const count = async (table: string) => Number((await db.knex(table).count({ n: '*' }))[0]!.n);
  const tables = ['runs', 'test_results', 'attachments', 'artifacts', 'artifact_chunks'];
  const more = ['run_metadata', 'dstats', 'dstat_series'];
  return Object.fromEntries(
    await Promise.all([...tables, ...more].map(async (t) => [t, await count(t)] as const)),
  );
}

export interface Stored {
  handle: Awaited<ReturnType<Backend['create']>>;
  runtime: Runtime;
  /** Run uuids in intake order. */
  runs: string[];
}

export async function storeAll(backend: Backend, which: readonly Intake[]): Promise<Stored> {
  const handle = await backend.create();
  const runtime = await openRuntime(loadConfig({ db: handle.url }, {}));
  const runs: string[] = [];
  for (const [i, intake] of which.entries()) runs.push(await store(runtime, intake, i));
  return { handle, runtime, runs };
}

export async function close(stored: Stored | undefined): Promise<void> {
  await stored?.runtime.stop();
  await stored?.handle.drop();
}

export async function runAtOf(db: Database, uuid: string): Promise<Date> {
  return toDate((await db.knex('runs').where('uuid', uuid).first('run_at')).run_at);
}
