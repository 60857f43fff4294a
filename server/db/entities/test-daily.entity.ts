import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Test } from './test.entity.js';

/**
 * Results of a test per UTC day and job, maintained on ingest so trends never scan results.
 * `buildName` is empty for runs without a job.
 */
export const TestDaily = defineEntity({
  name: 'TestDaily',
  tableName: 'test_daily',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    // No FK constraint: InnoDB's shared locks on parent rows would deadlock parallel ingests
    // updating the same tests' aggregates. Tests are never deleted, so nothing dangles.
    test: p.manyToOne(Test).createForeignKeyConstraint(false),
    buildName: p.string().length(255),
    day: p.date(),
    runs: p.integer(),
    successes: p.integer(),
    failures: p.integer(),
    skips: p.integer(),
    successTime: p.double().$type<number>().runtimeType('number'),
  }),
  uniques: [{ properties: ['test', 'buildName', 'day'] }],
  indexes: [{ properties: ['buildName', 'day'] }],
});
export type TestDaily = InferEntity<typeof TestDaily>;
