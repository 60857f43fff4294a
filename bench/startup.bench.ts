/**
 * startup: wall time of `gatewatch --help` and `gatewatch --version` (the compiled command,
 * a child process each time) against `node -e 0` in the same run. Target: each within 3× of
 * bare Node, which holds only while commands load their implementations lazily.
 */
import { spawnSync } from 'node:child_process';
import type { Benchmark } from './harness.js';
import { formatSeconds, formatSpread, median, timeRuns } from './measure.js';
import { CLI } from './paths.js';

const RATIO_TARGET = 3;
const HEADER = ['command', 'median (min–max)', '× node -e 0'];

export const startup: Benchmark = {
  name: 'startup',
  summary: `gatewatch --help and --version against node -e 0 (target ≤ ${RATIO_TARGET}×)`,
  async run({ quick, report }) {
    const times = quick ? 10 : 30;
    const commands: [string, string[]][] = [
      ['node -e 0', ['-e', '0']],
      ['gatewatch --help', [CLI, '--help']],
      ['gatewatch --version', [CLI, '--version']],
    ];
    // One warm-up each: the first start also pays for the disk cache.
    for (const [, args] of commands) runNode(args);
    const seconds = new Map<string, number[]>();
    // Interleaved, so that a change in the machine's load touches every command alike.
    for (let round = 0; round < times; round++) {
      for (const [label, args] of commands) {
        const [run] = await timeRuns(1, () => runNode(args));
        seconds.set(label, [...(seconds.get(label) ?? []), run!]);
      }
    }
    const baseline = median(seconds.get('node -e 0')!);
    report.line(`  ${times} runs each, interleaved, after one warm-up`);
    report.table(
      HEADER,
      commands.map(([label]) => {
        const runs = seconds.get(label)!;
        return [label, formatSpread(runs), `${(median(runs) / baseline).toFixed(2)}×`];
      }),
    );
    for (const [label] of commands.slice(1)) {
      const ratio = median(seconds.get(label)!) / baseline;
      report.target(
        `${label} ≤ ${RATIO_TARGET}× node -e 0`,
        `${ratio.toFixed(2)}× (${formatSeconds(median(seconds.get(label)!))} vs ${formatSeconds(baseline)})`,
        ratio <= RATIO_TARGET,
      );
    }
  },
};

function runNode(args: string[]): void {
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.toString()}`);
  }
}
