/**
 * Takes a deleted run out of the signatures: its failures per signature are read while its
 * rows exist (its links and rule hits go with it by cascade), then the counts and the daily
 * rollup lose them, a signature it alone had is deleted, and one whose example or first/last
 * sighting it was gets them from its other runs.
 */
import type { Knex } from '@mikro-orm/knex';
import type { BulkWriter } from '../../db/bulk.js';
import { utcDay } from '../../db/sql.js';
import type { SignedRun } from './run-signatures.js';

/** A run's failures per signature, read before the run's rows go (they cascade with it). */
export type RunSignatureCounts = { signature_id: number; failures: number | string }[];

export async function runSignatureCounts(trx: Knex, runId: number): Promise<RunSignatureCounts> {
  return (await trx('result_signatures')
    .select('signature_id')
    .count({ failures: '*' })
    .where('run_id', runId)
    .groupBy('signature_id')
    .orderBy('signature_id')) as RunSignatureCounts;
}

export async function forgetRunSignatures(
  trx: Knex,
  bulk: BulkWriter,
  run: Omit<SignedRun, 'uuid'>,
  counts: RunSignatureCounts,
): Promise<void> {
  if (counts.length === 0) return;
  const ids = counts.map((c) => Number(c.signature_id));
  await bulk.addTo(
    'signature_daily',
    ['signature_id', 'build_name', 'day', 'failures', 'runs'],
    ['signature_id', 'build_name', 'day'],
    ['failures', 'runs'],
    counts.map((c) => [
      Number(c.signature_id),
      run.buildName ?? '',
      utcDay(run.runAt),
      -Number(c.failures),
      -1,
    ]),
    { rowsExist: true },
  );
  await trx('signature_daily').whereIn('signature_id', ids).where('runs', '<=', 0).delete();
  for (const c of counts) {
    await trx('signatures')
      .where('id', c.signature_id)
      .update({
        failures: trx.raw('failures - ?', [Number(c.failures)]),
        runs: trx.raw('runs - 1'),
      });
  }
  await trx('signatures').whereIn('id', ids).where('runs', '<=', 0).delete();
  for (const id of ids) await refreshSighting(trx, id, run.id);
}

/** A signature's example and first/last seen, from its results outside the deleted run. */
async function refreshSighting(
  trx: Knex,
  signatureId: number,
  deletedRunId: number,
): Promise<void> {
  const span = (await trx('result_signatures as s')
    .join('runs as r', 'r.id', 's.run_id')
    .where('s.signature_id', signatureId)
    .whereNot('s.run_id', deletedRunId)
    .min({ first: 'r.run_at' })
    .max({ last: 'r.run_at' })
    .first()) as { first: unknown; last: unknown } | undefined;
  if (!span || span.first === null) return;
  const example = (await trx('result_signatures')
    .select('run_id', 'seq')
    .where('signature_id', signatureId)
    .whereNot('run_id', deletedRunId)
    .orderBy([{ column: 'run_id' }, { column: 'seq' }])
    .first()) as { run_id: number; seq: number };
  await trx('signatures').where('id', signatureId).update({
    first_seen: span.first,
    last_seen: span.last,
    example_run_id: example.run_id,
    example_seq: example.seq,
  });
}
