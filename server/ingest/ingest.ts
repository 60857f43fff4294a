import { createHash, randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Knex, SqlEntityManager as EntityManager } from '@mikro-orm/knex';
import type { DstatOutcome, SubunitOutcome } from '../../workers/protocol.js';
import { Dstat, DstatSeries, JobDaily, Run, RunMetadata } from '../db/entities/index.js';
import type { Database } from '../db/orm.js';
import { addOnConflict } from '../db/upsert.js';
import { GatewatchError } from '../errors.js';
import { ArtifactWriter } from './artifact-writer.js';
import type { ParserPool } from './pool.js';
import { RunWriter, STATUS_SQL, type StatusCounts } from './run-writer.js';

export interface IngestInput {
  /** How the input is named in messages: a path, `-` for stdin, an upload. */
  name: string;
  source: AsyncIterable<Uint8Array>;
  metadata?: Record<string, string>;
  artifactsUrl?: string;
  dstat?: { name: string; source: AsyncIterable<Uint8Array> };
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

/**
 * Parses a subunit stream in the pool and stores it as one run in one transaction: a failure
 * leaves nothing of the run behind. The same stream with the same metadata and artifacts URL
 * is stored once; ingesting it again reports the existing run with `duplicate: true`.
 */
export async function ingestRun(
  db: Database,
  pool: ParserPool,
  input: IngestInput,
): Promise<IngestSummary> {
  const metadata = checkMetadata(input.metadata ?? {});
  const warnings: string[] = [];
  // Parsed in parallel with the stream; a bad dstat file costs the run its graphs, not its data.
  const dstat = input.dstat
    ? pool.parseDstat(input.dstat.source).catch((error: unknown) => {
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
        format: 'v2',
        artifactsUrl: input.artifactsUrl ?? null,
      });
      const trx = em.getTransactionContext<Knex.Transaction>()!;
      const artifact = await ArtifactWriter.open(trx, runId, {
        kind: 'subunit',
        name: input.name,
        contentType: 'application/vnd.subunit',
      });
      // MySQL: register test ids outside the run's transaction, or two ingests sharing new
      // tests would each hold index locks the other needs. SQLite has one connection.
      const catalogue = db.dialect === 'mysql' ? db.knex : trx;
      const writer = new RunWriter(trx, catalogue, runId, artifact);
      const outcome = await pool.parseSubunit(input.source, (batch) => writer.write(batch));
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
      const day = runAt.toISOString().slice(0, 10);
      await updateRollups(trx, db.dialect, runId, metadata.build_name, day, writer, wallTime);
      const parsedDstat = await dstat;
      if (parsedDstat && input.dstat) {
        await storeDstat(em, trx, runId, input.dstat.name, parsedDstat);
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

/** Thrown inside the transaction to roll it back when the run is already stored. */
class DuplicateRun extends Error {}

function checkMetadata(metadata: Record<string, string>): Record<string, string> {
  for (const [key, value] of Object.entries(metadata)) {
    if (key === '' || key.length > METADATA_KEY_MAX) {
      throw new GatewatchError(
        'BAD_ARGUMENT',
        `metadata key "${key.slice(0, 40)}" must be 1 to ${METADATA_KEY_MAX} characters`,
      );
    }
    if (value.length > METADATA_VALUE_MAX) {
      throw new GatewatchError(
        'BAD_ARGUMENT',
        `metadata value of "${key}" is ${value.length} characters; at most ${METADATA_VALUE_MAX}`,
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

/**
 * Adds the run to its tests' aggregates and to the daily rollups. The sums are read first
 * (a plain read takes no locks), then written as upserts in key order, so concurrent ingests
 * of runs sharing tests wait for each other instead of deadlocking.
 */
async function updateRollups(
  trx: Knex,
  dialect: Database['dialect'],
  runId: number,
  buildName: string | undefined,
  day: string,
  writer: RunWriter,
  wallTime: number | null,
): Promise<void> {
  const perTest: PerTestSums[] = await selectRows(
    trx,
    `select r.test_id as id, t.hash, t.test_id as name, count(*) as runs,
       ${STATUS_SQL.successes} as successes, ${STATUS_SQL.failures} as failures,
       ${STATUS_SQL.skips} as skips, ${STATUS_SQL.successTime} as success_time
     from test_results r join tests t on t.id = r.test_id
     where r.run_id = ? group by r.test_id, t.hash, t.test_id order by r.test_id`,
    [runId],
  );
  const counters = ['runs', 'successes', 'failures', 'skips', 'success_time'];
  const sums = (row: PerTestSums) => [
    Number(row.runs),
    Number(row.successes),
    Number(row.failures),
    Number(row.skips),
    Number(row.success_time),
  ];
  for (const rows of chunks(perTest, 500)) {
    await trx.raw(
      `insert into tests (id, hash, test_id, runs, successes, failures, skips, success_time)
       values ${placeholders(rows.length, 8)} ${addOnConflict(dialect, 'tests', ['id'], counters)}`,
      rows.flatMap((row) => [row.id, row.hash, row.name, ...sums(row)]),
    );
    await trx.raw(
      `insert into test_daily (test_id, build_name, day, runs, successes, failures, skips, success_time)
       values ${placeholders(rows.length, 8)}
       ${addOnConflict(dialect, 'test_daily', ['test_id', 'build_name', 'day'], counters)}`,
      rows.flatMap((row) => [row.id, buildName ?? '', day, ...sums(row)]),
    );
  }
  if (buildName === undefined) return;
  const failed = writer.counts.failures + writer.counts.uxsuccesses > 0;
  const passed = !failed && writer.counts.passes + writer.counts.xfails > 0;
  await trx.raw(
    `insert into job_daily (build_name, day, runs, passed_runs, failed_runs, skipped_runs, wall_time)
     values (?, ?, 1, ?, ?, ?, ?)
     ${addOnConflict(dialect, 'job_daily', ['build_name', 'day'], ['runs', 'passed_runs', 'failed_runs', 'skipped_runs', 'wall_time'])}`,
    [buildName, day, Number(passed), Number(failed), Number(!passed && !failed), wallTime ?? 0],
  );
}

interface PerTestSums {
  id: number;
  hash: string;
  name: string;
  runs: number | string;
  successes: number | string;
  failures: number | string;
  skips: number | string;
  success_time: number | string;
}

/** Rows of a raw select: knex answers `[rows, fields]` on MySQL and `rows` on SQLite. */
async function selectRows<T>(trx: Knex, sql: string, bindings: Knex.RawBinding[]): Promise<T[]> {
  const result = (await trx.raw(sql, bindings)) as T[] | [T[], unknown];
  return (Array.isArray(result[0]) ? result[0] : result) as T[];
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

function placeholders(rows: number, columns: number): string {
  const row = `(${Array(columns).fill('?').join(', ')})`;
  return Array(rows).fill(row).join(', ');
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
  return {
    tests: 0,
    passes: 0,
    failures: 0,
    skips: 0,
    xfails: 0,
    uxsuccesses: 0,
    incomplete: 0,
    parseErrors: 0,
    workers: 0,
    summedTime: 0,
  };
}

function summaryOf(run: Run): Omit<IngestSummary, 'duplicate' | 'warnings'> {
  return {
    run: run.uuid,
    tests: run.tests,
    passes: run.passes,
    failures: run.failures,
    skips: run.skips,
    xfails: run.xfails,
    uxsuccesses: run.uxsuccesses,
    incomplete: run.incomplete,
    parseErrors: run.parseErrors,
  };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
