import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { KnownIssueRule } from './known-issue-rule.entity.js';
import { Run } from './run.entity.js';

/** A failing result (run and seq as in `test_results`) a known-issue rule matched. */
export const RuleHit = defineEntity({
  name: 'RuleHit',
  tableName: 'rule_hits',
  primaryKeys: ['rule', 'run', 'seq'],
  properties: (p) => ({
    rule: p.manyToOne(KnownIssueRule).primary().deleteRule('cascade'),
    run: p.manyToOne(Run).primary().deleteRule('cascade'),
    seq: p.integer().primary(),
  }),
  // A result's known issues; the run's removal.
  indexes: [{ properties: ['run', 'seq'] }],
});
export type RuleHit = InferEntity<typeof RuleHit>;
