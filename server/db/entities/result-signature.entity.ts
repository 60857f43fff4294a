import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Run } from './run.entity.js';
import { Signature } from './signature.entity.js';
import { Test } from './test.entity.js';

/** The signature of one failing result (run and seq as in `test_results`). */
export const ResultSignature = defineEntity({
  name: 'ResultSignature',
  tableName: 'result_signatures',
  primaryKeys: ['run', 'seq'],
  properties: (p) => ({
    run: p.manyToOne(Run).primary().deleteRule('cascade'),
    seq: p.integer().primary(),
    // No FK constraints: InnoDB's shared locks on parent rows would deadlock parallel ingests
    // of the same signatures; a signature is deleted only once no row here names it.
    signature: p.manyToOne(Signature).createForeignKeyConstraint(false),
    test: p.manyToOne(Test).createForeignKeyConstraint(false),
    /** The signature was never seen before this failure's run. */
    isNew: p.boolean(),
    /** The run passed after retries (README "Known-issue rules"): every test it failed passed later in it. */
    runPassed: p.boolean(),
  }),
  indexes: [{ properties: ['signature', 'run'] }],
});
export type ResultSignature = InferEntity<typeof ResultSignature>;
