import type { Database } from '../../db/orm.js';
import type { Context } from '../../graphql/context.js';
import { batched } from '../../graphql/loaders.js';
import { ruleStats, rulesOfFingerprints, rulesOfResults } from './rule.service.js';
import { signaturesOfResults } from './signature.service.js';

/** A page of results costs one signature and one rule-hit query per run, not per result. */
export function signaturesLoaders(db: Database) {
  return {
    resultSignature: batched((keys: readonly string[]) => signaturesOfResults(db, keys), null),
    resultRules: batched((keys: readonly string[]) => rulesOfResults(db, keys), []),
    fingerprintRules: batched(
      (fingerprints: readonly string[]) => rulesOfFingerprints(db, fingerprints),
      [],
    ),
    knownIssueRule: batched(
      async (ids: readonly number[]) => new Map((await ruleStats(db, ids)).map((r) => [r.id, r])),
      null,
    ),
  };
}

export type SignaturesContext = Context<ReturnType<typeof signaturesLoaders>>;
