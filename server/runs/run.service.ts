import type { SqlEntityManager as EntityManager } from '@mikro-orm/knex';
import {
  Artifact,
  Attachment,
  Dstat,
  DstatSeries,
  Run,
  RunMetadata,
  TestResult,
} from '../db/entities/index.js';
import { GatewatchError } from '../errors.js';
import type { StatusCounts } from '../ingest/run-writer.js';

/** Finds a run by its uuid or an unambiguous prefix of it (at least 4 characters). */
export async function findRun(em: EntityManager, ref: string): Promise<Run> {
  const wanted = ref.trim().toLowerCase();
  if (!/^[0-9a-f-]{4,36}$/.test(wanted)) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `"${ref}" is not a run id (a uuid or its first 4+ characters)`,
    );
  }
  const runs = await em.find(Run, { uuid: { $like: `${wanted}%` } }, { limit: 2 });
  if (runs.length === 0) throw new GatewatchError('RUN_NOT_FOUND', `no run with id ${ref}`);
  if (runs.length > 1) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `run id prefix ${ref} matches several runs; give more of it`,
    );
  }
  return runs[0]!;
}

export interface RunSummary {
  run: string;
  runAt: string;
  format: string;
  metadata: Record<string, string>;
  artifactsUrl: string | null;
  tests: number;
  counts: StatusCounts;
  parseErrors: number;
  /** Seconds. */
  wallTime: number | null;
  summedTime: number;
  workers: number;
  slowest: { testId: string; duration: number; status: string }[];
  failures: { testId: string; status: string; lastLine: string | null }[];
  dstat: { samples: number; columns: number; start: string | null; stop: string | null } | null;
  artifacts: { kind: string; name: string; size: number; storedSize: number; sha256: string }[];
}

const SLOWEST = 10;

/** What `gatewatch show` prints: the run at a glance. */
export async function summarizeRun(em: EntityManager, run: Run): Promise<RunSummary> {
  const [metadata, slowest, failed, dstat, artifacts] = await Promise.all([
    em.find(RunMetadata, { run: run.id }, { orderBy: { key: 'asc' } }),
    em.find(
      TestResult,
      { run: run.id, duration: { $ne: null } },
      { populate: ['test'], orderBy: { duration: 'desc' }, limit: SLOWEST },
    ),
    em.find(
      TestResult,
      { run: run.id, status: { $in: ['fail', 'uxsuccess'] } },
      { populate: ['test'], orderBy: { seq: 'asc' } },
    ),
    em.findOne(Dstat, { run: run.id }),
    em.find(Artifact, { run: run.id }, { orderBy: { id: 'asc' } }),
  ]);
  const tracebacks = await em.find(
    Attachment,
    { run: run.id, resultSeq: { $in: failed.map((r) => r.seq) }, name: 'traceback' },
    { populate: ['content'] },
  );
  const lastLineOf = new Map(tracebacks.map((a) => [a.resultSeq, lastLine(a.content)]));
  const columns = dstat ? await em.count(DstatSeries, { dstat: dstat.id }) : 0;
  return {
    run: run.uuid,
    runAt: run.runAt.toISOString(),
    format: run.format,
    metadata: Object.fromEntries(metadata.map((m) => [m.key, m.value])),
    artifactsUrl: run.artifactsUrl ?? null,
    tests: run.tests,
    counts: countsOf(run),
    parseErrors: run.parseErrors,
    wallTime: run.wallTime ?? null,
    summedTime: run.summedTime,
    workers: run.workers,
    slowest: slowest.map((r) => ({
      testId: r.test.testId,
      duration: r.duration ?? 0,
      status: r.status,
    })),
    failures: failed.map((r) => ({
      testId: r.test.testId,
      status: r.status,
      lastLine: lastLineOf.get(r.seq) ?? null,
    })),
    dstat: dstat
      ? {
          samples: dstat.samples,
          columns,
          start: dstat.startMs == null ? null : new Date(dstat.startMs).toISOString(),
          stop: dstat.stopMs == null ? null : new Date(dstat.stopMs).toISOString(),
        }
      : null,
    artifacts: artifacts.map((a) => ({
      kind: a.kind,
      name: a.name,
      size: a.size,
      storedSize: a.storedSize,
      sha256: a.sha256,
    })),
  };
}

export function countsOf(run: Run): StatusCounts {
  const { passes, failures, skips, xfails, uxsuccesses, incomplete } = run;
  return { passes, failures, skips, xfails, uxsuccesses, incomplete };
}

/** The last non-blank line of a traceback: usually the exception. */
export function lastLine(content: Uint8Array | null | undefined): string | null {
  if (!content) return null;
  const lines = Buffer.from(content).toString('utf8').split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (line !== '') return line;
  }
  return null;
}
