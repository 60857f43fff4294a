/**
 * The benchmark runner: `npm run bench` (builds first) or `node dist/bench/run.js [NAME…]
 * [--quick]`. Prints figures, then every target as `met` / `NOT met`. Exits 0 whatever the
 * figures; 1 only when a benchmark crashed, 2 on bad arguments.
 */
// type-graphql (the api benchmark's server) needs it before any resolver loads.
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { api } from './api.bench.js';
import { ci } from './ci.bench.js';
import { dashboard } from './dashboard.bench.js';
import { decode } from './decode.bench.js';
import { gerrit } from './gerrit.bench.js';
import { Report, type Benchmark } from './harness.js';
import { ingest } from './ingest.bench.js';
import { formatSeconds, timed } from './measure.js';
import { memory } from './memory.bench.js';
import { startup } from './startup.bench.js';

const BENCHMARKS: Benchmark[] = [decode, ingest, memory, api, dashboard, startup, gerrit, ci];
const DEFAULT_MYSQL = 'mysql://root@127.0.0.1:3306/';

function usage(): string {
  const width = Math.max(...BENCHMARKS.map((b) => b.name.length));
  return [
    'usage: node dist/bench/run.js [--quick] [NAME…]   (npm run bench -- [--quick] [NAME…])',
    '',
    'Benchmarks (all when none is named):',
    ...BENCHMARKS.map((b) => `  ${b.name.padEnd(width)}  ${b.summary}`),
    '',
    '  --quick  smaller inputs, fewer repetitions (about a minute; figures indicative)',
    '',
    `MariaDB: $GATEWATCH_BENCH_MYSQL, a server URL (default ${DEFAULT_MYSQL}).`,
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  let selected: Benchmark[];
  let quick: boolean;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
    if (values.help) {
      console.log(usage());
      return 0;
    }
    quick = values.quick === true;
    selected = positionals.length === 0 ? BENCHMARKS : positionals.map(benchmarkNamed);
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}\n\n${usage()}`);
    return 2;
  }

  const tmp = mkdtempSync(join(tmpdir(), 'gatewatch-bench-'));
  const removeTmp = () => rmSync(tmp, { recursive: true, force: true });
  // Interrupted: leave no temp files behind (a MariaDB database being benched may remain).
  const onSignal = (signal: NodeJS.Signals) => {
    removeTmp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const report = new Report();
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  report.line(
    `gatewatch benchmarks${quick ? ' (--quick: smaller inputs, figures indicative)' : ''}: ` +
      `${selected.map((b) => b.name).join(', ')}`,
  );
  report.line(
    `node ${process.version}, ${availableParallelism()} cores (${cpu}), ` +
      `${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM; 1 MB = 10^6 bytes`,
  );
  const load = () => loadavg()[0]!;
  const startLoad = load();
  if (startLoad > availableParallelism() / 2) {
    report.line(
      `note: 1-minute load average is ${startLoad.toFixed(1)} before starting: other processes ` +
        'compete for the cores, so timings will be slower and noisier than on an idle machine',
    );
  }
  const mysqlServer = (process.env.GATEWATCH_BENCH_MYSQL ?? DEFAULT_MYSQL).replace(/\/?$/, '/');
  let crashed = 0;
  try {
    for (const benchmark of selected) {
      report.section(benchmark);
      try {
        const before = load();
        const seconds = await timed(() => benchmark.run({ quick, tmp, mysqlServer, report }));
        report.line(
          `  (${benchmark.name} took ${formatSeconds(seconds)}; 1-minute load average ` +
            `${before.toFixed(1)} before, ${load().toFixed(1)} after, on ${availableParallelism()} cores)`,
        );
      } catch (error) {
        crashed++;
        report.line(
          `  CRASHED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
    }
  } finally {
    removeTmp();
  }
  report.summary();
  if (crashed > 0) report.line(`${crashed} benchmark(s) crashed`);
  return crashed > 0 ? 1 : 0;
}

function benchmarkNamed(name: string): Benchmark {
  const benchmark = BENCHMARKS.find((b) => b.name === name);
  if (!benchmark) {
    throw new Error(
      `unknown benchmark "${name}" (expected ${BENCHMARKS.map((b) => b.name).join(', ')})`,
    );
  }
  return benchmark;
}

process.exitCode = await main(process.argv.slice(2));
