import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Run } from './run.entity.js';

/** The dstat recording of a run: sample times; each column is a DstatSeries. */
export const Dstat = defineEntity({
  name: 'Dstat',
  tableName: 'dstats',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    run: p.manyToOne(Run).unique().deleteRule('cascade'),
    producer: p.string().length(255).nullable(),
    host: p.string().length(255).nullable(),
    cmdline: p.string().length(1024).nullable(),
    samples: p.integer(),
    startMs: p.bigint('number').nullable(),
    stopMs: p.bigint('number').nullable(),
    /** Epoch milliseconds of each sample. */
    times: p.json<number[]>(),
  }),
});
export type Dstat = InferEntity<typeof Dstat>;
