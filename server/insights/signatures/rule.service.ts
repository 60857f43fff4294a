/**
 * Known-issue rules: added (checked, then applied to the newest stored failures in batches),
 * removed, listed with their hits and their precision and staleness flags; and the share of
 * failures with a known cause over time. No GraphQL here.
 */
import type { Config } from '../../config/config.js';
import type { Database } from '../../db/orm.js';
import { bucketStartMs, timeParam, toDate } from '../../db/sql.js';
import { GatewatchError } from '../../errors.js';
import { applyToPast } from './rule-backfill.js';
import { checkRulePattern, type RuleField } from './rule-matcher.js';

export type RuleSettings = Config['signatures'];

export interface NewRule {
  field: RuleField;
  pattern: string;
  bugUrl: string;
  title: string;
}

export interface RuleRow extends NewRule {
  id: number;
  createdAt: Date;
  /** Why it is no longer applied (a match ran out of time); null while it is. */
  disabledReason: string | null;
  hits: number;
  /** Hits on runs that passed after retries. */
  passedHits: number;
  lastHit: Date | null;
  /** More than `imprecisePercent` % of its hits on runs that passed after retries. */
  imprecise: boolean;
  /** No hit (or, without hits, no creation) for `staleAfter`. */
  stale: boolean;
}

/** Failures with a known cause in one day. */
export interface KnownCausePoint {
  start: Date;
  /** Failing results with a signature. */
  failures: number;
  /** Those a rule matched. */
  known: number;
}

/** Checks and stores a rule, applies it to the newest stored failures; returns it with its hits. */
export async function addRule(
  db: Database,
  settings: RuleSettings,
  rule: NewRule,
): Promise<RuleRow> {
  checkRulePattern(rule.field, rule.pattern, settings.maxPattern);
  checkText('title', rule.title, 255);
  checkText('bug URL', rule.bugUrl, 1000);
  if (!/^https?:\/\/\S+$/.test(rule.bugUrl)) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `bug URL "${rule.bugUrl.slice(0, 80)}" is not an http(s) URL`,
    );
  }
  const id = await db.knex.transaction(async (trx) => {
    const [{ n }] = (await trx('known_issue_rules').count({ n: '*' })) as [{ n: number | string }];
    if (Number(n) >= settings.maxRules) {
      throw new GatewatchError(
        'BAD_ARGUMENT',
        `there are ${n} known-issue rules already, the most signatures.maxRules allows: remove one first`,
      );
    }
    const [inserted] = await trx('known_issue_rules').insert({
      field: rule.field,
      pattern: rule.pattern,
      bug_url: rule.bugUrl,
      title: rule.title,
      created_at: timeParam(db.dialect, new Date()),
      disabled_reason: null,
    });
    const ruleId = Number(inserted);
    await applyToPast(db, trx, ruleId, settings);
    return ruleId;
  });
  return (await listRules(db, settings, id))[0]!;
}

/** Deletes a rule (its id as given) and its hits; throws RULE_NOT_FOUND when there is none. */
export async function removeRule(db: Database, id: string): Promise<void> {
  const deleted = /^\d{1,10}$/.test(id)
    ? await db.knex('known_issue_rules').where('id', Number(id)).delete()
    : 0;
  if (deleted === 0)
    throw new GatewatchError('RULE_NOT_FOUND', `no known-issue rule with id ${id}`);
}

/** Every rule (or the one with `id`), oldest first, with its hits and flags. */
export async function listRules(
  db: Database,
  settings: RuleSettings,
  id?: number,
): Promise<RuleRow[]> {
  const rows = await ruleStats(db, id === undefined ? undefined : [id]);
  return rows.map((row) => flagRule(row, settings));
}

/** A rule with its hits, before the settings judge them. */
export type RuleStats = Omit<RuleRow, 'imprecise' | 'stale'>;

/** Every rule (or those with `ids`), oldest first, with its hits. */
export async function ruleStats(db: Database, ids?: readonly number[]): Promise<RuleStats[]> {
  const { knex } = db;
  const stats = knex('rule_hits as h')
    .join('result_signatures as s', (on) => on.on('s.run_id', 'h.run_id').andOn('s.seq', 'h.seq'))
    .join('runs as r', 'r.id', 'h.run_id')
    .select('h.rule_id')
    .count({ hits: '*' })
    .sum({ passed_hits: 's.run_passed' })
    .max({ last_hit: 'r.run_at' })
    .groupBy('h.rule_id');
  const query = knex('known_issue_rules as k')
    .leftJoin(stats.as('st'), 'st.rule_id', 'k.id')
    .select('k.*', 'st.hits', 'st.passed_hits', 'st.last_hit')
    .orderBy('k.id');
  if (ids !== undefined) {
    stats.whereIn('h.rule_id', ids);
    query.whereIn('k.id', ids);
  }
  const rows = (await query) as Record<string, unknown>[];
  return rows.map((row) => ({
    id: Number(row.id),
    field: row.field as RuleField,
    pattern: String(row.pattern),
    bugUrl: String(row.bug_url),
    title: String(row.title),
    createdAt: toDate(row.created_at),
    disabledReason: (row.disabled_reason as string | null) ?? null,
    hits: Number(row.hits ?? 0),
    passedHits: Number(row.passed_hits ?? 0),
    lastHit: row.last_hit === null || row.last_hit === undefined ? null : toDate(row.last_hit),
  }));
}

/** The imprecise and stale flags of a rule (README "Failure signatures and known issues"). */
export function flagRule(rule: RuleStats, settings: RuleSettings): RuleRow {
  const { hits, passedHits } = rule;
  return {
    ...rule,
    imprecise: hits > 0 && passedHits * 100 > settings.imprecisePercent * hits,
    stale: (rule.lastHit ?? rule.createdAt).getTime() < Date.now() - settings.staleAfter,
  };
}

/** Per day since `since`: failing results with a signature, and those a rule matched. */
export async function knownCauseShare(db: Database, since: Date): Promise<KnownCausePoint[]> {
  const { knex, dialect } = db;
  const bucket = bucketStartMs(dialect, 'r.run_at', 'day');
  const rows = (await knex('result_signatures as s')
    .join('runs as r', 'r.id', 's.run_id')
    .select(
      knex.raw(`${bucket} as start`),
      knex.raw('count(*) as failures'),
      knex.raw(
        'sum(case when exists (select 1 from rule_hits h where h.run_id = s.run_id and h.seq = s.seq) then 1 else 0 end) as known',
      ),
    )
    .where('r.run_at', '>=', timeParam(dialect, since))
    .groupByRaw(bucket)
    .orderBy('start')) as { start: number | string; failures: number; known: number }[];
  return rows.map((r) => ({
    start: new Date(Number(r.start)),
    failures: Number(r.failures),
    known: Number(r.known),
  }));
}

/** The fingerprint rules naming these fingerprints: rule ids by fingerprint. */
export async function rulesOfFingerprints(
  db: Database,
  fingerprints: readonly string[],
): Promise<Map<string, number[]>> {
  const rows = (await db
    .knex('known_issue_rules')
    .select('id', 'pattern')
    .where('field', 'fingerprint')
    .whereIn('pattern', fingerprints)
    .orderBy('id')) as { id: number; pattern: string }[];
  const found = new Map<string, number[]>();
  for (const row of rows)
    found.set(row.pattern, [...(found.get(row.pattern) ?? []), Number(row.id)]);
  return found;
}

/** The rules that matched failing results, by `RUN_ROW_ID:SEQ`. */
export async function rulesOfResults(
  db: Database,
  keys: readonly string[],
): Promise<Map<string, number[]>> {
  const found = new Map<string, number[]>();
  const pairs = keys.map((key) => key.split(':').map(Number) as [number, number]);
  for (const run of new Set(pairs.map(([r]) => r))) {
    const seqs = pairs.filter(([r]) => r === run).map(([, s]) => s);
    const rows = (await db
      .knex('rule_hits')
      .select('seq', 'rule_id')
      .where('run_id', run)
      .whereIn('seq', seqs)
      .orderBy('rule_id')) as { seq: number; rule_id: number }[];
    for (const row of rows) {
      const key = `${run}:${row.seq}`;
      found.set(key, [...(found.get(key) ?? []), Number(row.rule_id)]);
    }
  }
  return found;
}

function checkText(what: string, text: string, max: number): void {
  if (text.trim() === '' || text.length > max) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `the ${what} is ${text.length} characters long; 1 to ${max} are allowed`,
    );
  }
}
