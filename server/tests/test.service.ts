/** Reads of the test catalogue; per-test analytics live in test-analytics.service.ts. */
import type { Knex } from '@mikro-orm/knex';
import type { Test } from './test.type.js';

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
