import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Run } from './run.entity.js';
import { TestResult } from './test-result.entity.js';

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
    result: p.manyToOne(TestResult).nullable().deleteRule('cascade'),
    name: p.string().length(255),
    mime: p.string().length(255),
    size: p.integer(),
    content: p.blob().columnType('longblob').lazy(true, false),
  }),
});
export type Attachment = InferEntity<typeof Attachment>;
