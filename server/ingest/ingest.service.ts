import type { SignatureLimits } from '../insights/signatures/failure-log.js';
import { linkRun } from '../cis/run-link.js';
import type { Config } from '../config/config.js';
import { SECTIONS } from '../config/settings.js';
import { MYSQL_POOL_SIZE, type Database } from '../db/orm.js';
import { GatewatchError } from '../errors.js';
import { logInternal } from '../graphql/errors.js';
import type { Events } from '../graphql/pubsub.js';
import { metadataByRunId, type RunRow } from '../runs/run.service.js';
import { runIngested } from '../runs/run.topics.js';
import type { FlakySettings } from '../insights/flaky/flaky-ingest.js';
import { ingestRun, type IngestInput, type IngestSummary } from './ingest.js';
import { ParseFailure, type ParserPool } from './pool.js';

/**
 * The one way a run is stored — by the CLI, an upload, and every other intake — so that every
 * stored run is announced to `runIngested` subscribers.
 */
export interface IngestService {
  /**
   * Stores one run ({@link ingestRun}) once its turn comes: at most
   * {@link IngestLimits.concurrency} are written at once, the others wait in arrival order.
   * A new run is then published, a duplicate is not.
   */
  ingest(input: IngestInput): Promise<IngestSummary>;
}

/** What the ingest service allows. */
export interface IngestLimits {
  /** Runs written at once. */
  readonly concurrency: number;
  /** Bytes a stream may hold once decompressed. */
  readonly maxExpandedBytes: number;
  /** The verdicts kept on ingest. */
  readonly flaky: FlakySettings;
  /** Bounds on the failure signatures' work. */
  readonly signatures: SignatureLimits;
}

/** Connections of the MySQL pool never held by ingests: reads and test-id registration. */
const FREE_CONNECTIONS = 2;

/**
 * The limits the settings give on the configured database. Each ingest holds one connection for its
 * transaction and registers test ids on another (see `ingestRun`): on MySQL fewer ingests than
 * connections run at once, so that neither they nor reads wait for a connection that only an
 * ingest could give back. SQLite has one connection: a second ingest would only wait there.
 */
export function ingestLimits(config: Config): IngestLimits {
  const { maxIngests, target } = config.database;
  const { dialect } = target;
  const most = MYSQL_POOL_SIZE - FREE_CONNECTIONS;
  if (dialect === 'mysql' && maxIngests > most) {
    throw new GatewatchError(
      'BAD_CONFIG',
      `${SECTIONS.database.maxIngests.env} is ${maxIngests}: at most ${most} on MySQL, whose pool has ${MYSQL_POOL_SIZE} connections`,
    );
  }
  return {
    concurrency: dialect === 'sqlite' ? 1 : maxIngests,
    maxExpandedBytes: config.server.maxExpandedBytes,
    flaky: config.flaky,
    signatures: {
      tracebackBytes: config.signatures.tracebackBytes,
      matchTimeoutMs: config.signatures.matchTimeout,
    },
  };
}

export function createIngestService(deps: {
  db: Database;
  pool: ParserPool;
  events: Events;
  limits: IngestLimits;
}): IngestService {
  const inTurn = turns(deps.limits.concurrency);
  const { maxExpandedBytes, flaky, signatures } = deps.limits;
  return {
    async ingest(input) {
      const summary = await inTurn(() =>
        ingestRun(deps.db, deps.pool, input, { maxExpandedBytes, flaky, signatures }).catch(
          (error: unknown) => {
            throw namingTheSetting(error);
          },
        ),
      );
      if (!summary.duplicate) await publish(deps, summary.run);
      return summary;
    },
  };
}

/** Runs tasks at most `size` at a time; a task waiting for a turn gets it in arrival order. */
function turns(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running < size) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The turn passes to the next task, or is given back.
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/** A stream over the expanded-size limit, said with the setting that raises it. */
function namingTheSetting(error: unknown): unknown {
  if (!(error instanceof ParseFailure) || error.code !== 'TOO_LARGE') return error;
  return new ParseFailure({
    code: 'TOO_LARGE',
    message: `${error.message} (${SECTIONS.server.maxExpandedBytes.env})`,
    offset: error.offset,
  });
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
