import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Dstat } from './dstat.entity.js';

/** One dstat column (`total_cpu_usage_usr`, `memory_usage_used`, …) over the samples. */
export const DstatSeries = defineEntity({
  name: 'DstatSeries',
  tableName: 'dstat_series',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    dstat: p.manyToOne(Dstat).deleteRule('cascade'),
    key: p.string().length(191),
    values: p.json<(number | null)[]>(),
  }),
  uniques: [{ properties: ['dstat', 'key'] }],
});
export type DstatSeries = InferEntity<typeof DstatSeries>;
