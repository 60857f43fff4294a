/**
 * Hand-made runs for the job and group analytics tests: each is described by when it starts,
 * its metadata and its results, written as a real subunit v2 stream and stored through the
 * real ingest. The expectations (`model`) are computed from the same descriptions in plain
 * JavaScript, independently of the SQL under test.
 */
import { Readable } from 'node:stream';
import { encodeEvent } from '../../workers/subunit/encode.js';
import type { SubunitEvent } from '../../workers/subunit/types.js';
import type { TestServer } from './server.js';

export type MadeStatus = 'success' | 'fail' | 'skip' | 'xfail' | 'uxsuccess';

/** One attempt: test id, final status, seconds it took (whole ms), traceback text. */
export type MadeResult = readonly [
  testId: string,
  status: MadeStatus,
  seconds: number,
  traceback?: string,
];

export interface MadeRun {
  /** When the first test starts: the run's run_at. Whole seconds (MySQL keeps no more). */
  at: Date;
  metadata: Record<string, string>;
  /** Run back to back in this order, on one worker. */
  results: readonly MadeResult[];
  /** Where its logs live (`--artifacts`). */
  artifactsUrl?: string;
}

/** A made run once stored: its uuid beside its description. */
export interface StoredRun extends MadeRun {
  id: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** `base` plus days and hours. */
export function after(base: Date, days: number, hours = 0): Date {
  return new Date(base.getTime() + days * DAY + hours * HOUR);
}

/** The run's results as a subunit v2 stream: `inprogress` then the final status, each timed. */
export function streamOf(run: MadeRun): Buffer {
  let ms = run.at.getTime();
  const at = (t: number) => ({ seconds: Math.floor(t / 1000), nanos: (t % 1000) * 1_000_000 });
  const packets: Buffer[] = [];
  for (const [testId, status, seconds, traceback] of run.results) {
    packets.push(
      ...encodeEvent({ testId, status: 'inprogress', timestamp: at(ms), runnable: true }),
    );
    ms += Math.round(seconds * 1000);
    const final: SubunitEvent = {
      testId,
      status,
      timestamp: at(ms),
      tags: ['worker-0'],
      runnable: true,
    };
    if (traceback !== undefined) {
      final.mime = 'text/x-traceback; charset=utf8';
      final.file = { name: 'traceback', bytes: Buffer.from(traceback), eof: true };
    }
    packets.push(...encodeEvent(final));
  }
  return Buffer.concat(packets);
}

/** Stores the runs in order through the server's own ingest. */
export async function ingestMade(server: TestServer, runs: MadeRun[]): Promise<StoredRun[]> {
  const stored: StoredRun[] = [];
  for (const [i, run] of runs.entries()) {
    const summary = await server.app.services.ingest.ingest({
      name: `made-${i}.subunit`,
      source: Readable.from([streamOf(run)]),
      metadata: run.metadata,
      artifactsUrl: run.artifactsUrl,
    });
    stored.push({ ...run, id: summary.run });
  }
  return stored;
}

/** What the API is expected to answer about made runs. */
export const model = {
  status(run: MadeRun): 'failed' | 'passed' | 'skipped' {
    const statuses = run.results.map(([, status]) => status);
    if (statuses.some((s) => s === 'fail' || s === 'uxsuccess')) return 'failed';
    if (statuses.some((s) => s === 'success' || s === 'xfail')) return 'passed';
    return 'skipped';
  },

  wallTime(run: MadeRun): number {
    return run.results.reduce((sum, [, , seconds]) => sum + seconds, 0);
  },

  rate(failed: number, passed: number): number | null {
    return failed + passed === 0 ? null : failed / (failed + passed);
  },

  inWindow(runs: StoredRun[], since?: Date, until?: Date): StoredRun[] {
    return runs.filter(
      (r) => (!since || r.at >= since) && (!until || r.at.getTime() < until.getTime()),
    );
  },

  totals(runs: MadeRun[]) {
    const count = (status: string) => runs.filter((r) => model.status(r) === status).length;
    const passedRuns = count('passed');
    const failedRuns = count('failed');
    const last = Math.max(...runs.map((r) => r.at.getTime()));
    return {
      runCount: runs.length,
      passedRuns,
      failedRuns,
      skippedRuns: count('skipped'),
      failureRate: model.rate(failedRuns, passedRuns),
      lastRunAt: runs.length === 0 ? null : new Date(last).toISOString(),
    };
  },

  /** Bucket starts with calendar arithmetic (UTC; weeks from Monday). */
  bucketStart(date: Date, resolution: 'HOUR' | 'DAY' | 'WEEK' | 'MONTH'): string {
    const d = new Date(date);
    switch (resolution) {
      case 'HOUR':
        d.setUTCMinutes(0, 0, 0);
        break;
      case 'DAY':
        d.setUTCHours(0, 0, 0, 0);
        break;
      case 'WEEK':
        d.setUTCHours(0, 0, 0, 0);
        d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
        break;
      case 'MONTH':
        d.setUTCHours(0, 0, 0, 0);
        d.setUTCDate(1);
        break;
    }
    return d.toISOString();
  },

  /** RunBucket fields per non-empty bucket, oldest first. */
  series(runs: MadeRun[], resolution: 'HOUR' | 'DAY' | 'WEEK' | 'MONTH') {
    const buckets = new Map<string, MadeRun[]>();
    for (const run of runs) {
      const start = model.bucketStart(run.at, resolution);
      buckets.set(start, [...(buckets.get(start) ?? []), run]);
    }
    return [...buckets]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([start, inBucket]) => {
        const { runCount, passedRuns, failedRuns, skippedRuns, failureRate } =
          model.totals(inBucket);
        const results = inBucket.flatMap((r) => r.results.map(([, status]) => status));
        const testPasses = results.filter((s) => s === 'success' || s === 'xfail').length;
        const testFailures = results.filter((s) => s === 'fail' || s === 'uxsuccess').length;
        const walls = inBucket.map(model.wallTime);
        return {
          start,
          runs: runCount,
          passedRuns,
          failedRuns,
          skippedRuns,
          failureRate,
          testPasses,
          testFailures,
          testSkips: results.filter((s) => s === 'skip').length,
          testFailureRate: model.rate(testFailures, testPasses),
          meanWallTime: walls.reduce((a, b) => a + b, 0) / walls.length,
        };
      });
  },

  /**
   * Failed tests of the `lastRuns` newest failed runs: runs failed in, newest failing
   * attempt; by failures, then newest, then test id.
   */
  failedTests(runs: StoredRun[], lastRuns: number) {
    const failedRuns = runs
      .filter((r) => model.status(r) === 'failed')
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .slice(0, lastRuns);
    const tests = new Map<string, { runs: Set<string>; run: StoredRun; seq: number }>();
    for (const run of failedRuns) {
      run.results.forEach(([testId, status], seq) => {
        if (status !== 'fail' && status !== 'uxsuccess') return;
        const seen = tests.get(testId);
        if (!seen) tests.set(testId, { runs: new Set([run.id]), run, seq });
        else seen.runs.add(run.id);
      });
    }
    // Runs are visited newest first, so the first failing attempt kept per test is in its
    // newest run; within that run the last attempt is the newest.
    for (const [testId, seen] of tests) {
      seen.run.results.forEach(([id, status], seq) => {
        if (id === testId && (status === 'fail' || status === 'uxsuccess')) seen.seq = seq;
      });
    }
    return [...tests]
      .sort(
        ([a, x], [b, y]) =>
          y.runs.size - x.runs.size || y.run.at.getTime() - x.run.at.getTime() || (a < b ? -1 : 1),
      )
      .map(([testId, seen]) => ({
        testId,
        failures: seen.runs.size,
        runId: seen.run.id,
        seq: seen.seq,
        traceback: seen.run.results[seen.seq]![3] ?? null,
      }));
  },
};
