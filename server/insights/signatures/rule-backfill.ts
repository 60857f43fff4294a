/** A new known-issue rule applied to the failures stored before it, in bounded batches. */
import type { Knex } from '@mikro-orm/knex';
import { messageOf } from '../../../workers/signatures/normalise.js';
import { createBulkWriter } from '../../db/bulk.js';
import type { Database } from '../../db/orm.js';
import { loadRules } from './failure-log.js';
import { RuleMatcher, type FailureText } from './rule-matcher.js';
import type { RuleSettings } from './rule.service.js';
import { disableTimedOut } from './run-signatures.js';

/** Failures read per statement when a new rule is applied to the past. */
const BACKFILL_BATCH = 500;

/**
 * Applies a new rule to the newest `settings.backfill` stored failures, newest first, one batch
 * at a time: each batch is matched under the timeout, so a slow pattern is disabled after one.
 */
export async function applyToPast(
  db: Database,
  trx: Knex.Transaction,
  ruleId: number,
  settings: RuleSettings,
) {
  const rule = (await loadRules(trx)).find((r) => r.id === ruleId)!;
  const matcher = new RuleMatcher([rule], settings.matchTimeout);
  const bulk = await createBulkWriter(db.dialect, trx);
  const tail =
    db.dialect === 'sqlite'
      ? `substr(a.content, -${settings.tracebackBytes})`
      : `right(a.content, ${settings.tracebackBytes})`;
  const readsText = rule.field === 'message' || rule.field === 'traceback';
  let last: [number, number] | null = null;
  for (let read = 0; read < settings.backfill && !matcher.empty;) {
    const size = Math.min(BACKFILL_BATCH, settings.backfill - read);
    const query = trx('result_signatures as s')
      .join('signatures as g', 'g.id', 's.signature_id')
      .join('tests as t', 't.id', 's.test_id')
      .select('s.run_id', 's.seq', 'g.fingerprint', 't.test_id as test')
      .orderBy([
        { column: 's.run_id', order: 'desc' },
        { column: 's.seq', order: 'desc' },
      ])
      .limit(size);
    if (readsText) {
      query
        .leftJoin('attachments as a', (on) =>
          on
            .on('a.run_id', 's.run_id')
            .andOn('a.result_seq', 's.seq')
            .andOnVal('a.name', 'traceback'),
        )
        .select(trx.raw(`${tail} as traceback`));
    }
    if (last) {
      const [run, seq] = last;
      query.where((w) =>
        w
          .where('s.run_id', '<', run)
          .orWhere((o) => o.where('s.run_id', run).where('s.seq', '<', seq)),
      );
    }
    const rows = (await query) as {
      run_id: number;
      seq: number;
      fingerprint: string;
      test: string;
      traceback?: unknown;
    }[];
    if (rows.length === 0) break;
    const texts = rows.map((row): FailureText => {
      const traceback = row.traceback
        ? Buffer.from(row.traceback as Uint8Array).toString('utf8')
        : '';
      return {
        message: messageOf(traceback),
        traceback,
        test: row.test,
        fingerprint: row.fingerprint,
      };
    });
    const outcome = matcher.match(texts);
    await bulk.insert(
      'rule_hits',
      ['rule_id', 'run_id', 'seq'],
      outcome.hits.map((hit) => [
        ruleId,
        Number(rows[hit.failure]!.run_id),
        Number(rows[hit.failure]!.seq),
      ]),
    );
    await disableTimedOut(trx, outcome.timedOut);
    read += rows.length;
    const end = rows.at(-1)!;
    last = [Number(end.run_id), Number(end.seq)];
  }
}
