/**
 * What the insights keep of a run that is being deleted (`deleteRun`): read while the run's
 * rows exist, taken back once they are gone, in the deletion's transaction.
 */
import type { Knex } from '@mikro-orm/knex';
import type { BulkWriter } from '../db/bulk.js';
import type { Dialect } from '../db/orm.js';
import { toDate } from '../db/sql.js';
import type { RunRow } from '../runs/run.service.js';
import { reverseFlakyRun } from './flaky/flaky-delete.js';
import { forgetRunSignatures, runSignatureCounts } from './signatures/run-forget.js';

/** Reads what the run's removal needs; the function it returns takes the run back out. */
export async function prepareRunRemoval(
  dialect: Dialect,
  trx: Knex,
  run: RunRow,
  testIds: readonly number[],
): Promise<(bulk: BulkWriter) => Promise<void>> {
  const signed = await runSignatureCounts(trx, run.id);
  return async (bulk) => {
    await reverseFlakyRun(dialect, trx, run, testIds);
    const runAt = toDate(run.run_at);
    await forgetRunSignatures(trx, bulk, { id: run.id, runAt, buildName: run.build_name }, signed);
  };
}
