/**
 * ci: the queries of the CI pages (bench/ci-queries.ts), over HTTP against `createApp`, on a
 * generated history of 90 days × 50 projects × 30 CIs (~200,000 reports, ~2 M builds) in
 * SQLite and in MariaDB. The data is generated once (bench/ci-data.ts) and kept in `.bench/`
 * and in a MariaDB database for later runs. Baseline from the same run: the round trip of
 * `{ __typename }`, which touches no table. A query that answers an error is shown with it.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createConnection } from 'mysql2/promise';
import { createApp, type App } from '../server/app.js';
import { loadConfig, parseDbUrl } from '../server/config/config.js';
import { openDatabase, type Database } from '../server/db/orm.js';
import { ciHistoryComplete, generateCiHistory } from './ci-data.js';
import { BUSY_PROJECT, THIRD_PARTY_CI, UPSTREAM_CI, type CiShape } from './ci-model.js';
import { CI_QUERIES, type CiIds, type CiQuery } from './ci-queries.js';
import type { Benchmark, BenchContext } from './harness.js';
import { formatCount, formatSeconds, timed } from './measure.js';
import { REPO_ROOT } from './paths.js';

const TARGET_P95 = 0.15;
const WARM_UPS = 3;
/** A query far over its target stops being warmed up and timed after this long (with at least MIN_TIMED requests timed). */
const BUDGET_SECONDS = 20;
const MIN_TIMED = 5;
/** Fixed, so that the generated data (and so the figures) are the same on every run. */
const END = new Date('2026-12-01T00:00:00Z');
const COUNTED = [
  'gerrit_changes',
  'gerrit_patch_sets',
  'gerrit_comments',
  'ci_reports',
  'ci_builds',
  'runs',
];
const FULL: CiShape = { days: 90, projects: 50, cis: 30, changesPerDay: 185, end: END };

export const ci: Benchmark = {
  name: 'ci',
  summary:
    'CI page queries (matrix, who has CI, records, figures, reports, a change) over HTTP on ' +
    `90 days × 50 projects × 30 CIs (~200,000 reports), SQLite and MariaDB (target: p95 ≤ ${formatSeconds(TARGET_P95)} each)`,
  async run(context) {
    const shape = context.quick
      ? { ...FULL, changesPerDay: Math.round(FULL.changesPerDay / 10) }
      : FULL;
    const repetitions = context.quick ? 10 : 40;
    const name = `ci-${shape.days}d-${shape.projects}p-${shape.cis}ci-${shape.changesPerDay}c-v3`;
    context.report.line(
      `data: ${shape.days} days × ${shape.projects} projects × ${shape.cis} CIs, ` +
        `${shape.changesPerDay} new changes a weekday, ending ${END.toISOString()} (the queries' until); ` +
        `${repetitions} timed requests per query after ${WARM_UPS} warm-ups`,
    );
    mkdirSync(`${REPO_ROOT}.bench`, { recursive: true });
    const backends = [
      { label: 'SQLite', url: `sqlite:${REPO_ROOT}.bench/${name}.db` },
      { label: 'MariaDB', url: `${context.mysqlServer}gatewatch_bench_${name.replace(/-/g, '_')}` },
    ];
    for (const backend of backends) {
      const change = await ensureData(context, backend.label, backend.url, shape);
      const ids: CiIds = {
        project: BUSY_PROJECT,
        upstream: UPSTREAM_CI,
        thirdParty: THIRD_PARTY_CI,
        change,
        until: END,
      };
      const app = await createApp(loadConfig({ db: backend.url, port: '0' }, {}));
      try {
        await measureQueries(context, backend.label, app, ids, repetitions);
      } finally {
        await app.close();
      }
    }
  },
};

/** Generates the data unless a complete copy is there; answers the change to query. */
async function ensureData(
  context: BenchContext,
  label: string,
  url: string,
  shape: CiShape,
): Promise<number> {
  const target = parseDbUrl(url);
  let db = await openExisting(url);
  if (db) {
    context.report.line(`${label}: reusing the generated data in ${url}`);
  } else {
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
    db = await openDatabase(target);
    const opened = db;
    const seconds = await timed(() =>
      generateCiHistory(opened, shape, (days) => {
        if (days % 10 === 0 || days === shape.days)
          process.stdout.write(`\r  ${label}: generating day ${days}/${shape.days}`);
      }),
    );
    process.stdout.write('\n');
    context.report.line(`${label}: generated in ${formatSeconds(seconds)} (kept for later runs)`);
  }
  try {
    const counts: string[] = [];
    for (const table of COUNTED) {
      const n = (await db.knex(table).count({ n: '*' }))[0]?.n;
      counts.push(`${table} ${formatCount(Number(n))}`);
    }
    context.report.line(`  rows: ${counts.join(', ')}`);
    return await changeToQuery(db);
  } finally {
    await db.close();
  }
}

/** The database, when a complete generation is there. */
async function openExisting(url: string): Promise<Database | null> {
  const target = parseDbUrl(url);
  if (target.dialect === 'sqlite' && !existsSync(target.path)) return null;
  let db: Database | undefined;
  try {
    db = await openDatabase(target, { migrate: false });
    if (await ciHistoryComplete(db)) return db;
  } catch {
    // Not there, or not ours: generated afresh.
  }
  await db?.close();
  return null;
}

/** The busy project's newest change with a build linked to a run. */
async function changeToQuery(db: Database): Promise<number> {
  const row = (await db
    .knex('gerrit_changes as c')
    .join('gerrit_projects as p', 'p.id', 'c.project_id')
    .join('gerrit_patch_sets as ps', 'ps.change_id', 'c.id')
    .join('ci_reports as r', 'r.patch_set_id', 'ps.id')
    .join('ci_builds as b', 'b.report_id', 'r.id')
    .where('p.name', BUSY_PROJECT)
    .whereNotNull('b.run_id')
    .max({ number: 'c.number' })
    .first()) as { number: number | null } | undefined;
  if (!row?.number)
    throw new Error(`the generated data has no change of ${BUSY_PROJECT} with a run`);
  return Number(row.number);
}

type Post = (query: string, variables: Record<string, unknown>) => Promise<Record<string, unknown>>;

async function measureQueries(
  context: BenchContext,
  label: string,
  app: App,
  ids: CiIds,
  repetitions: number,
): Promise<void> {
  const post: Post = async (query, variables) => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
    if (body.errors) throw new Error(body.errors[0]!.message);
    return body.data as Record<string, unknown>;
  };
  const baseline: CiQuery = {
    name: 'baseline: { __typename }',
    query: '{ __typename }',
    variables: () => ({}),
    answered: () => 1,
  };
  const rows: string[][] = [];
  const outcomes: { name: string; p95: number | null; error: string | null }[] = [];
  for (const q of [baseline, ...CI_QUERIES]) {
    const variables = q.variables(ids);
    try {
      let answered = 0;
      let warming = 0;
      for (let i = 0; i < WARM_UPS && warming < BUDGET_SECONDS; i++) {
        warming += await timed(async () => (answered = q.answered(await post(q.query, variables))));
      }
      context.report.check(answered > 0, `${label}, ${q.name}: the answer is empty (no work)`);
      const seconds: number[] = [];
      let spent = 0;
      while (
        seconds.length < repetitions &&
        (spent < BUDGET_SECONDS || seconds.length < MIN_TIMED)
      ) {
        seconds.push(await timed(() => post(q.query, variables)));
        spent += seconds.at(-1)!;
      }
      seconds.sort((a, b) => a - b);
      const p = (f: number) =>
        seconds[Math.min(seconds.length - 1, Math.ceil(f * seconds.length) - 1)]!;
      const row = [
        q.name,
        formatCount(answered),
        formatCount(seconds.length),
        ms(p(0.5)),
        ms(p(0.95)),
        ms(seconds.at(-1)!),
      ];
      rows.push(row);
      // As it goes too: a slow query can take minutes.
      context.report.line(
        `  … ${label}: ${row[0]}: p50 ${row[3]} ms, p95 ${row[4]} ms (${row[2]} timed)`,
      );
      if (q !== baseline) outcomes.push({ name: q.name, p95: p(0.95), error: null });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      rows.push([q.name, `error: ${message}`, '', '', '', '']);
      outcomes.push({ name: q.name, p95: null, error: message });
    }
  }
  context.report.line('');
  context.report.line(`${label}:`);
  context.report.table(['query', 'answered', 'timed', 'p50 ms', 'p95 ms', 'max ms'], rows);
  for (const o of outcomes) {
    context.report.target(
      `${label}: ${o.name}, p95 ≤ ${formatSeconds(TARGET_P95)}`,
      o.error === null ? `p95 ${formatSeconds(o.p95!)}` : `error: ${o.error}`,
      o.error === null && o.p95! <= TARGET_P95,
    );
  }
}

function ms(seconds: number): string {
  return (seconds * 1000).toFixed(1);
}
