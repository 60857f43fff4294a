import { createHash, randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Knex, SqlEntityManager as EntityManager } from '@mikro-orm/knex';
import type { DstatOutcome, SubunitOutcome } from '../../workers/protocol.js';
import { Dstat, DstatSeries, Run, RunMetadata } from '../db/entities/index.js';
import type { Database } from '../db/orm.js';
import { createBulkWriter } from '../db/bulk.js';
import { GatewatchError } from '../errors.js';
import { ArtifactWriter } from './artifact-writer.js';
import type { ParserPool } from './pool.js';
import { applyFlakyRun, type FlakySettings } from '../insights/flaky/flaky-ingest.js';
import { runKeysOf } from '../runs/run-keys.js';
import { countsOf } from '../runs/run.service.js';
import { applyRun } from '../runs/rollups.js';
import { noCounts, type StatusCounts } from '../runs/outcome.js';
import { RunWriter } from './run-writer.js';
import { FailureLog, type SignatureLimits } from '../insights/signatures/failure-log.js';
import { recordRunSignatures } from '../insights/signatures/run-signatures.js';

export interface IngestInput {
  /**
   * How the input is named in messages: a path, `-` for stdin, an upload. Its stored files
   * are named by its base name only: where it lay on the uploader's machine is no one's business.
   */
  name: string;
  source: AsyncIterable<Uint8Array>;
  metadata?: Record<string, string>;
  artifactsUrl?: string;
  dstat?: { name: string; source: AsyncIterable<Uint8Array> };
  /** Told of each batch of test results once it is handed to the database (a progress bar). */
  onParsed?: (results: number) => void;
}

/** What an ingest reports, one per run (the CLI's `--json` line). */
export interface IngestSummary extends StatusCounts {
  run: string;
  tests: number;
  parseErrors: number;
  duplicate: boolean;
  /** Problems that did not stop the run from being stored (a bad dstat file). */
  warnings: string[];
}

export const METADATA_KEY_MAX = 191;
export const METADATA_VALUE_MAX = 512;
export const BUILD_NAME_MAX = 255;

/** Bounds on what one ingest reads. */
export interface IngestOptions {
  /** Bytes a stream (or its dstat file) may hold once decompressed; default: no limit. */
  maxExpandedBytes?: number;
  /** The verdicts' settings; default: the `flaky` section's defaults. */
  flaky?: FlakySettings;
  /** Bounds on the failure signatures' work (settings `signatures.*`); default: their defaults. */
  signatures?: SignatureLimits;
}

/**
 * Parses a subunit stream in the pool and stores it as one run in one transaction: a failure
 * leaves nothing of the run behind. The same stream with the same metadata and artifacts URL
 * is stored once; ingesting it again reports the existing run with `duplicate: true`.
 */
export async function ingestRun(
  db: Database,
  pool: ParserPool,
  input: IngestInput,
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const { maxExpandedBytes } = options;
  const metadata = checkMetadata(input.metadata ?? {});
  const warnings: string[] = [];
  // Parsed in parallel with the stream; a bad dstat file costs the run its graphs, not its data.
  const dstat = input.dstat
    ? pool.parseDstat(input.dstat.source, maxExpandedBytes).catch((error: unknown) => {
        warnings.push(`dstat ${input.dstat!.name}: ${messageOf(error)}`);
        return null;
      })
    : Promise.resolve(null);
  let digest = '';
  try {
    return await db.em().transactional(async (em) => {
      const now = new Date();
      const uuid = randomUUID();
      const runId = await em.insert(Run, {
        ...emptyRunCounts(),
        uuid,
        runAt: now,
        ingestedAt: now,
        buildName: metadata.build_name ?? null,
        ...runKeysOf(metadata),
        format: 'v2',
        artifactsUrl: input.artifactsUrl ?? null,
      });
      const trx = em.getTransactionContext<Knex.Transaction>()!;
      const artifact = await ArtifactWriter.open(trx, runId, {
        kind: 'subunit',
        name: artifactName(input.name, 'stdin.subunit'),
        contentType: 'application/vnd.subunit',
      });
      // MySQL: register test ids outside the run's transaction, or two ingests sharing new
      // tests would each hold index locks the other needs; that takes a second connection,
      // which the ingest service keeps free (`ingestLimits`). SQLite has one connection.
      const bulk = await createBulkWriter(db.dialect, trx);
      const catalogue = db.dialect === 'mysql' ? await createBulkWriter(db.dialect, db.knex) : bulk;
      const failures = new FailureLog(trx, options.signatures);
      const writer = new RunWriter(bulk, catalogue, runId, artifact, failures);
      const outcome = await pool.parseSubunit(
        input.source,
        async (batch) => {
          await writer.write(batch);
          input.onParsed?.(batch.results.length);
        },
        maxExpandedBytes,
      );
      checkIsSubunit(input.name, outcome);
      await artifact.finish(outcome.size, outcome.sha256);

      digest = runDigest(outcome.sha256, metadata, input.artifactsUrl);
      const existing = await em.findOne(Run, { digest }, { fields: ['id'] });
      if (existing) throw new DuplicateRun();

      const runAt = writer.startUs === null ? now : new Date(writer.startUs / 1000);
      const wallTime =
        writer.startUs === null || writer.stopUs === null
          ? null
          : (writer.stopUs - writer.startUs) / 1e6;
      await em.nativeUpdate(Run, runId, {
        ...writer.counts,
        runAt,
        format: outcome.format!,
        tests: writer.results,
        parseErrors: writer.parseErrors,
        workers: writer.workers.size,
        wallTime,
        summedTime: writer.summedTime,
        startUs: writer.startUs,
        stopUs: writer.stopUs,
        digest,
      });
      await em.insertMany(
        RunMetadata,
        Object.entries(metadata).map(([key, value]) => ({ run: runId, key, value })),
      );
      const buildName = metadata.build_name ?? null;
      await applyRun(
        bulk,
        {
          buildName,
          runAt,
          counts: { ...writer.counts, parseErrors: writer.parseErrors },
          wallTime,
        },
        [...writer.perTest.values()],
        1,
      );
      await applyFlakyRun(
        db.dialect,
        trx,
        bulk,
        { id: runId, runAt, buildName, ...runKeysOf(metadata) },
        [...writer.perTest.values()],
        options.flaky,
      );
      await recordRunSignatures(
        trx,
        db.dialect,
        bulk,
        { id: runId, uuid, runAt, buildName },
        failures,
      );
      const parsedDstat = await dstat;
      if (parsedDstat && input.dstat) {
        await storeDstat(em, trx, runId, artifactName(input.dstat.name, 'stdin.csv'), parsedDstat);
        const apart = dstatApart(parsedDstat.series.times, writer.startUs, writer.stopUs);
        if (apart !== null) warnings.push(`dstat ${input.dstat.name}: ${apart}`);
      }
      return {
        run: uuid,
        tests: writer.results,
        ...writer.counts,
        parseErrors: writer.parseErrors,
        duplicate: false,
        warnings,
      };
    });
  } catch (error) {
    if (error instanceof DuplicateRun || error instanceof UniqueConstraintViolationException) {
      const run = digest === '' ? null : await db.em().findOne(Run, { digest });
      if (run) return { ...summaryOf(run), duplicate: true, warnings };
    }
    throw error;
  }
}

/** The name a stored file gets: the input's base name (`fallback` for stdin). */
function artifactName(name: string, fallback: string): string {
  const base = name === '-' ? '' : basename(name);
  return base === '' ? fallback : base;
}

/**
 * Why a dstat recording (sample times in epoch ms) cannot be the run's, when it does not
 * overlap the run's tests (start and stop in epoch µs); null when it does or cannot be told.
 */
function dstatApart(
  times: readonly number[],
  startUs: number | null,
  stopUs: number | null,
): string | null {
  const first = times[0];
  const last = times.at(-1);
  if (first === undefined || last === undefined || startUs === null || stopUs === null) {
    return null;
  }
  const [start, stop] = [startUs / 1000, stopUs / 1000];
  if (last >= start && first <= stop) return null;
  const iso = (ms: number) => new Date(ms).toISOString();
  return (
    `its samples (${iso(first)} → ${iso(last)}) do not overlap the run's tests ` +
    `(${iso(start)} → ${iso(stop)}): is it this run's recording? (stored all the same)`
  );
}

/** Thrown inside the transaction to roll it back when the run is already stored. */
class DuplicateRun extends Error {}

/** Validates run metadata against what the database can hold; throws naming the offender. */
export function checkMetadata(metadata: Record<string, string>): Record<string, string> {
  for (const [key, value] of Object.entries(metadata)) {
    if (key === '' || key.length > METADATA_KEY_MAX) {
      throw new GatewatchError(
        'BAD_ARGUMENT',
        `metadata key "${key.slice(0, 40)}" must be 1 to ${METADATA_KEY_MAX} characters`,
      );
    }
    // A key is a name in filters, URLs and group-by menus; a space there is always a mistake.
    if (/\s/.test(key)) {
      throw new GatewatchError(
        'BAD_ARGUMENT',
        `metadata key "${key.slice(0, 40)}" has white space: keys are single words (build_name)`,
      );
    }
    if (key === 'build_name' && value.trim() === '') {
      throw new GatewatchError(
        'BAD_ARGUMENT',
        'metadata build_name is empty: it names the job; leave it out for a run of no job',
      );
    }
    // The job name is also a column of runs and of the rollups.
    const max = key === 'build_name' ? BUILD_NAME_MAX : METADATA_VALUE_MAX;
    if (value.length > max) {
      throw new GatewatchError(
        'BAD_ARGUMENT',
        `metadata value of "${key}" is ${value.length} characters; at most ${max}`,
      );
    }
  }
  return metadata;
}

function checkIsSubunit(name: string, outcome: SubunitOutcome): void {
  if (outcome.size === 0) throw new GatewatchError('NOT_SUBUNIT', `${name}: the stream is empty`);
  if (outcome.format === null) {
    throw new GatewatchError(
      'NOT_SUBUNIT',
      `${name}: not a subunit stream (no subunit v2 packet or v1 directive in its ${outcome.size} bytes)`,
    );
  }
}

/** Identity of an ingest: the stream's content plus everything the caller said about it. */
function runDigest(
  streamSha256: string,
  metadata: Record<string, string>,
  artifactsUrl: string | undefined,
): string {
  const described = Object.entries(metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256')
    .update(JSON.stringify([streamSha256, described, artifactsUrl ?? null]))
    .digest('hex');
}

async function storeDstat(
  em: EntityManager,
  trx: Knex,
  runId: number,
  name: string,
  outcome: DstatOutcome,
): Promise<void> {
  const { series } = outcome;
  const dstatId = await em.insert(Dstat, {
    run: runId,
    producer: series.producer,
    host: series.host,
    cmdline: series.cmdline?.slice(0, 1024) ?? null,
    samples: series.times.length,
    startMs: series.times[0] ?? null,
    stopMs: series.times.at(-1) ?? null,
    times: series.times,
  });
  const columns = Object.entries(series.columns);
  if (columns.length > 0) {
    await em.insertMany(
      DstatSeries,
      columns.map(([key, values]) => ({ dstat: dstatId, key, values })),
    );
  }
  const artifact = await ArtifactWriter.open(trx, runId, {
    kind: 'dstat',
    name,
    contentType: 'text/csv',
  });
  await artifact.append(outcome.artifact);
  await artifact.finish(outcome.size, outcome.sha256);
}

function emptyRunCounts() {
  return { ...noCounts(), tests: 0, parseErrors: 0, workers: 0, summedTime: 0 };
}

function summaryOf(run: Run): Omit<IngestSummary, 'duplicate' | 'warnings'> {
  return { run: run.uuid, tests: run.tests, ...countsOf(run), parseErrors: run.parseErrors };
}

/** The longest error message shown whole; a database error's can carry a megabyte of SQL. */
const MESSAGE_MAX = 2000;

/** An error's message, its middle cut when long: the statement's head and the reason stay. */
export function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message.length <= MESSAGE_MAX) return message;
  const cut = message.length - MESSAGE_MAX;
  return `${message.slice(0, MESSAGE_MAX / 2)} …(${cut} characters cut)… ${message.slice(-MESSAGE_MAX / 2)}`;
}
