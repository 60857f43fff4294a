import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Test } from './test.entity.js';

/**
 * A test's standing on one scope (server/insights/flaky/): a row exists once the test failed
 * there, so listing verdicts never reads results. Maintained on ingest and by the sweep.
 */
export const FlakyVerdict = defineEntity({
  name: 'FlakyVerdict',
  tableName: 'flaky_verdicts',
  primaryKeys: ['test', 'scope'],
  properties: (p) => ({
    // No FK constraint, as test_daily: parallel ingests would deadlock on the tests' rows.
    test: p.manyToOne(Test).primary().createForeignKeyConstraint(false),
    /** `job:NAME`, `project:NAME`, `branch:NAME` or `queue:NAME`. */
    scope: p.string().length(530).primary(),
    /** `flaky`, `broken`, `fixed`; null: failed there, no verdict yet. */
    verdict: p.string().length(16).nullable(),
    /** Why: `same-code`, `transitions` or `broken`. */
    reason: p.string().length(16).nullable(),
    /** Its first and latest failure on the scope. */
    firstSeen: p.datetime(),
    lastSeen: p.datetime(),
    /** When the verdict last changed. */
    changedAt: p.datetime().nullable(),
  }),
  indexes: [{ properties: ['verdict', 'lastSeen'] }],
});
export type FlakyVerdict = InferEntity<typeof FlakyVerdict>;
