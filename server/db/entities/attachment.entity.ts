import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Run } from './run.entity.js';

/**
 * A file from the stream: a test's (`traceback`, `stdout`, `reason`, `pythonlogging:''`) or,
 * with no result, the run's own (runner output, parser errors).
 */
export const Attachment = defineEntity({
  name: 'Attachment',
  tableName: 'attachments',
  properties: (p) => ({
    id: p.bigint('number').primary().autoincrement(),
    run: p.manyToOne(Run).deleteRule('cascade'),
    /** The `seq` of the result in its run; null for the run's own files. */
    resultSeq: p.integer().nullable(),
    name: p.string().length(255),
    mime: p.string().length(255),
    size: p.integer(),
    content: p.blob().columnType('longblob').lazy(true, false),
  }),
  indexes: [{ properties: ['run', 'resultSeq'] }],
});
export type Attachment = InferEntity<typeof Attachment>;
