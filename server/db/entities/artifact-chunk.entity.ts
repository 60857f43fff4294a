import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Artifact } from './artifact.entity.js';

/** A slice of an artifact's gzip bytes: rows stay far below MySQL's packet limit. */
export const ArtifactChunk = defineEntity({
  name: 'ArtifactChunk',
  tableName: 'artifact_chunks',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    artifact: p.manyToOne(Artifact).deleteRule('cascade'),
    seq: p.integer(),
    data: p.blob().columnType('longblob'),
  }),
  uniques: [{ properties: ['artifact', 'seq'] }],
});
export type ArtifactChunk = InferEntity<typeof ArtifactChunk>;
