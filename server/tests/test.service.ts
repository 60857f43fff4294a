/** Reads of the test catalogue; per-test analytics live in test-analytics.service.ts. */
import type { Knex } from '@mikro-orm/knex';
import type { Database } from '../db/orm.js';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from '../db/page.js';
import { bytewise } from '../db/sql.js';
import { whereTestId } from '../db/test-id-filter.js';
import { hashTestId } from '../db/test-key.js';
import { GatewatchError } from '../errors.js';
import type { Test, TestFilter } from './test.type.js';

export interface TestRow {
  id: number;
  test_id: string;
  runs: number;
  successes: number;
  failures: number;
  skips: number;
  success_time: number;
}

export function testOf(row: TestRow): Test {
  const decided = row.successes + row.failures;
  return {
    rowId: row.id,
    id: row.test_id,
    testId: row.test_id,
    runs: row.runs,
    successes: row.successes,
    failures: row.failures,
    skips: row.skips,
    failureRate: decided === 0 ? null : row.failures / decided,
    meanDuration: row.successes === 0 ? null : Number(row.success_time) / row.successes,
  };
}

export async function testsByRowId(knex: Knex, ids: readonly number[]): Promise<Map<number, Test>> {
  const rows: TestRow[] = await knex('tests').whereIn('id', ids);
  return new Map(rows.map((row) => [row.id, testOf(row)]));
}

/** A test by its exact id (looked up by hash: ids can be longer than MySQL can index). */
export async function testByTestId(knex: Knex, testId: string): Promise<Test | null> {
  const row: TestRow | undefined = await knex('tests').where('hash', hashTestId(testId)).first();
  return row ? testOf(row) : null;
}

/**
 * Tests whose id starts with `prefix` and/or contains `contains`, by id, one page. Matching is
 * literal and case-sensitive, and ids sort byte by byte, in both dialects: SQLite's LIKE
 * ignores ASCII case and MySQL's utf8mb4_bin pads with spaces, so neither LIKE nor a plain
 * ORDER BY would give the same answers on both.
 */
export async function listTests(
  db: Database,
  filter: TestFilter | undefined,
  args: PageRequest,
): Promise<Page<Test>> {
  const size = pageSize(args);
  const after = decodeCursor(args.after);
  const id = bytewise(db.dialect, 'tests.test_id');
  const param = bytewise(db.dialect, '?');
  const filtered = (query: Knex.QueryBuilder) =>
    whereTestId(query, db.dialect, 'tests.test_id', filter);
  const query = filtered(db.knex('tests').select('tests.*'));
  if (after) {
    if (after.length !== 1 || typeof after[0] !== 'string') throw badCursor(args.after);
    query.whereRaw(`${id} > ${param}`, [after[0]]);
  }
  const rows: TestRow[] = await query.orderByRaw(id).limit(size + 1);
  return toPage(
    rows,
    size,
    (row) => [row.test_id],
    testOf,
    async () => {
      const [{ n }] = await filtered(db.knex('tests').count({ n: '*' }));
      return Number(n);
    },
  );
}

/** A cursor of another list (decodeCursor checks only that it is one). */
export function badCursor(after: string | null | undefined): GatewatchError {
  return new GatewatchError('BAD_ARGUMENT', `bad cursor "${after}": pass a previous endCursor`);
}
