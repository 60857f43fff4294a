import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Run } from './run.entity.js';

/** An original input file (subunit stream, dstat CSV), kept gzip-compressed in chunks. */
export const Artifact = defineEntity({
  name: 'Artifact',
  tableName: 'artifacts',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    run: p.manyToOne(Run).deleteRule('cascade'),
    kind: p.string().length(16),
    name: p.string().length(1024),
    contentType: p.string().length(255),
    /** Always `gzip`: chunks concatenated form one gzip stream. */
    encoding: p.string().length(16),
    /** Uncompressed size and its sha256. */
    size: p.bigint('number'),
    sha256: p.string().length(64),
    storedSize: p.bigint('number'),
  }),
});
export type Artifact = InferEntity<typeof Artifact>;
