import { linkRun } from '../cis/run-link.js';
import type { Database } from '../db/orm.js';
import { logInternal } from '../graphql/errors.js';
import type { Events } from '../graphql/pubsub.js';
import { metadataByRunId, type RunRow } from '../runs/run.service.js';
import { runIngested } from '../runs/run.topics.js';
import { ingestRun, type IngestInput, type IngestSummary } from './ingest.js';
import type { ParserPool } from './pool.js';

/**
 * The one way a run is stored — by the CLI, an upload, and every other intake — so that every
 * stored run is announced to `runIngested` subscribers.
 */
export interface IngestService {
  /** Stores one run ({@link ingestRun}); a new run is then published, a duplicate is not. */
  ingest(input: IngestInput): Promise<IngestSummary>;
}

export function createIngestService(deps: {
  db: Database;
  pool: ParserPool;
  events: Events;
}): IngestService {
  return {
    async ingest(input) {
      const summary = await ingestRun(deps.db, deps.pool, input);
      if (!summary.duplicate) await publish(deps, summary.run);
      return summary;
    },
  };
}

async function publish(deps: { db: Database; events: Events }, uuid: string): Promise<void> {
  try {
    const run: RunRow | undefined = await deps.db.knex('runs').where('uuid', uuid).first();
    // Deleted in the meantime: nothing to tell.
    if (!run) return;
    // Builds already reported with this log URL link to the run (see server/cis/run-link.ts).
    await linkRun(deps.db.knex, run.id, run.artifacts_url);
    const metadata = (await metadataByRunId(deps.db.knex, [run.id])).get(run.id) ?? [];
    deps.events.publish(runIngested, { run, metadata });
  } catch (error) {
    // The run is stored: failing its caller would have it stored again for nothing.
    logInternal(error);
  }
}
