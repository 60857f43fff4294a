import type { Knex, SqlEntityManager as EntityManager } from '@mikro-orm/knex';
import {
  Artifact,
  Attachment,
  Dstat,
  DstatSeries,
  Run,
  RunMetadata,
  TestResult,
} from '../db/entities/index.js';
import type { Database, Dialect } from '../db/orm.js';
import { groupBy } from '../db/rows.js';
import { toDate } from '../db/sql.js';
import { GatewatchError } from '../errors.js';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from '../db/page.js';
import { whereRuns } from './run-filter.js';
import { runStatusOf, STATUSES_OF } from './outcome.js';
import type { Run as RunNode, RunFilter } from './run.type.js';
import type { StatusCounts } from './outcome.js';

/** Finds a run by its uuid or an unambiguous prefix of it (at least 4 characters). */
export async function findRun(em: EntityManager, ref: string): Promise<Run> {
  const wanted = ref.trim().toLowerCase();
  if (!/^[0-9a-f-]{4,36}$/.test(wanted)) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `"${ref}" is not a run id (a uuid or its first 4+ characters)`,
    );
  }
  const runs = await em.find(Run, { uuid: { $like: `${wanted}%` } }, { limit: 2 });
  if (runs.length === 0) throw new GatewatchError('RUN_NOT_FOUND', `no run with id ${ref}`);
  if (runs.length > 1) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `run id prefix ${ref} matches several runs; give more of it`,
    );
  }
  return runs[0]!;
}

export interface RunSummary {
  run: string;
  runAt: string;
  format: string;
  metadata: Record<string, string>;
  artifactsUrl: string | null;
  tests: number;
  counts: StatusCounts;
  parseErrors: number;
  /** Seconds. */
  wallTime: number | null;
  summedTime: number;
  workers: number;
  slowest: { testId: string; duration: number; status: string }[];
  failures: { testId: string; status: string; lastLine: string | null }[];
  dstat: { samples: number; columns: number; start: string | null; stop: string | null } | null;
  artifacts: { kind: string; name: string; size: number; storedSize: number; sha256: string }[];
}

const SLOWEST = 10;

/** What `gatewatch show` prints: the run at a glance. */
export async function summarizeRun(em: EntityManager, run: Run): Promise<RunSummary> {
  const [metadata, slowest, failed, dstat, artifacts] = await Promise.all([
    em.find(RunMetadata, { run: run.id }, { orderBy: { key: 'asc' } }),
    em.find(
      TestResult,
      { run: run.id, duration: { $ne: null } },
      { populate: ['test'], orderBy: { duration: 'desc' }, limit: SLOWEST },
    ),
    em.find(
      TestResult,
      { run: run.id, status: { $in: [...STATUSES_OF.failing] } },
      { populate: ['test'], orderBy: { seq: 'asc' } },
    ),
    em.findOne(Dstat, { run: run.id }),
    em.find(Artifact, { run: run.id }, { orderBy: { id: 'asc' } }),
  ]);
  const tracebacks = await em.find(
    Attachment,
    { run: run.id, resultSeq: { $in: failed.map((r) => r.seq) }, name: 'traceback' },
    { populate: ['content'] },
  );
  const lastLineOf = new Map(tracebacks.map((a) => [a.resultSeq, lastLine(a.content)]));
  const columns = dstat ? await em.count(DstatSeries, { dstat: dstat.id }) : 0;
  return {
    run: run.uuid,
    runAt: run.runAt.toISOString(),
    format: run.format,
    metadata: Object.fromEntries(metadata.map((m) => [m.key, m.value])),
    artifactsUrl: run.artifactsUrl ?? null,
    tests: run.tests,
    counts: countsOf(run),
    parseErrors: run.parseErrors,
    wallTime: run.wallTime ?? null,
    summedTime: run.summedTime,
    workers: run.workers,
    slowest: slowest.map((r) => ({
      testId: r.test.testId,
      duration: r.duration ?? 0,
      status: r.status,
    })),
    failures: failed.map((r) => ({
      testId: r.test.testId,
      status: r.status,
      lastLine: lastLineOf.get(r.seq) ?? null,
    })),
    dstat: dstat
      ? {
          samples: dstat.samples,
          columns,
          start: dstat.startMs == null ? null : new Date(dstat.startMs).toISOString(),
          stop: dstat.stopMs == null ? null : new Date(dstat.stopMs).toISOString(),
        }
      : null,
    artifacts: artifacts.map((a) => ({
      kind: a.kind,
      name: a.name,
      size: a.size,
      storedSize: a.storedSize,
      sha256: a.sha256,
    })),
  };
}

export function countsOf(run: Run): StatusCounts {
  const { passes, failures, skips, xfails, uxsuccesses, incomplete } = run;
  return { passes, failures, skips, xfails, uxsuccesses, incomplete };
}

/** The last non-blank line of a traceback: usually the exception. */
export function lastLine(content: Uint8Array | null | undefined): string | null {
  if (!content) return null;
  const lines = Buffer.from(content).toString('utf8').split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (line !== '') return line;
  }
  return null;
}

/** A `runs` row as knex returns it. */
export interface RunRow {
  id: number;
  uuid: string;
  run_at: unknown;
  ingested_at: unknown;
  build_name: string | null;
  format: string;
  tests: number;
  passes: number;
  failures: number;
  skips: number;
  xfails: number;
  uxsuccesses: number;
  incomplete: number;
  parse_errors: number;
  workers: number;
  wall_time: number | null;
  summed_time: number;
  artifacts_url: string | null;
  change_number: number | null;
  patchset: number | null;
  build_uuid: string | null;
  project: string | null;
  pipeline: string | null;
  branch: string | null;
}

export function runOf(row: RunRow): RunNode {
  return {
    rowId: row.id,
    id: row.uuid,
    runAt: toDate(row.run_at),
    ingestedAt: toDate(row.ingested_at),
    buildName: row.build_name,
    status: runStatusOf({ ...row, parseErrors: row.parse_errors }),
    format: row.format,
    tests: row.tests,
    passes: row.passes,
    failures: row.failures,
    skips: row.skips,
    xfails: row.xfails,
    uxsuccesses: row.uxsuccesses,
    incomplete: row.incomplete,
    parseErrors: row.parse_errors,
    workers: row.workers,
    wallTime: row.wall_time === null ? null : Number(row.wall_time),
    summedTime: Number(row.summed_time),
    artifactsUrl: row.artifacts_url,
    change: row.change_number,
    patchset: row.patchset,
    buildUuid: row.build_uuid,
    project: row.project,
    pipeline: row.pipeline,
    branch: row.branch,
  };
}

/** Runs matching a filter, newest first, one page of them. */
export async function listRuns(
  db: Database,
  filter: RunFilter | undefined,
  args: PageRequest,
): Promise<Page<RunNode>> {
  const size = pageSize(args);
  const after = decodeCursor(args.after);
  const query = whereRuns(db.knex('runs').select('runs.*'), db.dialect, filter);
  if (after) {
    const [at, id] = after;
    query.where((q) =>
      q
        .where('runs.run_at', '<', at!)
        .orWhere((q2) => q2.where('runs.run_at', '=', at!).andWhere('runs.id', '<', id!)),
    );
  }
  const rows: RunRow[] = await query
    .orderBy([
      { column: 'runs.run_at', order: 'desc' },
      { column: 'runs.id', order: 'desc' },
    ])
    .limit(size + 1);
  return toPage(
    rows,
    size,
    (row) => [cursorTime(db.dialect, row.run_at), row.id],
    runOf,
    async () => {
      const [{ n }] = await whereRuns(db.knex('runs').count({ n: '*' }), db.dialect, filter);
      return Number(n);
    },
  );
}

/** The run_at value as it is compared in SQL, kept in a cursor. */
function cursorTime(dialect: Dialect, value: unknown): string | number {
  return dialect === 'sqlite'
    ? Number(value)
    : toDate(value).toISOString().replace('T', ' ').replace('Z', '');
}

/** A run by uuid (or a prefix of 4+ characters, as the CLI takes), null when none matches. */
export async function runByRef(db: Database, ref: string): Promise<RunNode | null> {
  try {
    const run = await findRun(db.em(), ref);
    return runsByRowId(db.knex, [run.id]).then((runs) => runs.get(run.id) ?? null);
  } catch (error) {
    if (error instanceof GatewatchError && error.code === 'RUN_NOT_FOUND') return null;
    throw error;
  }
}

export async function runsByRowId(
  knex: Knex,
  ids: readonly number[],
): Promise<Map<number, RunNode>> {
  const rows: RunRow[] = await knex('runs').whereIn('id', ids);
  return new Map(rows.map((row) => [row.id, runOf(row)]));
}

export async function metadataByRunId(
  knex: Knex,
  ids: readonly number[],
): Promise<Map<number, { key: string; value: string }[]>> {
  const rows: { run_id: number; key: string; value: string }[] = await knex('run_metadata')
    .select('run_id', 'key', 'value')
    .whereIn('run_id', ids)
    .orderBy(['run_id', 'key']);
  return groupBy(
    rows,
    (row) => row.run_id,
    ({ key, value }) => ({ key, value }),
  );
}

/** Every metadata key in use, with how many runs carry it. */
export async function metadataKeys(knex: Knex): Promise<{ key: string; runs: number }[]> {
  const rows = (await knex('run_metadata')
    .select('key')
    .count({ runs: '*' })
    .groupBy('key')
    .orderBy('key')) as { key: string; runs: number | string }[];
  return rows.map((r) => ({ key: r.key, runs: Number(r.runs) }));
}
