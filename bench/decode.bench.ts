/**
 * decode: how fast `createSubunitParser` turns bytes into test results, on one thread, against
 * python-subunit reading the same file in the same run. Target: at least 20× faster.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSubunitParser, type ParseSummary } from '../workers/subunit/parser.js';
import type { BenchContext, Benchmark } from './harness.js';
import {
  MB,
  formatBytes,
  formatCount,
  formatRate,
  formatSpread,
  median,
  timeRuns,
} from './measure.js';
import { STESTR_FIXTURE } from './paths.js';
import { pythonSubunitParse, pythonSubunitUnavailable } from './python-subunit.js';
import { STESTR_PROFILE, buildStream, chunksOf, repeatStream } from './streams.js';

/** The chunk size the CLI's file reader hands the parse worker. */
const CHUNK_BYTES = 1 << 20;
const SPEED_UP_TARGET = 20;
const HEADER = ['reader', 'median (min–max)', 'throughput', 'tests/s', 'tests'];

export const decode: Benchmark = {
  name: 'decode',
  summary: `createSubunitParser throughput vs python-subunit on the same bytes (target ≥ ${SPEED_UP_TARGET}×)`,
  async run(context) {
    const { quick } = context;
    const generatedBytes = (quick ? 10 : 50) * MB;
    const copies = quick ? 100 : 400;
    const generated = buildStream({ ...STESTR_PROFILE, seed: 42, bytes: generatedBytes });
    const fixture = readFileSync(STESTR_FIXTURE);
    await compare(context, {
      label: 'generated stestr-like stream',
      bytes: generated.bytes,
      tests: generated.stats.tests,
      attachmentBytes: generated.stats.attachmentBytes,
    });
    await compare(context, {
      label: `stestr-failure.subunit ×${copies}`,
      bytes: repeatStream(fixture, copies),
      tests: null,
      attachmentBytes: null,
    });
  },
};

interface Input {
  label: string;
  bytes: Buffer;
  /** Tests the stream holds when known (generated streams), to check the parse. */
  tests: number | null;
  attachmentBytes: number | null;
}

async function compare(context: BenchContext, input: Input): Promise<void> {
  const { report } = context;
  const size = input.bytes.length;
  const runs = context.quick ? 3 : 5;
  report.line();
  report.line(`${input.label}: ${formatBytes(size)}, parsed in ${CHUNK_BYTES >> 10} KiB chunks`);

  // Warm-up: let the JIT compile the hot paths first.
  for (let i = 0; i < 2; i++) parse(input.bytes);
  let parsed: Parsed | undefined;
  const seconds = await timeRuns(runs, () => (parsed = parse(input.bytes)));
  const { summary, attachmentBytes } = parsed!;
  const tests = summary.results;
  report.check(
    input.tests === null || tests === input.tests,
    `gatewatch parsed ${tests} tests, the generator wrote ${input.tests}`,
  );
  report.check(
    input.attachmentBytes === null || attachmentBytes === input.attachmentBytes,
    `gatewatch parsed ${attachmentBytes} attachment bytes, the generator wrote ${input.attachmentBytes}`,
  );
  report.check(summary.parseErrors === 0, `gatewatch saw ${summary.parseErrors} parse errors`);
  const ours = median(seconds);
  const rows = [
    [
      `gatewatch (${runs} runs)`,
      formatSpread(seconds),
      formatRate(size / MB, ours, 'MB'),
      formatRate(tests, ours, 'tests'),
      formatCount(tests),
    ],
  ];

  const goal = `≥ ${SPEED_UP_TARGET}× python-subunit on ${input.label}`;
  const unavailable = await pythonSubunitUnavailable();
  if (unavailable !== null) {
    report.table(HEADER, rows);
    report.skipped(goal, unavailable);
    return;
  }
  const file = join(context.tmp, 'decode.subunit');
  writeFileSync(file, input.bytes);
  const pythonRuns = context.quick ? 1 : 3;
  const python = await pythonSubunitParse(file, pythonRuns);
  report.check(
    python.tests === tests,
    `python-subunit saw ${python.tests} tests, gatewatch ${tests}`,
  );
  const theirs = median(python.seconds);
  rows.push([
    `python-subunit (${pythonRuns} run${pythonRuns > 1 ? 's' : ''}, timed in python)`,
    formatSpread(python.seconds),
    formatRate(size / MB, theirs, 'MB'),
    formatRate(python.tests, theirs, 'tests'),
    formatCount(python.tests),
  ]);
  report.table(HEADER, rows);
  const speedUp = theirs / ours;
  report.target(goal, `${speedUp.toFixed(1)}× faster`, speedUp >= SPEED_UP_TARGET);
}

interface Parsed {
  summary: ParseSummary;
  attachmentBytes: number;
}

/** One full parse; results are counted and dropped. */
function parse(bytes: Uint8Array): Parsed {
  let attachmentBytes = 0;
  const parser = createSubunitParser({
    result(result) {
      for (const a of result.attachments) attachmentBytes += a.bytes.length;
    },
    runAttachment(a) {
      attachmentBytes += a.bytes.length;
    },
    parseError() {},
  });
  for (const chunk of chunksOf(bytes, CHUNK_BYTES)) parser.write(chunk);
  return { summary: parser.end(), attachmentBytes };
}
