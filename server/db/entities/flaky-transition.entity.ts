import { defineEntity, type InferEntity } from '@mikro-orm/core';

/** A verdict's history: one row per change of a test's standing on a scope. */
export const FlakyTransition = defineEntity({
  name: 'FlakyTransition',
  tableName: 'flaky_transitions',
  properties: (p) => ({
    id: p.bigint('number').primary().autoincrement(),
    testId: p.integer().unsigned(),
    scope: p.string().length(530),
    fromVerdict: p.string().length(16).nullable(),
    toVerdict: p.string().length(16),
    reason: p.string().length(16).nullable(),
    at: p.datetime(),
    /** The run whose ingest made it (taken back with the run); null: the sweep. */
    runId: p.integer().unsigned().nullable().index(),
  }),
  indexes: [{ properties: ['testId', 'scope'] }],
});
export type FlakyTransition = InferEntity<typeof FlakyTransition>;
