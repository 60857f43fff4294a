import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Signature } from './signature.entity.js';

/**
 * A signature's failures per UTC day and job, maintained on ingest so its trend never scans
 * results. `buildName` is empty for runs without a job.
 */
export const SignatureDaily = defineEntity({
  name: 'SignatureDaily',
  tableName: 'signature_daily',
  primaryKeys: ['signature', 'buildName', 'day'],
  properties: (p) => ({
    signature: p.manyToOne(Signature).primary().createForeignKeyConstraint(false),
    buildName: p.string().length(255).primary(),
    day: p.date().primary(),
    failures: p.integer(),
    runs: p.integer(),
  }),
});
export type SignatureDaily = InferEntity<typeof SignatureDaily>;
