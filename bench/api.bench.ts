/**
 * api: every query the dashboard makes, over HTTP against `createApp`, on a database of
 * 1,000 runs × 5,000 tests (5 M results) in SQLite and in MariaDB. The data is generated once
 * (bench/api-data.ts) and kept in `.bench/` and in a MariaDB database for later runs. Baseline
 * from the same run: the round trip of `{ __typename }`, which touches no table.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createConnection } from 'mysql2/promise';
import { createApp, type App } from '../server/app.js';
import { loadConfig, parseDbUrl } from '../server/config/config.js';
import { openDatabase } from '../server/db/orm.js';
import { generate, JOBS, PROJECTS, testIdOf, type DataShape } from './api-data.js';
import { DASHBOARD_QUERIES, type Ids } from './api-queries.js';
import type { Benchmark, BenchContext } from './harness.js';
import { formatCount, formatSeconds, timed } from './measure.js';
import { REPO_ROOT } from './paths.js';

const TARGET_P95 = 0.15;
/** Fixed, so that the generated data (and so the figures) are the same on every run. */
const END = new Date('2026-11-01T00:00:00Z');

export const api: Benchmark = {
  name: 'api',
  summary:
    'dashboard queries over HTTP on 1,000 runs × 5,000 tests (5 M results), SQLite and MariaDB ' +
    `(target: p95 < ${formatSeconds(TARGET_P95)} for every query)`,
  async run(context) {
    const shape: DataShape = context.quick
      ? { runs: 100, tests: 5000, days: 30, end: END }
      : { runs: 1000, tests: 5000, days: 30, end: END };
    const repetitions = context.quick ? 10 : 40;
    const name = `api-${shape.runs}x${shape.tests}-v1`;
    context.report.line(
      `data: ${formatCount(shape.runs)} runs × ${formatCount(shape.tests)} tests = ` +
        `${formatCount(shape.runs * shape.tests)} results over ${shape.days} days, ` +
        `${JOBS.length} jobs, ${PROJECTS.length} projects; ${repetitions} timed requests per query after 3 warm-ups`,
    );
    mkdirSync(`${REPO_ROOT}.bench`, { recursive: true });
    const backends = [
      { label: 'SQLite', url: `sqlite:${REPO_ROOT}.bench/${name}.db` },
      { label: 'MariaDB', url: `${context.mysqlServer}gatewatch_bench_${name.replace(/-/g, '_')}` },
    ];
    for (const backend of backends) {
      await ensureData(context, backend.label, backend.url, shape);
      const app = await createApp(loadConfig({ db: backend.url, port: '0' }, {}));
      try {
        await measureQueries(context, backend.label, app, shape, repetitions);
      } finally {
        await app.close();
      }
    }
  },
};

/** Generates the data unless a complete copy is there from an earlier run. */
async function ensureData(
  context: BenchContext,
  label: string,
  url: string,
  shape: DataShape,
): Promise<void> {
  const target = parseDbUrl(url);
  if (await complete(url, shape)) {
    context.report.line(`${label}: reusing the generated data in ${url}`);
    return;
  }
  if (target.dialect === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${target.path}${suffix}`, { force: true });
  } else {
    const c = await createConnection({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
    });
    await c.query(`drop database if exists \`${target.dbName}\``);
    await c.end();
  }
  const db = await openDatabase(target);
  try {
    let shown = 0;
    const seconds = await timed(() =>
      generate(db, shape, (runs) => {
        if (runs - shown >= shape.runs / 10 || runs === shape.runs) {
          shown = runs;
          process.stdout.write(`\r  ${label}: generating ${runs}/${shape.runs} runs`);
        }
      }),
    );
    process.stdout.write('\n');
    context.report.line(`${label}: generated in ${formatSeconds(seconds)} (kept for later runs)`);
  } finally {
    await db.close();
  }
}

/** job_daily is written last: rows there mean the generation finished. */
async function complete(url: string, shape: DataShape): Promise<boolean> {
  const target = parseDbUrl(url);
  if (target.dialect === 'sqlite' && !existsSync(target.path)) return false;
  try {
    const db = await openDatabase(target, { migrate: false });
    try {
      const runs = (await db.knex('runs').count({ n: '*' }))[0]?.n;
      const days = (await db.knex('job_daily').count({ n: '*' }))[0]?.n;
      return Number(runs) === shape.runs && Number(days) > 0;
    } finally {
      await db.close();
    }
  } catch {
    return false;
  }
}

async function measureQueries(
  context: BenchContext,
  label: string,
  app: App,
  shape: DataShape,
  repetitions: number,
): Promise<void> {
  const post = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
    if (body.errors) throw new Error(`${query.slice(0, 60)}…: ${body.errors[0]!.message}`);
    return body.data as Record<string, unknown>;
  };
  const ids = await discoverIds(post, shape);
  const queries = [
    { name: 'baseline: { __typename }', query: '{ __typename }', variables: () => ({}) },
    ...DASHBOARD_QUERIES,
  ];
  const rows: string[][] = [];
  let worst = { name: '', p95: 0 };
  for (const q of queries) {
    const variables = q.variables(ids);
    for (let i = 0; i < 3; i++) await post(q.query, variables);
    const seconds: number[] = [];
    for (let i = 0; i < repetitions; i++) seconds.push(await timed(() => post(q.query, variables)));
    seconds.sort((a, b) => a - b);
    const p = (f: number) =>
      seconds[Math.min(seconds.length - 1, Math.ceil(f * seconds.length) - 1)]!;
    rows.push([q.name, ms(p(0.5)), ms(p(0.95)), ms(seconds.at(-1)!)]);
    if (q !== queries[0] && p(0.95) > worst.p95) worst = { name: q.name, p95: p(0.95) };
  }
  context.report.line('');
  context.report.line(`${label}:`);
  context.report.table(['query', 'p50 ms', 'p95 ms', 'max ms'], rows);
  context.report.target(
    `${label}: every dashboard query p95 < ${formatSeconds(TARGET_P95)}`,
    `slowest p95 ${formatSeconds(worst.p95)} (${worst.name})`,
    worst.p95 < TARGET_P95,
  );
}

function ms(seconds: number): string {
  return (seconds * 1000).toFixed(1);
}

/** A run with failures, a flaky test and a job to aim the queries at, found through the API. */
async function discoverIds(
  post: (query: string, variables?: Record<string, unknown>) => Promise<Record<string, unknown>>,
  shape: DataShape,
): Promise<Ids> {
  const data = (await post(
    `{ runs(first: 1, filter: { status: FAILED }) { nodes { id buildName } } }`,
  )) as { runs: { nodes: { id: string; buildName: string }[] } };
  const run = data.runs.nodes[0];
  if (!run) throw new Error('the generated data has no failed run');
  return {
    run: run.id,
    job: run.buildName,
    // Test 0 is one of the flaky ones (every 97th test fails 15% of the time).
    testId: testIdOf(0),
    since: new Date(shape.end.getTime() - 7 * 86_400_000).toISOString(),
    monthAgo: new Date(shape.end.getTime() - 30 * 86_400_000).toISOString(),
    until: shape.end.toISOString(),
  };
}
