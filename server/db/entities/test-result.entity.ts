import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Run } from './run.entity.js';
import { Test } from './test.entity.js';

/** One attempt of one test in one run; a retried test has several. */
export const TestResult = defineEntity({
  name: 'TestResult',
  tableName: 'test_results',
  properties: (p) => ({
    id: p.bigint('number').primary().autoincrement(),
    run: p.manyToOne(Run).deleteRule('cascade'),
    // No FK constraint: InnoDB's shared locks on parent rows would deadlock parallel ingests
    // updating the same tests' aggregates. Tests are never deleted, so nothing dangles.
    test: p.manyToOne(Test).createForeignKeyConstraint(false),
    /** Order of the result in its stream. */
    seq: p.integer(),
    status: p.string().length(10),
    startUs: p.bigint('number').nullable(),
    stopUs: p.bigint('number').nullable(),
    /** Seconds; null when the stream gave no times. */
    duration: p.double().$type<number>().runtimeType('number').nullable(),
    worker: p.integer().nullable(),
    routeCode: p.string().length(255).nullable(),
    /** Space-separated, sorted. */
    tags: p.text(),
    /** The trailing `[...]` group of the raw id, without brackets; empty when none. */
    attrs: p.string().length(1024),
  }),
  uniques: [{ properties: ['run', 'seq'] }],
  indexes: [
    { properties: ['test', 'run'] },
    // The failing results of a few runs ("failed tests in the last N failed runs", feeds).
    { properties: ['run', 'status'] },
  ],
});
export type TestResult = InferEntity<typeof TestResult>;
