import { defineEntity, type InferEntity } from '@mikro-orm/core';

/**
 * A test, known by its id without attributes, with running aggregates over every result.
 * Passes count success and xfail, failures count fail and uxsuccess (subunit2sql's rule).
 */
export const Test = defineEntity({
  name: 'Test',
  tableName: 'tests',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    testId: p.string().length(2048),
    /** sha256 of `testId`: ids can be longer than MySQL can index. */
    hash: p.string().length(64).unique(),
    runs: p.integer().default(0),
    successes: p.integer().default(0),
    failures: p.integer().default(0),
    skips: p.integer().default(0),
    /**
     * Microseconds summed over successful results (integers, so that taking a run out restores
     * the sum exactly); mean duration = successUs / successes.
     */
    successUs: p.bigint('number').default(0),
  }),
});
export type Test = InferEntity<typeof Test>;
