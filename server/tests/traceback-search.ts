/**
 * Finding tests by what their recent failures printed: the tracebacks of the newest failing
 * results hold a text. Bounded three ways, so a search costs the same whatever the history:
 * how many failures are read, how much of each traceback, how long the text may be.
 */
import type { Knex } from '@mikro-orm/knex';
import type { Database } from '../db/orm.js';
import { GatewatchError } from '../errors.js';
import { sqlResultIs } from '../runs/outcome.js';

/** How many of the newest failing results (fail, uxsuccess) a search reads. */
export const RECENT_FAILURES_SEARCHED = 1000;

/** How much of the end of each traceback a search reads (bytes): where the exception is. */
export const TRACEBACK_TAIL_BYTES = 64 * 1024;

/** The longest text searched for (characters). */
export const MAX_TRACEBACK_SEARCH = 200;

/** Throws BAD_ARGUMENT when the text is longer than {@link MAX_TRACEBACK_SEARCH}. */
export function checkTracebackSearch(text: string | null | undefined): void {
  if (text && text.length > MAX_TRACEBACK_SEARCH) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `tracebackContains is ${text.length} characters long; at most ${MAX_TRACEBACK_SEARCH} are allowed`,
    );
  }
}

/**
 * Restricts a query to the tests (their `tests` row id in `testRowId`) with a traceback
 * holding `text`, byte for byte, among the {@link RECENT_FAILURES_SEARCHED} newest failing
 * results of every run, or of the runs of `job`; nothing when `text` is empty.
 */
export function whereTracebackHolds(
  query: Knex.QueryBuilder,
  db: Database,
  testRowId: string,
  text: string | null | undefined,
  job?: string,
): Knex.QueryBuilder {
  if (!text) return query;
  const { knex, dialect } = db;
  // CROSS JOIN keeps SQLite walking runs newest first and probing their failing results
  // (MySQL reads it as an inner join), rather than reading every failing result to sort.
  const newest = knex('runs')
    .crossJoin('test_results as r', 'r.run_id', 'runs.id')
    .whereRaw(sqlResultIs('failing', 'r.status'))
    .select('r.run_id', 'r.seq', 'r.test_id')
    .orderBy([
      { column: 'runs.run_at', order: 'desc' },
      { column: 'r.run_id', order: 'desc' },
      { column: 'r.seq', order: 'desc' },
    ])
    .limit(RECENT_FAILURES_SEARCHED);
  if (job !== undefined) newest.where('runs.build_name', job);
  // Attachments are bytes: the text is found byte for byte, so case-sensitively.
  const tail =
    dialect === 'sqlite'
      ? `substr(a.content, -${TRACEBACK_TAIL_BYTES})`
      : `right(a.content, ${TRACEBACK_TAIL_BYTES})`;
  // MySQL takes no LIMIT in an IN subquery, but does in a derived table inside one.
  const holding = knex
    .from(newest.as('f'))
    .join('attachments as a', (on) =>
      on.on('a.run_id', '=', 'f.run_id').andOn('a.result_seq', '=', 'f.seq'),
    )
    .where('a.name', 'traceback')
    .whereRaw(`instr(${tail}, ?) > 0`, [text])
    .select('f.test_id');
  return query.whereIn(testRowId, holding);
}
