/**
 * The API benchmark's database: RUNS runs × TESTS tests, written straight into the tables
 * (ingesting 1,000 streams would take longer than the benchmark itself) with the rollups the
 * ingest path maintains, computed here from the same generated results. Deterministic: the
 * same seed gives the same database, so figures compare across runs of the benchmark.
 */
import { randomUUID } from 'node:crypto';
import { createBulkWriter } from '../server/db/bulk.js';
import type { Database } from '../server/db/orm.js';
import { timeParam } from '../server/db/sql.js';
import { hashTestId } from '../server/db/test-key.js';

export interface DataShape {
  runs: number;
  tests: number;
  /** The runs span this many days, ending at `end`. */
  days: number;
  end: Date;
}

export const JOBS = [
  'tempest-full-py3',
  'nova-live-migration',
  'neutron-tempest-plugin-api',
  'grenade',
  'openstack-tox-py311',
];
export const PROJECTS = [
  'openstack/nova',
  'openstack/neutron',
  'openstack/cinder',
  'openstack/glance',
  'openstack/keystone',
  'openstack/swift',
  'openstack/ironic',
  'openstack/tempest',
];
const WORKERS = 4;
const TRACEBACK = Buffer.from(
  'Traceback (most recent call last):\n  File "tempest/api/compute/base.py", line 321, in wait\n' +
    '    raise lib_exc.TimeoutException(message)\ntempest.lib.exceptions.TimeoutException: ' +
    'Request timed out\nDetails: (ServersTest:test_reboot) Server failed to reach ACTIVE status\n',
);

/** A seeded generator (mulberry32): same data on every machine. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export function testIdOf(i: number): string {
  const area = ['compute', 'network', 'volume', 'image', 'identity', 'object_storage'][i % 6];
  return `tempest.api.${area}.test_module_${Math.floor(i / 50)}.Test${i % 50}Case.test_case_${i}`;
}

interface Sums {
  runs: number;
  successes: number;
  failures: number;
  skips: number;
  /** Microseconds, as the rollups count them. */
  time: number;
}

/** Fills an empty, migrated database; calls `progress` with the runs written so far. */
export async function generate(
  db: Database,
  shape: DataShape,
  progress: (runs: number) => void,
): Promise<void> {
  const rand = random(20261122);
  const testIds = Array.from({ length: shape.tests }, (_, i) => testIdOf(i));
  await db.knex.transaction(async (trx) => {
    const bulk = await createBulkWriter(db.dialect, trx);
    await bulk.insert(
      'tests',
      ['id', 'test_id', 'hash', 'runs', 'successes', 'failures', 'skips', 'success_us'],
      testIds.map((id, i) => [i + 1, id, hashTestId(id), 0, 0, 0, 0, 0]),
    );
  });
  const meanDuration = testIds.map(() => 0.05 + rand() * rand() * 20);
  const flaky = testIds.map((_, i) => (i % 97 === 0 ? 0.15 : i % 13 === 0 ? 0.01 : 0.0005));
  const perTest: Sums[] = testIds.map(() => ({
    runs: 0,
    successes: 0,
    failures: 0,
    skips: 0,
    time: 0,
  }));
  const daily = new Map<string, Sums>();
  const jobDaily = new Map<
    string,
    { runs: number; passed: number; failed: number; wall: number }
  >();
  const spanMs = shape.days * 86_400_000;
  const startMs = shape.end.getTime() - spanMs;
  const RUNS_PER_TRANSACTION = 10;

  for (let first = 0; first < shape.runs; first += RUNS_PER_TRANSACTION) {
    await db.knex.transaction(async (trx) => {
      const bulk = await createBulkWriter(db.dialect, trx);
      for (let r = first; r < Math.min(shape.runs, first + RUNS_PER_TRANSACTION); r++) {
        const runAt = Math.floor(startMs + ((r + rand() * 0.5) / shape.runs) * spanMs);
        const job = JOBS[r % JOBS.length]!;
        const project = PROJECTS[Math.floor(r / JOBS.length) % PROJECTS.length]!;
        const day = new Date(runAt).toISOString().slice(0, 10);
        const workerClock = Array.from({ length: WORKERS }, () => runAt * 1000);
        const results: unknown[][] = [];
        const tracebacks: unknown[][] = [];
        const counts = { passes: 0, failures: 0, skips: 0 };
        let summed = 0;
        for (let t = 0; t < shape.tests; t++) {
          const worker = t % WORKERS;
          const skipped = t % 33 === 0;
          const failed = !skipped && rand() < flaky[t]!;
          const duration = skipped ? 0 : meanDuration[t]! * (0.6 + rand() * 0.8);
          const startUs = workerClock[worker]!;
          const stopUs = startUs + Math.round(duration * 1e6);
          workerClock[worker] = stopUs + 1000;
          const status = skipped ? 'skip' : failed ? 'fail' : 'success';
          results.push([
            r + 1,
            t + 1,
            t,
            status,
            startUs,
            stopUs,
            duration,
            worker,
            null,
            `worker-${worker}`,
            '',
          ]);
          if (failed)
            tracebacks.push([
              r + 1,
              t,
              'traceback',
              'text/plain;charset=utf8',
              TRACEBACK.length,
              TRACEBACK,
            ]);
          summed += duration;
          const sums = perTest[t]!;
          const key = `${t + 1}\u0000${job}\u0000${day}`;
          let d = daily.get(key);
          if (!d) daily.set(key, (d = { runs: 0, successes: 0, failures: 0, skips: 0, time: 0 }));
          for (const s of [sums, d]) {
            s.runs++;
            if (status === 'success') {
              s.successes++;
              s.time += Math.round(duration * 1e6);
            } else if (status === 'fail') s.failures++;
            else s.skips++;
          }
          counts[status === 'success' ? 'passes' : status === 'fail' ? 'failures' : 'skips']++;
        }
        const stopUs = Math.max(...workerClock);
        const wall = (stopUs - runAt * 1000) / 1e6;
        await bulk.insert(
          'runs',
          [
            'id',
            'uuid',
            'run_at',
            'ingested_at',
            'build_name',
            'format',
            'tests',
            'passes',
            'failures',
            'skips',
            'xfails',
            'uxsuccesses',
            'incomplete',
            'parse_errors',
            'workers',
            'wall_time',
            'summed_time',
            'start_us',
            'stop_us',
            'artifacts_url',
            'digest',
          ],
          [
            [
              r + 1,
              randomUUID(),
              timeParam(db.dialect, new Date(runAt)),
              timeParam(db.dialect, new Date(runAt + wall * 1000)),
              job,
              'v2',
              shape.tests,
              counts.passes,
              counts.failures,
              counts.skips,
              0,
              0,
              0,
              0,
              WORKERS,
              wall,
              summed,
              runAt * 1000,
              stopUs,
              `https://logs.example.org/${r + 1}/`,
              null,
            ],
          ],
        );
        // knex quotes `key`, a reserved word in MySQL.
        await trx('run_metadata').insert([
          { run_id: r + 1, key: 'build_name', value: job },
          { run_id: r + 1, key: 'project', value: project },
          { run_id: r + 1, key: 'build_branch', value: r % 5 === 0 ? 'stable/2026.1' : 'master' },
        ]);
        await bulk.insert(
          'test_results',
          [
            'run_id',
            'test_id',
            'seq',
            'status',
            'start_us',
            'stop_us',
            'duration',
            'worker',
            'route_code',
            'tags',
            'attrs',
          ],
          results,
        );
        await bulk.insert(
          'attachments',
          ['run_id', 'result_seq', 'name', 'mime', 'size', 'content'],
          tracebacks,
        );
        const jd = jobDaily.get(`${job}\u0000${day}`) ?? { runs: 0, passed: 0, failed: 0, wall: 0 };
        jd.runs++;
        if (counts.failures > 0) jd.failed++;
        else jd.passed++;
        jd.wall += Math.round(wall * 1e6);
        jobDaily.set(`${job}\u0000${day}`, jd);
      }
    });
    progress(Math.min(shape.runs, first + RUNS_PER_TRANSACTION));
  }

  await db.knex.transaction(async (trx) => {
    const bulk = await createBulkWriter(db.dialect, trx);
    const counters = ['runs', 'successes', 'failures', 'skips', 'success_us'];
    await bulk.addTo(
      'tests',
      ['id', 'hash', 'test_id', ...counters],
      ['id'],
      counters,
      perTest.map((s, i) => [
        i + 1,
        hashTestId(testIds[i]!),
        testIds[i]!,
        s.runs,
        s.successes,
        s.failures,
        s.skips,
        s.time,
      ]),
      { rowsExist: true },
    );
    await bulk.insert(
      'test_daily',
      ['test_id', 'build_name', 'day', ...counters],
      [...daily].map(([key, s]) => [
        ...key.split('\u0000').map((v, i) => (i === 0 ? Number(v) : v)),
        s.runs,
        s.successes,
        s.failures,
        s.skips,
        s.time,
      ]),
    );
    await bulk.insert(
      'job_daily',
      ['build_name', 'day', 'runs', 'passed_runs', 'failed_runs', 'skipped_runs', 'wall_us'],
      [...jobDaily].map(([key, j]) => [
        ...key.split('\u0000'),
        j.runs,
        j.passed,
        j.failed,
        0,
        j.wall,
      ]),
    );
  });
}
