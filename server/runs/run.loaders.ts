import type { Database } from '../db/orm.js';
import type { Context } from '../graphql/context.js';
import { batched } from '../graphql/loaders.js';
import { artifactsByRunId, dstatsByRunId } from './artifact.service.js';
import { attachmentContent, attachmentsByResult, runAttachmentsByRunId } from './result.service.js';
import { metadataByRunId, runsByRowId } from './run.service.js';

/** Batches the run lookups of one request: a page of N runs costs one metadata query, not N. */
export function runsLoaders(db: Database) {
  return {
    run: batched((ids: readonly number[]) => runsByRowId(db.knex, ids), null),
    metadata: batched((ids: readonly number[]) => metadataByRunId(db.knex, ids), []),
    attachments: batched((keys: readonly string[]) => attachmentsByResult(db.knex, keys), []),
    runAttachments: batched((ids: readonly number[]) => runAttachmentsByRunId(db.knex, ids), []),
    artifacts: batched((ids: readonly number[]) => artifactsByRunId(db.knex, ids), []),
    dstat: batched((ids: readonly number[]) => dstatsByRunId(db.knex, ids), null),
    attachmentContent: batched(
      (ids: readonly string[]) => attachmentContent(db.knex, ids),
      Buffer.alloc(0),
    ),
  };
}

export type RunsContext = Context<ReturnType<typeof runsLoaders>>;
