/**
 * Our parser against the reference reader: for every fixture (and a few crafted streams),
 * python-subunit + testtools' StreamToDict (test/oracle/subunit_oracle.py) and Debian's
 * `subunit-stats` must see the same test attempts and counts as `createSubunitParser`.
 */
import { Buffer } from 'node:buffer';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePacket } from '../../workers/subunit/encode.js';
import type { ParseSummary } from '../../workers/subunit/parser.js';
import { createSubunitParser } from '../../workers/subunit/parser.js';
import { joinTestId } from '../../workers/subunit/testid.js';
import type { Attachment, SubunitEvent, TestResult } from '../../workers/subunit/types.js';
import type { OracleReport, OracleRow } from '../helpers/oracle.js';
import { oracle, oracleAvailable } from '../helpers/oracle.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/subunit/', import.meta.url));
const fixtures = readdirSync(FIXTURES)
  .filter((name) => /\.subunit(\.gz)?$/.test(name))
  .sort();

interface Parsed {
  summary: ParseSummary;
  results: TestResult[];
  runAttachments: Attachment[];
}

function parse(data: Uint8Array, chunkSize: number): Parsed {
  const results: TestResult[] = [];
  const runAttachments: Attachment[] = [];
  const parser = createSubunitParser({
    result: (r) => results.push(r),
    runAttachment: (a) => runAttachments.push(a),
    parseError: () => {},
  });
  for (let i = 0; i < data.length; i += chunkSize) parser.write(data.subarray(i, i + chunkSize));
  return { summary: parser.end(), results, runAttachments };
}

/** A result as the oracle's row: the raw id, times, sorted tags, distinct attachment names. */
function toRow(r: TestResult): OracleRow {
  return {
    id: joinTestId(r.testId, r.attrs),
    status: r.status,
    start: r.startUs,
    stop: r.stopUs,
    tags: [...r.tags].sort(),
    attachments: [...new Set(r.attachments.map((a) => a.name))].sort(),
  };
}

const sortKey = (row: OracleRow) => JSON.stringify([row.id, row.status, row.tags, row.start]);
const sorted = (rows: OracleRow[]) =>
  [...rows].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));

/**
 * Compares rows as multisets. v1 `time:` values are read exactly here, while python-subunit
 * goes through a float that comes out 1 µs low for about 1% of values: v1 allows that.
 */
function expectSameRows(ours: OracleRow[], theirs: OracleRow[], toleranceUs: number): void {
  const a = sorted(ours);
  const b = sorted(theirs);
  expect(a.map((r) => [r.id, r.status, r.tags, r.attachments])).toEqual(
    b.map((r) => [r.id, r.status, r.tags, r.attachments]),
  );
  a.forEach((row, i) => {
    const other = b[i]!;
    for (const key of ['start', 'stop'] as const) {
      const mine = row[key];
      const python = other[key];
      if (mine === null || python === null || toleranceUs === 0) {
        expect(mine, `${key} of ${row.id}`).toBe(python);
      } else {
        expect(
          Math.abs(mine - python),
          `${key} of ${row.id}: ${mine} vs ${python}`,
        ).toBeLessThanOrEqual(toleranceUs);
      }
    }
  });
}

function countsOf(summary: ParseSummary): Record<string, number> {
  return Object.fromEntries(Object.entries(summary.statuses).filter(([, n]) => n > 0));
}

function runFileSizes(attachments: Attachment[]): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const a of attachments) sizes[a.name] = (sizes[a.name] ?? 0) + a.bytes.length;
  return sizes;
}

/** Checks our parse of `data` against the oracle's report of the same bytes. */
function expectAgreement(parsed: Parsed, report: OracleReport): void {
  const v1 = report.format === 'v1';
  expect(parsed.summary.format).toBe(report.format);
  expectSameRows(parsed.results.map(toRow), report.rows, v1 ? 1 : 0);
  expect(countsOf(parsed.summary)).toEqual(report.counts);
  expect(parsed.summary.results).toBe(report.rows.length);
  expect(parsed.summary.parseErrors).toBe(report.parser_errors);
  expect(runFileSizes(parsed.runAttachments)).toEqual(report.run_files);
}

/**
 * `subunit-stats` counts of a v2 stream. It exits 1 when the stream has failures, so its exit
 * status is no error here; its output is.
 */
function subunitStats(stream: Buffer): Record<string, number> {
  const run = spawnSync('subunit-stats', ['--no-passthrough'], { input: stream });
  if (run.error) throw run.error;
  const counts: Record<string, number> = {};
  for (const line of run.stdout.toString().split('\n')) {
    const match = /^(Total|Passed|Failed|Skipped) tests:\s*(\d+)$/.exec(line.trim());
    if (match) counts[match[1]!.toLowerCase()] = Number(match[2]);
  }
  expect(Object.keys(counts), `subunit-stats said: ${run.stdout} ${run.stderr}`).toHaveLength(4);
  return counts;
}

/** Our counts in subunit-stats' terms (it reports through the old unittest API). */
function statsOf(summary: ParseSummary): Record<string, number> {
  const s = summary.statuses;
  return {
    total: summary.results,
    passed: s.success + s.xfail + s.uxsuccess,
    failed: s.fail + s.incomplete,
    skipped: s.skip,
  };
}

if (!oracleAvailable) {
  console.warn(
    'subunit-oracle: python3-subunit / subunit-stats are not installed; skipping ' +
      '(apt-get install -y python3-subunit subunit)',
  );
}

describe.skipIf(!oracleAvailable)('subunit parser vs python-subunit', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'gatewatch-oracle-'));
  });
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  /** The fixture's bytes, decompressed, and a path python can read them from. */
  function load(name: string): { data: Buffer; path: string } {
    const raw = readFileSync(join(FIXTURES, name));
    if (!name.endsWith('.gz')) return { data: raw, path: join(FIXTURES, name) };
    const data = gunzipSync(raw);
    const path = join(tmp, name.replace(/\.gz$/, ''));
    writeFileSync(path, data);
    return { data, path };
  }

  it('has fixtures of both formats', () => {
    expect(fixtures.filter((n) => n.includes('.v1.')).length).toBeGreaterThanOrEqual(2);
    expect(fixtures.filter((n) => n.endsWith('.gz')).length).toBeGreaterThanOrEqual(1);
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
  });

  describe.each(fixtures)('%s', (name) => {
    const v1 = name.includes('.v1.');

    it('gives the rows and counts StreamToDict gives', () => {
      const { data, path } = load(name);
      const parsed = parse(data, 64 * 1024);
      expect(parsed.summary.packets).toBeGreaterThan(0);
      expectAgreement(parsed, oracle(path, { v1 }));
    });

    it('gives the counts subunit-stats gives', () => {
      const { data } = load(name);
      const stream = v1 ? execFileSync('subunit-1to2', { input: data }) : data;
      const stats = subunitStats(stream);
      expect(statsOf(parse(data, 64 * 1024).summary)).toEqual({
        total: stats.total,
        passed: stats.passed,
        failed: stats.failed,
        skipped: stats.skipped,
      });
    });

    it('gives the same results in odd-sized chunks', () => {
      const { data } = load(name);
      const whole = parse(data, data.length || 1);
      const split = parse(data, 4093);
      expect(split.results).toEqual(whole.results);
      expect(split.summary).toEqual(whole.summary);
      expect(Buffer.concat(split.runAttachments.map((a) => a.bytes))).toEqual(
        Buffer.concat(whole.runAttachments.map((a) => a.bytes)),
      );
    });
  });

  it('reads the v1 conversion and the gzip copy of a stream as the stream itself', () => {
    const rows = (name: string) =>
      parse(load(name).data, 64 * 1024).results.map((r) => ({
        ...toRow(r),
        attachments: r.attachments.map((a) => [a.name, Buffer.from(a.bytes).toString('latin1')]),
      }));
    const v2 = rows('sample-last.subunit');
    expect(rows('sample-last.subunit.gz')).toEqual(v2);
    expect(sorted(rows('sample-last.v1.subunit') as never)).toEqual(sorted(v2 as never));
  });

  it('keeps the large attachment whole', () => {
    const { results } = parse(load('sample-large-attachment.subunit').data, 64 * 1024);
    const big = results[0]!.attachments.find((a) => a.name === 'big-log')!;
    expect(big.bytes.length).toBeGreaterThan(1024 * 1024);
    expect(Buffer.from(big.bytes).toString('utf8')).toMatch(
      /\[req-00014999\] GET \/v2\.1\/servers 200\n$/,
    );
  });

  describe('crafted streams', () => {
    const check = (name: string, data: Buffer, v1: boolean) => {
      const path = join(tmp, name);
      writeFileSync(path, data);
      expectAgreement(parse(data, 7), oracle(path, { v1 }));
    };

    it('v1: details, tags scoping, outcomes out of place, a stream cut in details', () => {
      check(
        'crafted.v1.subunit',
        Buffer.from(
          'time: 2020-01-01 00:00:00.5Z\n' +
            'tags: run-tag worker-0\n' +
            'error: setUpClass (pkg.T)\n' +
            'noise before ³ tests\n' +
            'test: pkg.T.test_a[id-1,smoke]\n' +
            'time: 2020-01-01 00:00:01.000249Z\n' +
            'tags: inside\n' +
            'error: pkg.T.test_a[id-1,smoke] [\n' +
            'Traceback\n' +
            ' ]\n' +
            ']\n' +
            'success: pkg.T.test_a[id-1,smoke]\n' +
            'testing pkg.T.test_b\n' +
            'test: nested\n' +
            'tags: -worker-0 worker-1\n' +
            'time: 2020-01-01 02:00:02.5+02:00\n' +
            'uxsuccess: pkg.T.test_b [ multipart\n' +
            'Content-Type: text/plain;charset=utf8\n' +
            'stdout\n' +
            '4\r\na\nb\n' +
            '3\r\nc]\n0\r\n' +
            'Content-Type: application/json\n' +
            'data\n' +
            '2\r\n{}0\r\n' +
            ']\n' +
            'progress: +3\n' +
            'test: skipped\n' +
            'skip: skipped [\n' +
            'not today\n' +
            ']\n' +
            'test: pkg.T.test_a[id-1,smoke]\n' +
            'xfail: pkg.T.test_a[id-1,smoke]\n' +
            'test: quiet\n' +
            'success: quiet [\n' +
            ']\n' +
            'test: cut off\n' +
            'failure: cut off [\n' +
            'half a traceback\n',
        ),
        true,
      );
    });

    it('v1: a producer that died in the middle of a test', () => {
      check(
        'hang.v1.subunit',
        Buffer.from('tags: a\ntest: one\nsuccess: one\ntest: two\nout\n'),
        true,
      );
    });

    it('v2: retries, hangs, tags, route codes, enumerations, noise and a damaged packet', () => {
      const at = (seconds: number, nanos = 0) => ({ seconds, nanos });
      const file = (name: string, text: string, eof: boolean) => ({
        name,
        bytes: Buffer.from(text),
        eof,
      });
      const events: SubunitEvent[] = [
        { testId: 'listed', status: 'exists', runnable: true },
        { testId: 'a', status: 'inprogress', timestamp: at(1, 1000), tags: ['x'], runnable: true },
        {
          testId: 'a',
          status: 'none',
          timestamp: at(1, 5000),
          mime: 'text/plain',
          file: file('log', 'one ', false),
          runnable: true,
        },
        { testId: 'b', status: 'inprogress', timestamp: at(2), routeCode: '0/1', runnable: true },
        {
          testId: 'a',
          status: 'none',
          timestamp: at(1, 9000),
          file: file('log', 'two', true),
          runnable: true,
        },
        { testId: 'a', status: 'fail', timestamp: at(3), tags: ['worker-0', 'y'], runnable: true },
        { testId: 'a', status: 'inprogress', timestamp: at(4), runnable: true },
        // Nanoseconds in whole microseconds: python rounds them, we floor (as its writer writes µs).
        { testId: 'a', status: 'success', timestamp: at(5, 999_000), runnable: true },
        {
          testId: 'b',
          status: 'skip',
          timestamp: at(6),
          routeCode: '0/1',
          tags: [],
          runnable: true,
        },
        {
          testId: 'files-only',
          status: 'none',
          timestamp: at(7),
          file: file('stderr', 'x', false),
          runnable: true,
        },
        { testId: 'c', status: 'xfail', timestamp: at(8), runnable: true },
        {
          testId: 'hang',
          status: 'inprogress',
          timestamp: at(9),
          tags: ['worker-1'],
          runnable: true,
        },
        { status: 'none', file: file('console', 'run output', true), runnable: false },
      ];
      const packets = events.map((e) => encodePacket(e));
      const damaged = Buffer.from(packets[10]!);
      damaged[damaged.length - 2]! ^= 0x55;
      const stream = Buffer.concat([
        Buffer.from('leading noise\n'),
        ...packets.slice(0, 10),
        damaged,
        Buffer.from('noise between packets\n'),
        ...packets.slice(10),
      ]);
      check('crafted.subunit', stream, false);
    });
  });
});
