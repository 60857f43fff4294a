import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Run } from './run.entity.js';

/**
 * A run's artifacts URL as the CI builds know it: sha256 of the URL without trailing slashes,
 * so that a build reported after its run is ingested finds the run by an index.
 */
export const RunLogKey = defineEntity({
  name: 'RunLogKey',
  tableName: 'run_log_keys',
  properties: (p) => ({
    run: p.manyToOne(Run).primary().deleteRule('cascade').index(false),
    logKey: p.string().length(64).index(),
  }),
});
export type RunLogKey = InferEntity<typeof RunLogKey>;
