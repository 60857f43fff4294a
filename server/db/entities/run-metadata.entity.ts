import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Run } from './run.entity.js';

/** A key/value pair describing a run (`build_name`, `project`, `build_change`, anything). */
export const RunMetadata = defineEntity({
  name: 'RunMetadata',
  tableName: 'run_metadata',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    run: p.manyToOne(Run).deleteRule('cascade'),
    key: p.string().length(191),
    value: p.string().length(512),
  }),
  indexes: [{ properties: ['key', 'value'] }],
  uniques: [{ properties: ['run', 'key'] }],
});
export type RunMetadata = InferEntity<typeof RunMetadata>;
