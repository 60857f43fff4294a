/**
 * A run's failures into the signature tables, in the run's transaction, set-based: the
 * signatures upserted in fingerprint order (concurrent ingests of the same signatures wait
 * for each other rather than deadlock), one link per failing result, the daily rollup, the
 * rules' hits, and a `signature.new` event for each signature this run saw first.
 */
import type { Knex } from '@mikro-orm/knex';
import type { BulkWriter } from '../../db/bulk.js';
import type { Dialect } from '../../db/orm.js';
import { timeParam, utcDay } from '../../db/sql.js';
import { recordInsightEvents, type NewSignatureEvent } from '../events.js';
import type { FailureLog, LoggedFailure } from './failure-log.js';

/** Ids per `where in` statement. */
const IDS_PER_STATEMENT = 500;

export interface SignedRun {
  id: number;
  uuid: string;
  runAt: Date;
  buildName: string | null;
}

/** The columns of `signatures` besides its id. */
export const SIGNATURE_COLUMNS = [
  'fingerprint',
  'summary',
  'normalised',
  'example_run_id',
  'example_seq',
  'first_seen',
  'last_seen',
  'failures',
  'runs',
];

export async function recordRunSignatures(
  trx: Knex,
  dialect: Dialect,
  bulk: BulkWriter,
  run: SignedRun,
  log: FailureLog,
): Promise<void> {
  await disableTimedOut(trx, log.timedOut);
  if (log.failures.length === 0) return;
  const bySignature = new Map<string, LoggedFailure[]>();
  for (const failure of log.failures) {
    const list = bySignature.get(failure.signature.fingerprint);
    if (list) list.push(failure);
    else bySignature.set(failure.signature.fingerprint, [failure]);
  }
  const fingerprints = [...bySignature.keys()].sort();
  const at = timeParam(dialect, run.runAt);
  const [min, max] = dialect === 'sqlite' ? ['min', 'max'] : ['least', 'greatest'];
  await bulk.upsert(
    'signatures',
    SIGNATURE_COLUMNS,
    ['fingerprint'],
    (incoming) =>
      `failures = signatures.failures + ${incoming('failures')}, runs = signatures.runs + 1, ` +
      `first_seen = ${min}(signatures.first_seen, ${incoming('first_seen')}), ` +
      `last_seen = ${max}(signatures.last_seen, ${incoming('last_seen')})`,
    fingerprints.map((fp) => {
      const [first, ...rest] = bySignature.get(fp)!;
      const { summary, normalised } = first!.signature;
      return [fp, summary, normalised, run.id, first!.seq, at, at, 1 + rest.length, 1];
    }),
  );
  // The example is the first failure ingested: a signature whose example is this run is new.
  const stored = await signaturesOf(trx, fingerprints);
  const isNew = (fp: string) => stored.get(fp)!.exampleRunId === run.id;
  const passed = log.runPassed;
  await bulk.insert(
    'result_signatures',
    ['run_id', 'seq', 'signature_id', 'test_id', 'is_new', 'run_passed'],
    log.failures.map((f) => {
      const fp = f.signature.fingerprint;
      return [run.id, f.seq, stored.get(fp)!.id, f.testRowId, Number(isNew(fp)), Number(passed)];
    }),
  );
  await bulk.addTo(
    'signature_daily',
    ['signature_id', 'build_name', 'day', 'failures', 'runs'],
    ['signature_id', 'build_name', 'day'],
    ['failures', 'runs'],
    fingerprints
      .map((fp) => [
        stored.get(fp)!.id,
        run.buildName ?? '',
        utcDay(run.runAt),
        bySignature.get(fp)!.length,
        1,
      ])
      .sort((a, b) => Number(a[0]) - Number(b[0])),
  );
  await bulk.insert(
    'rule_hits',
    ['rule_id', 'run_id', 'seq'],
    log.hits.map((hit) => [hit.rule, run.id, hit.seq]),
  );
  const events = fingerprints.filter(isNew).map((fp): NewSignatureEvent => ({
    kind: 'signature.new',
    fingerprint: fp,
    summary: bySignature.get(fp)![0]!.signature.summary,
    testId: bySignature.get(fp)![0]!.testId,
    run: run.uuid,
    at: run.runAt.toISOString(),
  }));
  await recordInsightEvents(trx, events);
}

/** Id and example run of the signatures with these fingerprints. */
async function signaturesOf(
  trx: Knex,
  fingerprints: readonly string[],
): Promise<Map<string, { id: number; exampleRunId: number }>> {
  const found = new Map<string, { id: number; exampleRunId: number }>();
  for (let i = 0; i < fingerprints.length; i += IDS_PER_STATEMENT) {
    const rows = (await trx('signatures')
      .select('id', 'fingerprint', 'example_run_id')
      .whereIn('fingerprint', fingerprints.slice(i, i + IDS_PER_STATEMENT))) as {
      id: number;
      fingerprint: string;
      example_run_id: number;
    }[];
    for (const row of rows) {
      found.set(row.fingerprint, { id: Number(row.id), exampleRunId: Number(row.example_run_id) });
    }
  }
  return found;
}

/** Records why rules that ran out of time are no longer applied. */
export async function disableTimedOut(
  trx: Knex,
  timedOut: readonly { rule: number; reason: string }[],
): Promise<void> {
  for (const { rule, reason } of timedOut) {
    await trx('known_issue_rules')
      .where('id', rule)
      .update({ disabled_reason: reason.slice(0, 500) });
  }
}
