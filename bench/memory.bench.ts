/**
 * memory: peak RSS of the compiled `gatewatch ingest`, in a child process, storing a ~200 MB
 * stream into SQLite. Baseline from the same run: the same command on a tiny stream (the
 * cost of starting Node, the ORM, the migrations and the worker pool). Target: < 300 MB.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Benchmark } from './harness.js';
import { MB, formatBytes, formatCount, formatRate, formatSeconds } from './measure.js';
import { CLI } from './paths.js';
import { runMeasured, type MeasuredRun } from './peak-rss.js';
import { STESTR_PROFILE, writeStream, type StreamProfile } from './streams.js';

const PEAK_TARGET = 300 * MB;

/** Many tests, and now and then a test whose debug log runs to megabytes (split in packets). */
const BIG_STREAM: StreamProfile = {
  ...STESTR_PROFILE,
  seed: 200,
  bigLoggingShare: 0.004,
  bigLoggingBytes: [256 << 10, 3 << 20],
};

export const memory: Benchmark = {
  name: 'memory',
  summary: `peak RSS of the compiled CLI ingesting a ~200 MB stream into SQLite (target < ${formatBytes(PEAK_TARGET)})`,
  async run({ quick, tmp, report }) {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    const bigFile = join(tmp, 'memory-big.subunit');
    const tinyFile = join(tmp, 'memory-tiny.subunit');
    const started = performance.now();
    const big = writeStream(bigFile, { ...BIG_STREAM, bytes: (quick ? 50 : 200) * MB });
    const generation = (performance.now() - started) / 1000;
    const tiny = writeStream(tinyFile, { ...STESTR_PROFILE, seed: 7, tests: 20 });
    report.line(
      `streams: ${formatBytes(big.bytes)} with ${formatCount(big.tests)} tests and ` +
        `${formatBytes(big.attachmentBytes)} of attachments (written in ${formatSeconds(generation)}, ` +
        `never held in memory); tiny: ${tiny.tests} tests, ${formatBytes(tiny.bytes)}`,
    );

    try {
      // Each into a fresh database, so both pay the same migrations.
      const baseline = await ingestWithCli(tinyFile, join(tmp, 'memory-tiny.db'), tiny.tests);
      const measured = await ingestWithCli(bigFile, join(tmp, 'memory-big.db'), big.tests);
      report.line(`peak RSS measured with ${measured.run.method}`);
      report.table(
        ['gatewatch ingest', 'size', 'tests', 'wall', 'throughput', 'database', 'peak RSS'],
        [
          ['tiny stream (start-up baseline)', tiny, baseline] as const,
          [`${formatBytes(big.bytes)} stream`, big, measured] as const,
        ].map(([label, stats, { run, dbBytes }]) => [
          label,
          formatBytes(stats.bytes),
          formatCount(stats.tests),
          formatSeconds(run.seconds),
          stats.bytes < MB ? '' : formatRate(stats.bytes / MB, run.seconds, 'MB'),
          formatBytes(dbBytes),
          formatBytes(run.peakRssBytes),
        ]),
      );
      const peak = measured.run.peakRssBytes;
      report.target(
        `peak RSS < ${formatBytes(PEAK_TARGET)} ingesting ${formatBytes(big.bytes)}${quick ? ' (--quick: smaller stream)' : ''}`,
        `${formatBytes(peak)} (start-up alone ${formatBytes(baseline.run.peakRssBytes)}, ` +
          `so +${formatBytes(peak - baseline.run.peakRssBytes)} for the stream)`,
        peak < PEAK_TARGET,
      );
    } finally {
      // Hundreds of MB: free them now rather than when the whole run ends.
      for (const name of ['memory-big', 'memory-tiny']) {
        for (const suffix of ['.subunit', '.db', '.db-wal', '.db-shm']) {
          rmSync(join(tmp, name + suffix), { force: true });
        }
      }
    }
  },
};

async function ingestWithCli(
  file: string,
  dbPath: string,
  tests: number,
): Promise<{ run: MeasuredRun; dbBytes: number }> {
  const run = await runMeasured(process.execPath, [
    CLI,
    'ingest',
    '--db',
    `sqlite:${dbPath}`,
    '--json',
    '--meta',
    'build_name=bench-memory',
    file,
  ]);
  if (run.code !== 0) {
    throw new Error(`gatewatch ingest ${file} exited ${run.code}: ${run.stderr.trim()}`);
  }
  const line = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { tests: number };
  if (line.tests !== tests) {
    throw new Error(`gatewatch ingest stored ${line.tests} tests of ${file}, expected ${tests}`);
  }
  const dbBytes = ['', '-wal'].reduce(
    (sum, suffix) => sum + (existsSync(dbPath + suffix) ? statSync(dbPath + suffix).size : 0),
    0,
  );
  return { run, dbBytes };
}
