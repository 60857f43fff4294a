/** Reads of a run's results and their attachments. */
import type { Knex } from '@mikro-orm/knex';
import type { Dialect } from '../db/orm.js';
import { groupBy } from '../db/rows.js';
import { whereTestId } from '../db/test-id-filter.js';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from '../db/page.js';
import type { Attachment, TestResult, TestStatus, Timeline, WorkerLane } from './result.type.js';

export interface ResultFilter {
  status?: TestStatus[] | null;
  testIdPrefix?: string | null;
  testIdContains?: string | null;
}

interface ResultRow {
  run_id: number;
  uuid: string;
  seq: number;
  test_row_id: number;
  test_id: string;
  status: string;
  start_us: number | string | null;
  stop_us: number | string | null;
  duration: number | null;
  worker: number | null;
  tags: string;
  attrs: string;
}

/** Columns of a result joined with its run and test; `from` must alias them r, runs, tests. */
export const RESULT_COLUMNS = [
  'r.run_id',
  'runs.uuid',
  'r.seq',
  'tests.id as test_row_id',
  'tests.test_id',
  'r.status',
  'r.start_us',
  'r.stop_us',
  'r.duration',
  'r.worker',
  'r.tags',
  'r.attrs',
];

/** `test_results as r` joined with what a TestResult shows. */
export function resultsQuery(knex: Knex): Knex.QueryBuilder {
  return knex('test_results as r')
    .join('runs', 'runs.id', 'r.run_id')
    .join('tests', 'tests.id', 'r.test_id')
    .select(RESULT_COLUMNS);
}

/** {@link resultsQuery} for the results of one run, known already: no join with `runs`. */
function runResultsQuery(knex: Knex, run: { rowId: number; id: string }): Knex.QueryBuilder {
  return knex('test_results as r')
    .join('tests', 'tests.id', 'r.test_id')
    .select(RESULT_COLUMNS.filter((column) => column !== 'runs.uuid'))
    .select(knex.raw('? as uuid', [run.id]))
    .where('r.run_id', run.rowId);
}

export function resultOf(row: ResultRow): TestResult {
  const micros = (v: number | string | null) => (v === null ? null : new Date(Number(v) / 1000));
  return {
    runRowId: row.run_id,
    testRowId: row.test_row_id,
    id: `${row.uuid}:${row.seq}`,
    seq: row.seq,
    testId: row.test_id,
    status: row.status as TestStatus,
    startTime: micros(row.start_us),
    stopTime: micros(row.stop_us),
    duration: row.duration === null ? null : Number(row.duration),
    worker: row.worker,
    tags: row.tags === '' ? [] : row.tags.split(' '),
    attrs: row.attrs,
  };
}

/** A run's results in stream order, filtered, one page. */
export async function runResults(
  knex: Knex,
  dialect: Dialect,
  run: { rowId: number; id: string },
  filter: ResultFilter,
  args: PageRequest,
): Promise<Page<TestResult>> {
  const size = pageSize(args);
  const after = decodeCursor(args.after);
  const filtered = (query: Knex.QueryBuilder) => {
    if (filter.status?.length) query.whereIn('r.status', filter.status);
    if (filter.testIdPrefix || filter.testIdContains) {
      query.join('tests as t', 't.id', 'r.test_id');
      whereTestId(query, dialect, 't.test_id', {
        prefix: filter.testIdPrefix,
        contains: filter.testIdContains,
      });
    }
    return query;
  };
  const query = filtered(runResultsQuery(knex, run));
  if (after) query.where('r.seq', '>', after[0]!);
  const rows: ResultRow[] = await query.orderBy('r.seq').limit(size + 1);
  return toPage(
    rows,
    size,
    (row) => [row.seq],
    resultOf,
    async () => {
      const [{ n }] = await filtered(
        knex('test_results as r').where('r.run_id', run.rowId).count({ n: '*' }),
      );
      return Number(n);
    },
  );
}

/** One result of a run by its place in the stream, or null. */
export async function runResult(
  knex: Knex,
  run: { rowId: number; id: string },
  seq: number,
): Promise<TestResult | null> {
  const row: ResultRow | undefined = await runResultsQuery(knex, run).where('r.seq', seq).first();
  return row ? resultOf(row) : null;
}

/** Every result of a run, in lanes by worker, each lane by start time. */
export async function runTimeline(
  knex: Knex,
  run: { rowId: number; id: string },
): Promise<Timeline> {
  const rows: ResultRow[] = await runResultsQuery(knex, run).orderBy([
    { column: 'r.start_us' },
    { column: 'r.seq' },
  ]);
  const lanes = new Map<number | null, WorkerLane>();
  let start: number | null = null;
  let stop: number | null = null;
  for (const row of rows) {
    const result = resultOf(row);
    let lane = lanes.get(result.worker);
    if (!lane) lanes.set(result.worker, (lane = { worker: result.worker, results: [] }));
    lane.results.push(result);
    const begin = result.startTime?.getTime() ?? null;
    const end = (result.stopTime ?? result.startTime)?.getTime() ?? null;
    if (begin !== null && (start === null || begin < start)) start = begin;
    if (end !== null && (stop === null || end > stop)) stop = end;
  }
  return {
    start: start === null ? null : new Date(start),
    stop: stop === null ? null : new Date(stop),
    lanes: [...lanes.values()].sort((a, b) => (a.worker ?? -1) - (b.worker ?? -1)),
  };
}

interface AttachmentRow {
  id: number | string;
  run_id: number;
  result_seq: number | null;
  name: string;
  mime: string;
  size: number;
  stored: number;
}

function attachmentOf(row: AttachmentRow): Attachment {
  return {
    id: String(row.id),
    name: row.name,
    mime: row.mime,
    size: row.size,
    truncated: Number(row.stored) < row.size,
  };
}

function attachmentColumns(knex: Knex) {
  return [
    'id',
    'run_id',
    'result_seq',
    'name',
    'mime',
    'size',
    knex.raw('length(content) as stored'),
  ];
}

/** Attachments of results, keyed `runRowId:seq`. */
export async function attachmentsByResult(
  knex: Knex,
  keys: readonly string[],
): Promise<Map<string, Attachment[]>> {
  const pairs = keys.map((key) => key.split(':').map(Number) as [number, number]);
  const rows: AttachmentRow[] = await knex('attachments')
    .select(attachmentColumns(knex))
    .whereIn(['run_id', 'result_seq'], pairs)
    .orderBy('id');
  return groupBy(rows, (row) => `${row.run_id}:${row.result_seq}`, attachmentOf);
}

/** The runs' own files (runner output, parser errors), by run row id. */
export async function runAttachmentsByRunId(
  knex: Knex,
  runRowIds: readonly number[],
): Promise<Map<number, Attachment[]>> {
  const rows: AttachmentRow[] = await knex('attachments')
    .select(attachmentColumns(knex))
    .whereIn('run_id', runRowIds)
    .whereNull('result_seq')
    .orderBy('id');
  return groupBy(rows, (row) => row.run_id, attachmentOf);
}

/** The last `lines` lines of a traceback (at least one), trailing blank lines left out. */
export function tracebackTail(traceback: Buffer, lines: number): string {
  return traceback.toString('utf8').trimEnd().split('\n').slice(-Math.max(1, lines)).join('\n');
}

/** Attachment bytes by id. */
export async function attachmentContent(
  knex: Knex,
  ids: readonly string[],
): Promise<Map<string, Buffer>> {
  const rows: { id: number | string; content: Buffer | Uint8Array | null }[] = await knex(
    'attachments',
  )
    .select('id', 'content')
    .whereIn('id', ids.map(Number));
  return new Map(rows.map((row) => [String(row.id), Buffer.from(row.content ?? [])]));
}
