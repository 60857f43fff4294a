/** Reads of the test catalogue; per-test analytics live in test-analytics.service.ts. */
import type { Knex } from '@mikro-orm/knex';
import type { Database } from '../db/orm.js';
import {
  decodeCursor,
  decodeOffset,
  pageSize,
  toPage,
  type Page,
  type PageRequest,
} from '../db/page.js';
import { bytewise } from '../db/sql.js';
import { checkPatternInDatabase, checkTestIdFilter, whereTestId } from '../db/test-id-filter.js';
import { naturalDirection, orderOfTests, type TestsOrder } from '../db/test-ranking.js';
import { hashTestId } from '../db/test-key.js';
import { GatewatchError } from '../errors.js';
import { checkTracebackSearch, whereTracebackHolds } from './traceback-search.js';
import type { Test, TestFilter } from './test.type.js';

export interface TestRow {
  id: number;
  test_id: string;
  runs: number;
  successes: number;
  failures: number;
  skips: number;
  success_us: number;
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
    meanDuration: row.successes === 0 ? null : Number(row.success_us) / 1e6 / row.successes,
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
 * Tests matching the filter, ranked, one page. Test id texts match case-sensitively and ids
 * sort byte by byte in both dialects: SQLite's LIKE ignores ASCII case and MySQL's
 * utf8mb4_bin pads with spaces, so neither LIKE nor a plain ORDER BY would give the same
 * answers on both. By id, the cursor is the last id (a keyset); by a figure it is a
 * position, as figures change between pages and floating-point keys could skip or repeat.
 */
export async function listTests(
  db: Database,
  filter: TestFilter | undefined,
  args: PageRequest,
  order: TestsOrder = { rank: 'test_id' },
): Promise<Page<Test>> {
  checkTestIdFilter(filter);
  checkTracebackSearch(filter?.tracebackContains);
  await checkPatternInDatabase(db, filter);
  const size = pageSize(args);
  const direction = order.direction ?? naturalDirection(order.rank);
  const filtered = (query: Knex.QueryBuilder) =>
    whereTracebackHolds(
      whereTestId(query, db.dialect, 'tests.test_id', filter),
      db,
      'tests.id',
      filter?.tracebackContains,
    );
  const total = async () => {
    const [{ n }] = await filtered(db.knex('tests').count({ n: '*' }));
    return Number(n);
  };
  const orderBy = orderOfTests(db.dialect, order.rank, direction, 'tests', 'tests.test_id');
  if (order.rank !== 'test_id') {
    const offset = decodeOffset(args.after);
    const rows: TestRow[] = await filtered(db.knex('tests').select('tests.*'))
      .orderByRaw(orderBy)
      .limit(size + 1)
      .offset(offset);
    return toPage(
      rows.map((row, i) => ({ row, at: offset + i + 1 })),
      size,
      ({ at }) => [at],
      ({ row }) => testOf(row),
      total,
    );
  }
  const after = decodeCursor(args.after);
  const query = filtered(db.knex('tests').select('tests.*'));
  if (after) {
    if (after.length !== 1 || typeof after[0] !== 'string') throw badCursor(args.after);
    const id = bytewise(db.dialect, 'tests.test_id');
    const param = bytewise(db.dialect, '?');
    query.whereRaw(`${id} ${direction === 'asc' ? '>' : '<'} ${param}`, [after[0]]);
  }
  const rows: TestRow[] = await query.orderByRaw(orderBy).limit(size + 1);
  return toPage(rows, size, (row) => [row.test_id], testOf, total);
}

/** A cursor of another list (decodeCursor checks only that it is one). */
export function badCursor(after: string | null | undefined): GatewatchError {
  return new GatewatchError('BAD_ARGUMENT', `bad cursor "${after}": pass a previous endCursor`);
}
