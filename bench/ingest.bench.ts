/**
 * ingest: a 5,000-test stream stored by `ingestRun` through the worker pool, into SQLite (a
 * temp file) and MariaDB (a fresh database, dropped after). Baselines from the same run: the
 * parse alone (in-process, then through the pool with no storage) and python-subunit's parse.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { parseDbUrl, type DbTarget } from '../server/config/config.js';
import { openDatabase } from '../server/db/orm.js';
import { ingestRun } from '../server/ingest/ingest.js';
import { createParserPool, type ParserPool } from '../server/ingest/pool.js';
import { createSubunitParser } from '../workers/subunit/parser.js';
import type { BenchContext, Benchmark } from './harness.js';
import {
  MB,
  formatBytes,
  formatCount,
  formatRate,
  formatSeconds,
  formatSpread,
  median,
  timeRuns,
} from './measure.js';
import { pythonSubunitParse, pythonSubunitUnavailable } from './python-subunit.js';
import { STESTR_PROFILE, chunksOf, writeStream } from './streams.js';

const TESTS = 5000;
/** Seconds. */
const TARGETS = { sqlite: 0.5, mariadb: 1 } as const;

export const ingest: Benchmark = {
  name: 'ingest',
  summary:
    `${formatCount(TESTS)}-test stream stored by ingestRun via the worker pool ` +
    `(targets: SQLite < ${formatSeconds(TARGETS.sqlite)}, MariaDB < ${formatSeconds(TARGETS.mariadb)})`,
  async run(context) {
    const { report, tmp } = context;
    const runs = context.quick ? 3 : 7;
    const file = join(tmp, 'ingest.subunit');
    const stats = writeStream(file, { ...STESTR_PROFILE, seed: 5000, tests: TESTS });
    report.line(
      `stream: ${formatCount(stats.tests)} tests (${stats.statuses.fail} fail, ` +
        `${stats.statuses.skip} skip), ${formatBytes(stats.bytes)} of which ` +
        `${formatBytes(stats.attachmentBytes)} attachments; ${runs} runs per figure`,
    );

    const pool = createParserPool();
    try {
      report.line();
      report.line('baselines (no storage):');
      const baseline = await baselines(context, pool, file, runs);
      report.table(
        ['parse', `median (min–max) of ${runs}`, 'throughput', 'tests/s'],
        baseline.rows,
      );

      report.line();
      report.line(
        `stored by ingestRun (${pool.threads} pool threads, started before timing; ` +
          `each run new metadata, so none is a duplicate):`,
      );
      const rows: string[][] = [];
      const backends = [
        {
          name: 'sqlite',
          target: TARGETS.sqlite,
          store: () => storeInSqlite(context, pool, file, runs),
        },
        {
          name: 'mariadb',
          target: TARGETS.mariadb,
          store: () => storeInMariadb(context, pool, file, runs),
        },
      ] as const;
      const outcomes: { name: string; target: number; seconds: number[] | string }[] = [];
      for (const backend of backends) {
        const seconds = await backend.store();
        outcomes.push({ name: backend.name, target: backend.target, seconds });
        if (typeof seconds === 'string') continue;
        const typical = median(seconds);
        rows.push([
          backend.name,
          formatSeconds(seconds[0]!),
          formatSpread(seconds),
          formatRate(TESTS, typical, 'tests'),
          `+${formatSeconds(typical - baseline.pool)}`,
        ]);
      }
      report.table(
        [
          'database',
          'first run (new test ids)',
          `median (min–max) of ${runs}`,
          'tests/s',
          'storage overhead',
        ],
        rows,
      );
      report.line('  (storage overhead: median ingest minus median pool parse without storage)');
      for (const { name, target, seconds } of outcomes) {
        const goal = `${formatCount(TESTS)} tests into ${name} < ${formatSeconds(target)}`;
        if (typeof seconds === 'string') report.skipped(goal, seconds);
        else {
          const typical = median(seconds);
          report.target(goal, `median ${formatSeconds(typical)}`, typical < target);
        }
      }
    } finally {
      await pool.close();
    }
  },
};

/** Parse-only times of the stream: the floor under any ingest. */
async function baselines(
  context: BenchContext,
  pool: ParserPool,
  file: string,
  runs: number,
): Promise<{ rows: string[][]; pool: number }> {
  const { report } = context;
  const bytes = readFileSync(file);
  const rate = (seconds: number, tests: number) => [
    formatRate(bytes.length / MB, seconds, 'MB'),
    formatRate(tests, seconds, 'tests'),
  ];

  let results = 0;
  const parseInProcess = () => {
    results = 0;
    const parser = createSubunitParser({
      result: () => void results++,
      runAttachment: () => undefined,
      parseError: () => undefined,
    });
    for (const chunk of chunksOf(bytes, 1 << 20)) parser.write(chunk);
    parser.end();
  };
  parseInProcess(); // warm-up
  const inProcess = await timeRuns(runs, parseInProcess);
  report.check(results === TESTS, `the parser gave ${results} results, expected ${TESTS}`);

  // Through the pool: a worker thread, sha256 and gzip of the artifact, batches cloned back.
  const parseInPool = async () => {
    results = 0;
    await pool.parseSubunit(createReadStream(file, { highWaterMark: 1 << 20 }), async (batch) => {
      results += batch.results.length;
    });
  };
  await parseInPool(); // warm-up, and starts the worker thread
  const inPool = await timeRuns(runs, parseInPool);
  report.check(results === TESTS, `the pool gave ${results} results, expected ${TESTS}`);

  const rows = [
    ['createSubunitParser, in-process', formatSpread(inProcess), ...rate(median(inProcess), TESTS)],
    ['ParserPool.parseSubunit, no storage', formatSpread(inPool), ...rate(median(inPool), TESTS)],
  ];
  const unavailable = await pythonSubunitUnavailable();
  if (unavailable === null) {
    const python = await pythonSubunitParse(file, runs);
    report.check(python.tests === TESTS, `python-subunit saw ${python.tests} tests`);
    rows.push([
      'python-subunit, timed in python',
      formatSpread(python.seconds),
      ...rate(median(python.seconds), python.tests),
    ]);
  } else {
    rows.push(['python-subunit', unavailable, '', '']);
  }
  return { rows, pool: median(inPool) };
}

async function storeInSqlite(
  context: BenchContext,
  pool: ParserPool,
  file: string,
  runs: number,
): Promise<number[]> {
  return storeRuns(
    parseDbUrl(`sqlite:${join(context.tmp, 'ingest.db')}`),
    pool,
    file,
    runs,
    context,
  );
}

/** The seconds of each run, or why MariaDB could not be benchmarked. */
async function storeInMariadb(
  context: BenchContext,
  pool: ParserPool,
  file: string,
  runs: number,
): Promise<number[] | string> {
  const server = parseDbUrl(`${context.mysqlServer}x`);
  if (server.dialect !== 'mysql') return `${context.mysqlServer} is not a mysql:// URL`;
  const name = `gw_bench_${randomBytes(6).toString('hex')}`;
  const withServer = async (sql: string) => {
    const connection = await createConnection({
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
    });
    try {
      await connection.query(sql);
    } finally {
      await connection.end();
    }
  };
  try {
    await withServer('select 1');
  } catch (error) {
    return `MariaDB unreachable at ${context.mysqlServer} (${error instanceof Error ? error.message : String(error)}); set GATEWATCH_BENCH_MYSQL`;
  }
  try {
    return await storeRuns(parseDbUrl(`${context.mysqlServer}${name}`), pool, file, runs, context);
  } finally {
    await withServer(`drop database if exists \`${name}\``);
  }
}

/** Ingests the stream `runs` times into one database (created and migrated before timing). */
async function storeRuns(
  target: DbTarget,
  pool: ParserPool,
  file: string,
  runs: number,
  { report }: BenchContext,
): Promise<number[]> {
  const db = await openDatabase(target);
  try {
    return await timeRuns(runs, async (run) => {
      const summary = await ingestRun(db, pool, {
        name: file,
        source: createReadStream(file, { highWaterMark: 1 << 20 }),
        metadata: {
          build_name: 'tempest-full',
          build_uuid: randomUUID(),
          build_change: String(900_000 + run),
          build_patchset: '1',
          project: 'openstack/nova',
        },
      });
      report.check(
        !summary.duplicate && summary.tests === TESTS,
        `run ${run + 1} into ${target.dialect}: ${summary.tests} tests, duplicate=${summary.duplicate}`,
      );
    });
  } finally {
    await db.close();
  }
}
