/**
 * The recheck-cost rankings (README "Recheck cost"): each attributed re-run's node-hours split
 * equally among the distinct tests, or signatures, of its attributed failures.
 */
import type { Database } from '../../db/orm.js';
import { groupBy } from '../../db/rows.js';
import { bytewise } from '../../db/sql.js';
import { signaturesById, type SignatureRow } from '../signatures/signature.service.js';
import { withReruns, type RerunScope } from './reruns.js';

export const HOUR_S = 3600;

export interface TestRecheckCost {
  testId: string;
  reruns: number;
  nodeHours: number;
  /** The scopes it is flaky on (empty: a known issue attributed it). */
  flakyScopes: string[];
}

export interface SignatureRecheckCost {
  signature: SignatureRow;
  /** The known-issue rules that hit its failures or name its fingerprint, by id. */
  ruleIds: number[];
  reruns: number;
  nodeHours: number;
}

type Row = Record<string, unknown>;

/** What a ranking's key names, for its order's tie-break and its answer. */
const NAMES = {
  test_id: { table: 'tests', column: 'test_id' },
  signature_id: { table: 'signatures', column: 'fingerprint' },
} as const;

/**
 * Each re-run's cost split equally among the distinct `key`s (test or signature) of its
 * attributed failures, summed per key: the `first` costliest, then by name in byte order.
 */
async function ranked(
  db: Database,
  scope: RerunScope,
  key: keyof typeof NAMES,
  first: number,
): Promise<{ id: number; name: string; reruns: number; nodeHours: number }[]> {
  const { knex } = db;
  const { table, column } = NAMES[key];
  const shares = knex('blamed').whereNotNull(key).distinct('rerun_id', key);
  const counts = knex('shares').groupBy('rerun_id').select('rerun_id', knex.raw('count(*) as n'));
  const rows = (await withReruns(db, scope)
    .with('shares', shares)
    .with('counts', counts)
    .from('shares as s')
    .join('counts as n', 'n.rerun_id', 's.rerun_id')
    .join('reruns as x', 'x.id', 's.rerun_id')
    .join(`${table} as named`, 'named.id', `s.${key}`)
    .groupBy(`s.${key}`, `named.${column}`)
    .select(
      `s.${key} as id`,
      `named.${column} as name`,
      knex.raw('count(*) as reruns'),
      knex.raw('sum(x.seconds * 1e0 / n.n) as seconds'),
    )
    .orderByRaw(`seconds desc, ${bytewise(db.dialect, `named.${column}`)}`)
    .limit(first)) as Row[];
  return rows.map((r) => ({
    id: Number(r.id),
    name: String(r.name),
    reruns: Number(r.reruns),
    nodeHours: Number(r.seconds) / HOUR_S,
  }));
}

export async function rankTests(
  db: Database,
  scope: RerunScope,
  first: number,
): Promise<TestRecheckCost[]> {
  const tests = await ranked(db, scope, 'test_id', first);
  const verdicts = (await db
    .knex('flaky_verdicts')
    .whereIn(
      'test_id',
      tests.map((t) => t.id),
    )
    .where('verdict', 'flaky')
    .select('test_id', 'scope')
    .orderBy('scope')) as Row[];
  const scopesOf = groupBy(
    verdicts,
    (v) => Number(v.test_id),
    (v) => String(v.scope),
  );
  return tests.map((t) => ({
    testId: t.name,
    reruns: t.reruns,
    nodeHours: t.nodeHours,
    flakyScopes: scopesOf.get(t.id) ?? [],
  }));
}

export async function rankSignatures(
  db: Database,
  scope: RerunScope,
  first: number,
): Promise<SignatureRecheckCost[]> {
  const ranking = await ranked(db, scope, 'signature_id', first);
  const ids = ranking.map((s) => s.id);
  const [signatures, rules] = await Promise.all([
    signaturesById(db, ids),
    rulesOfSignatures(db, ids),
  ]);
  return ranking.map((s) => ({
    signature: signatures.get(s.id)!,
    ruleIds: rules.get(s.id) ?? [],
    reruns: s.reruns,
    nodeHours: s.nodeHours,
  }));
}

/** The rules that hit failures with these signatures or name their fingerprints, by signature. */
async function rulesOfSignatures(
  db: Database,
  ids: readonly number[],
): Promise<Map<number, number[]>> {
  const { knex } = db;
  const hit = knex('result_signatures as rs')
    .join('rule_hits as h', (on) => on.on('h.run_id', 'rs.run_id').andOn('h.seq', 'rs.seq'))
    .whereIn('rs.signature_id', ids)
    .select('rs.signature_id', 'h.rule_id');
  const named = knex('signatures as g')
    .join('known_issue_rules as k', 'k.pattern', 'g.fingerprint')
    .where('k.field', 'fingerprint')
    .whereIn('g.id', ids)
    .select('g.id as signature_id', 'k.id as rule_id');
  // `union` drops the rules found both ways, and the many hits of one rule.
  const rows = (await knex
    .from(hit.union(named).as('u'))
    .select('u.signature_id', 'u.rule_id')
    .orderBy(['u.signature_id', 'u.rule_id'])) as Row[];
  return groupBy(
    rows,
    (r) => Number(r.signature_id),
    (r) => Number(r.rule_id),
  );
}
