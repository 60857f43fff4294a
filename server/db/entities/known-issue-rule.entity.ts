import { defineEntity, type InferEntity } from '@mikro-orm/core';

/** A known issue: failures matching a pattern (or with a signature) are this bug. */
export const KnownIssueRule = defineEntity({
  name: 'KnownIssueRule',
  tableName: 'known_issue_rules',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    /** `message`, `traceback` or `test` (a regular expression on it), or `fingerprint`. */
    field: p.string().length(16),
    pattern: p.string().length(1000),
    bugUrl: p.string().length(1000),
    title: p.string().length(255),
    createdAt: p.datetime(),
    /** Why the rule is no longer applied (a match ran out of time); null while it is. */
    disabledReason: p.string().length(500).nullable(),
  }),
});
export type KnownIssueRule = InferEntity<typeof KnownIssueRule>;
