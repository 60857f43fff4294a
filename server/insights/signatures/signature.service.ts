/**
 * Reading the signatures: a page of them, one by fingerprint, and what each one touched — its
 * counts over time (from the daily rollup), its tests, jobs and CIs (CIs through the builds
 * that link to its runs), and the signature of each failing result. No GraphQL here.
 */
import type { Database } from '../../db/orm.js';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from '../../db/page.js';
import { cursorTime, dateBucketStartMs, timeParam, toDate, utcDay } from '../../db/sql.js';
import { GatewatchError } from '../../errors.js';
import { SIGNATURE_COLUMNS } from './run-signatures.js';

export interface SignatureRow {
  id: number;
  fingerprint: string;
  summary: string;
  normalised: string;
  exampleRunId: number;
  exampleSeq: number;
  firstSeen: Date;
  lastSeen: Date;
  failures: number;
  runs: number;
}

export interface SignatureFilter {
  /** Only signatures seen at or after. */
  since?: Date | null;
  /** Only signatures seen in runs of this job. */
  job?: string | null;
}

/** Failures of a signature in one time bucket. */
export interface SignaturePoint {
  start: Date;
  failures: number;
  runs: number;
}

/** One thing a signature touched (a test, a job, a CI) and how often. */
export interface SignatureShare {
  name: string;
  failures: number;
}

const COLUMNS = ['id', ...SIGNATURE_COLUMNS];

function rowOf(row: Record<string, unknown>): SignatureRow {
  return {
    id: Number(row.id),
    fingerprint: String(row.fingerprint),
    summary: String(row.summary),
    normalised: String(row.normalised),
    exampleRunId: Number(row.example_run_id),
    exampleSeq: Number(row.example_seq),
    firstSeen: toDate(row.first_seen),
    lastSeen: toDate(row.last_seen),
    failures: Number(row.failures),
    runs: Number(row.runs),
  };
}

/** Signatures, last seen first. */
export async function signaturesPage(
  db: Database,
  filter: SignatureFilter,
  page: PageRequest,
): Promise<Page<SignatureRow>> {
  const size = pageSize(page);
  const { knex, dialect } = db;
  const filtered = () => {
    const query = knex('signatures as s');
    if (filter.since) query.where('s.last_seen', '>=', timeParam(dialect, filter.since));
    if (filter.job) {
      const day = filter.since ? utcDay(filter.since) : null;
      query.whereExists(function () {
        this.select(knex.raw('1'))
          .from('signature_daily as d')
          .whereRaw('d.signature_id = s.id')
          .where('d.build_name', filter.job!);
        if (day) this.where('d.day', '>=', day);
      });
    }
    return query;
  };
  const query = filtered()
    .select(COLUMNS.map((c) => `s.${c}`))
    .orderBy([
      { column: 's.last_seen', order: 'desc' },
      { column: 's.id', order: 'desc' },
    ])
    .limit(size + 1);
  const after = decodeCursor(page.after);
  if (after) {
    const [time, id] = after;
    query.where((w) =>
      w
        .where('s.last_seen', '<', time!)
        .orWhere((o) => o.where('s.last_seen', time!).where('s.id', '<', id!)),
    );
  }
  const rows = (await query) as Record<string, unknown>[];
  return toPage(
    rows,
    size,
    (row) => [cursorTime(dialect, row.last_seen), Number(row.id)],
    rowOf,
    async () => Number(((await filtered().count({ n: '*' })) as { n: number }[])[0]!.n),
  );
}

/** The signature with this fingerprint, or null. */
export async function signatureByFingerprint(
  db: Database,
  fingerprint: string,
): Promise<SignatureRow | null> {
  const row = (await db
    .knex('signatures')
    .select(COLUMNS)
    .where('fingerprint', fingerprint)
    .first()) as Record<string, unknown> | undefined;
  return row ? rowOf(row) : null;
}

/** The signatures with these row ids, by id. */
export async function signaturesById(
  db: Database,
  ids: readonly number[],
): Promise<Map<number, SignatureRow>> {
  const rows = (await db.knex('signatures').select(COLUMNS).whereIn('id', ids)) as Record<
    string,
    unknown
  >[];
  return new Map(rows.map((row) => [Number(row.id), rowOf(row)]));
}

/** Failures per day or week (weeks summed from the days), oldest first. */
export async function signatureOverTime(
  db: Database,
  signatureId: number,
  resolution: 'day' | 'week',
  since?: Date | null,
): Promise<SignaturePoint[]> {
  const bucket = dateBucketStartMs(db.dialect, 'day', resolution);
  const query = db
    .knex('signature_daily')
    .select(db.knex.raw(`${bucket} as start`))
    .sum({ failures: 'failures', runs: 'runs' })
    .where('signature_id', signatureId)
    .groupByRaw(bucket)
    .orderBy('start');
  if (since) query.where('day', '>=', utcDay(since));
  const rows = (await query) as { start: number | string; failures: number; runs: number }[];
  return rows.map((r) => ({
    start: new Date(Number(r.start)),
    failures: Number(r.failures),
    runs: Number(r.runs),
  }));
}

/** The most affected tests, jobs or CIs of a signature, most failures first. */
export async function signatureShares(
  db: Database,
  signatureId: number,
  of: 'tests' | 'jobs' | 'cis',
  limit: number,
): Promise<SignatureShare[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new GatewatchError('BAD_ARGUMENT', `limit must be 1…500, got ${limit}`);
  }
  const { knex } = db;
  let query;
  if (of === 'jobs') {
    query = knex('signature_daily')
      .select({ name: 'build_name' })
      .sum({ failures: 'failures' })
      .where('signature_id', signatureId)
      .groupBy('build_name');
  } else if (of === 'tests') {
    query = knex('result_signatures as s')
      .join('tests as t', 't.id', 's.test_id')
      .select({ name: 't.test_id' })
      .count({ failures: '*' })
      .where('s.signature_id', signatureId)
      .groupBy('t.test_id');
  } else {
    // A run reported by several CIs (or twice by one) counts once per CI.
    query = knex('result_signatures as s')
      .join(
        knex('ci_builds as b')
          .join('ci_reports as r', 'r.id', 'b.report_id')
          .join('ci_systems as c', 'c.id', 'r.ci_id')
          .distinct({ run_id: 'b.run_id', name: 'c.name' })
          .as('ci'),
        'ci.run_id',
        's.run_id',
      )
      .select('ci.name')
      .count({ failures: '*' })
      .where('s.signature_id', signatureId)
      .groupBy('ci.name');
  }
  const rows = (await query
    .orderBy([{ column: 'failures', order: 'desc' }, { column: 'name' }])
    .limit(limit)) as { name: string; failures: number | string }[];
  return rows.map((r) => ({ name: String(r.name), failures: Number(r.failures) }));
}

/** The signature of failing results, by `RUN_ROW_ID:SEQ`. */
export async function signaturesOfResults(
  db: Database,
  keys: readonly string[],
): Promise<Map<string, { fingerprint: string; summary: string; isNew: boolean }>> {
  const found = new Map<string, { fingerprint: string; summary: string; isNew: boolean }>();
  const byRun = new Map<number, number[]>();
  for (const key of keys) {
    const [run, seq] = key.split(':').map(Number);
    byRun.set(run!, [...(byRun.get(run!) ?? []), seq!]);
  }
  for (const [run, seqs] of byRun) {
    const rows = (await db
      .knex('result_signatures as r')
      .join('signatures as s', 's.id', 'r.signature_id')
      .select('r.seq', 'r.is_new', 's.fingerprint', 's.summary')
      .where('r.run_id', run)
      .whereIn('r.seq', seqs)) as {
      seq: number;
      is_new: number | boolean;
      fingerprint: string;
      summary: string;
    }[];
    for (const row of rows) {
      found.set(`${run}:${row.seq}`, {
        fingerprint: row.fingerprint,
        summary: row.summary,
        isNew: Boolean(row.is_new),
      });
    }
  }
  return found;
}
