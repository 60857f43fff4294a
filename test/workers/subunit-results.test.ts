import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { DETECT_LIMIT, detectFormat, sniffFormat } from '../../workers/subunit/detect.js';
import { encodePacket } from '../../workers/subunit/encode.js';
import { createSubunitParser } from '../../workers/subunit/parser.js';
import type { ResultAssemblerOptions } from '../../workers/subunit/results.js';
import { createResultAssembler, toMicros, workerOf } from '../../workers/subunit/results.js';
import { fixtureOf, joinTestId, splitTestId } from '../../workers/subunit/testid.js';
import type {
  Attachment,
  ParseError,
  SubunitEvent,
  TestResult,
  Timestamp,
} from '../../workers/subunit/types.js';
import { createV1Decoder, parseTime } from '../../workers/subunit/v1.js';

const t = (seconds: number, nanos = 0): Timestamp => ({ seconds, nanos });
const bytes = (text: string): Buffer => Buffer.from(text);
const str = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

describe('splitTestId', () => {
  const cases: [string, string, string[]][] = [
    ['a.B.test_x[id-1fc6,smoke]', 'a.B.test_x', ['id-1fc6', 'smoke']],
    [
      'tempest.api.compute.admin.test_agents.AgentsAdminTestJSON.test_create_agent[id-1fc6bdc8-0b6d-4cc7-9f30-9b04fabe5b90,smoke]',
      'tempest.api.compute.admin.test_agents.AgentsAdminTestJSON.test_create_agent',
      ['id-1fc6bdc8-0b6d-4cc7-9f30-9b04fabe5b90', 'smoke'],
    ],
    // Brackets inside the id are part of it.
    [
      'test.datetimetester.ZoneInfoTest[Africa/Abidjan]_Fast.test_folds',
      'test.datetimetester.ZoneInfoTest[Africa/Abidjan]_Fast.test_folds',
      [],
    ],
    [
      'sample.tests.test_ids.ZoneInfoAttrTest[Africa/Abidjan].test_transitions[slow]',
      'sample.tests.test_ids.ZoneInfoAttrTest[Africa/Abidjan].test_transitions',
      ['slow'],
    ],
    // Only the last group is attributes.
    ['foo[a]bar[b]', 'foo[a]bar', ['b']],
    // Class fixtures end with `)`: whole, no attributes.
    ['setUpClass (tempest.api.x.SomeTest)', 'setUpClass (tempest.api.x.SomeTest)', []],
    [
      'setUpClass (tempest.api.x.SomeTest[smoke])',
      'setUpClass (tempest.api.x.SomeTest[smoke])',
      [],
    ],
    // Nested brackets stay inside the group; unbalanced ones are no group.
    ['x[a[1],b]', 'x', ['a[1]', 'b']],
    ['x[a]]', 'x[a]]', []],
    ['x]', 'x]', []],
    // Nothing before the group, or an empty group: not attributes.
    ['[smoke]', '[smoke]', []],
    ['test_x[]', 'test_x[]', []],
    // Content is split as is, so the raw id can be rebuilt exactly.
    ['t[a, b,,c]', 't', ['a', ' b', '', 'c']],
    ['plain.id', 'plain.id', []],
    ['', '', []],
  ];
  it.each(cases)('%s', (raw, testId, attrs) => {
    expect(splitTestId(raw)).toEqual({ testId, attrs });
    expect(joinTestId(testId, attrs)).toBe(raw);
  });

  it('recognises class and module fixtures', () => {
    expect(fixtureOf('setUpClass (tempest.api.x.SomeTest)')).toEqual({
      kind: 'setUpClass',
      target: 'tempest.api.x.SomeTest',
    });
    expect(fixtureOf('tearDownModule (tempest.api.x)')).toEqual({
      kind: 'tearDownModule',
      target: 'tempest.api.x',
    });
    expect(fixtureOf('tempest.api.x.SomeTest.test_y')).toBeUndefined();
  });
});

/** Runs events through an assembler; returns what it emitted. */
function assemble(events: SubunitEvent[], options?: ResultAssemblerOptions) {
  const results: TestResult[] = [];
  const runAttachments: Attachment[] = [];
  const assembler = createResultAssembler(
    { result: (r) => results.push(r), runAttachment: (a) => runAttachments.push(a) },
    options,
  );
  for (const event of events) assembler.event(event);
  const summary = assembler.end();
  return { results, runAttachments, summary };
}

const start = (
  testId: string,
  at?: Timestamp,
  extra: Partial<SubunitEvent> = {},
): SubunitEvent => ({
  testId,
  status: 'inprogress',
  timestamp: at,
  runnable: true,
  ...extra,
});
const done = (
  testId: string,
  status: SubunitEvent['status'],
  at?: Timestamp,
  extra: Partial<SubunitEvent> = {},
): SubunitEvent => ({ testId, status, timestamp: at, runnable: true, ...extra });
const chunk = (
  testId: string | undefined,
  name: string,
  text: string,
  eof: boolean,
  mime?: string,
): SubunitEvent => ({
  testId,
  status: 'none',
  mime,
  file: { name, bytes: bytes(text), eof },
  runnable: true,
});

describe('createResultAssembler', () => {
  it('builds one result per attempt with times, tags, worker and attachments', () => {
    const { results, summary } = assemble([
      start('pkg.T.test_a[id-1,smoke]', t(100, 5_000)),
      chunk('pkg.T.test_a[id-1,smoke]', 'traceback', 'Traceback\n', false, 'text/x-traceback'),
      chunk('pkg.T.test_a[id-1,smoke]', 'traceback', '  boom\n', true, 'ignored/later'),
      done('pkg.T.test_a[id-1,smoke]', 'fail', t(101, 999_999), { tags: ['worker-3', 'api'] }),
    ]);
    expect(results).toHaveLength(1);
    const [r] = results;
    expect(r).toMatchObject({
      testId: 'pkg.T.test_a',
      attrs: ['id-1', 'smoke'],
      status: 'fail',
      startUs: 100_000_005,
      stopUs: 101_000_999,
      tags: ['api', 'worker-3'],
      worker: 3,
      routeCode: null,
    });
    expect(r!.attachments.map((a) => [a.name, a.mime, str(a.bytes)])).toEqual([
      ['traceback', 'text/x-traceback', 'Traceback\n  boom\n'],
    ]);
    expect(summary.results).toBe(1);
    expect(summary.statuses.fail).toBe(1);
  });

  it('emits a result as soon as its final status arrives', () => {
    const results: TestResult[] = [];
    const assembler = createResultAssembler({
      result: (r) => results.push(r),
      runAttachment: () => {},
    });
    assembler.event(start('a', t(1)));
    assembler.event(start('b', t(1)));
    expect(results).toHaveLength(0);
    assembler.event(done('b', 'success', t(2)));
    expect(results.map((r) => r.testId)).toEqual(['b']);
    assembler.event(done('a', 'skip', t(3)));
    expect(results.map((r) => r.testId)).toEqual(['b', 'a']);
    expect(assembler.end().results).toBe(2);
  });

  it('keeps every attempt of a retried test', () => {
    const { results } = assemble([
      start('t', t(1)),
      done('t', 'fail', t(2)),
      start('t', t(10)),
      done('t', 'success', t(11)),
    ]);
    expect(results.map((r) => [r.status, r.startUs, r.stopUs])).toEqual([
      ['fail', 1_000_000, 2_000_000],
      ['success', 10_000_000, 11_000_000],
    ]);
  });

  it('reports tests still open at the end as incomplete', () => {
    const { results, summary } = assemble([
      start('hangs', t(5), { tags: ['worker-1'] }),
      chunk('hangs', 'stdout', 'partial', false),
      chunk('only-files', 'log', 'x', false),
    ]);
    expect(results.map((r) => [r.testId, r.status, r.startUs, r.stopUs, r.worker])).toEqual([
      ['hangs', 'incomplete', 5_000_000, null, 1],
      ['only-files', 'incomplete', null, null, null],
    ]);
    expect(results[0]!.attachments.map((a) => str(a.bytes))).toEqual(['partial']);
    expect(summary.statuses.incomplete).toBe(2);
  });

  it('takes the tags of the last event that carried tags, as StreamToDict does', () => {
    const { results } = assemble([
      start('a', t(1), { tags: ['x', 'worker-0'] }),
      done('a', 'success', t(2), { tags: ['y'] }),
      start('b', t(1), { tags: ['x', 'worker-0'] }),
      done('b', 'success', t(2)),
      start('c', t(1), { tags: ['x'] }),
      done('c', 'success', t(2), { tags: [] }),
    ]);
    expect(results.map((r) => [r.testId, r.tags, r.worker])).toEqual([
      ['a', ['y'], null],
      ['b', ['worker-0', 'x'], 0],
      ['c', [], null],
    ]);
  });

  it('reads the worker from worker-N tags', () => {
    expect(workerOf(['smoke', 'worker-12'])).toBe(12);
    expect(workerOf(['worker-10', 'worker-2'])).toBe(2);
    expect(workerOf(['worker-x', 'worker-'])).toBeNull();
    expect(workerOf([])).toBeNull();
  });

  it('times: microseconds, floor of nanoseconds; start falls back to the first timestamp, then stop', () => {
    expect(toMicros(t(1, 1_999))).toBe(1_000_001);
    expect(toMicros(t(1_700_000_000, 999_999_999))).toBe(1_700_000_000_999_999);
    const { results } = assemble([
      done('no-inprogress', 'success', t(7)),
      chunk('file-first', 'log', 'x', true),
      { ...chunk('file-first', 'log2', 'y', true), timestamp: t(3) },
      done('file-first', 'success', t(4)),
      start('no-times'),
      done('no-times', 'success'),
      start('no-final-time', t(8)),
      done('no-final-time', 'success'),
    ]);
    expect(results.map((r) => [r.testId, r.startUs, r.stopUs])).toEqual([
      ['no-inprogress', 7_000_000, 7_000_000],
      ['file-first', 3_000_000, 4_000_000],
      ['no-times', null, null],
      ['no-final-time', 8_000_000, 8_000_000],
    ]);
  });

  it('reassembles interleaved files in order of first appearance', () => {
    const { results } = assemble([
      start('t', t(1)),
      chunk('t', 'stdout', 'o1 ', false, 'text/plain'),
      chunk('t', 'stderr', 'e1 ', false),
      chunk('t', 'stdout', 'o2', true),
      chunk('t', 'empty', '', true),
      chunk('t', 'stderr', 'e2', false),
      // The same name after its EOF is another file.
      chunk('t', 'stdout', 'again', true),
      done('t', 'fail', t(2)),
    ]);
    expect(results[0]!.attachments.map((a) => [a.name, a.mime, str(a.bytes)])).toEqual([
      ['stdout', 'text/plain', 'o1 o2'],
      ['stderr', 'application/octet-stream', 'e1 e2'],
      ['stdout', 'application/octet-stream', 'again'],
    ]);
  });

  it('attaches file content carried by the final packet itself', () => {
    const { results } = assemble([
      start('t', t(1)),
      {
        ...done('t', 'skip', t(2)),
        mime: 'text/plain',
        file: { name: 'reason', bytes: bytes('no'), eof: true },
      },
    ]);
    expect(results[0]!.attachments.map((a) => [a.name, str(a.bytes)])).toEqual([['reason', 'no']]);
  });

  it('ignores exists enumerations', () => {
    const { results } = assemble([
      done('listed.only', 'exists'),
      start('t', t(1)),
      done('t', 'exists'),
      done('t', 'success', t(2)),
    ]);
    expect(results.map((r) => [r.testId, r.status, r.startUs])).toEqual([
      ['t', 'success', 1_000_000],
    ]);
  });

  it('keys attempts by route code and test id', () => {
    const { results } = assemble([
      start('t', t(1), { routeCode: '0' }),
      start('t', t(2), { routeCode: '1' }),
      start('t', t(3)),
      done('t', 'fail', t(4), { routeCode: '1' }),
      done('t', 'success', t(5), { routeCode: '0' }),
      done('t', 'skip', t(6)),
    ]);
    expect(results.map((r) => [r.routeCode, r.status, r.startUs])).toEqual([
      ['1', 'fail', 2_000_000],
      ['0', 'success', 1_000_000],
      [null, 'skip', 3_000_000],
    ]);
  });

  it('collects run-level files per name and emits them at EOF or at the end', () => {
    const { runAttachments, results } = assemble([
      chunk(undefined, 'stdout', 'noise 1\n', false),
      start('t', t(1)),
      chunk(undefined, 'console', 'whole', true, 'text/plain'),
      chunk(undefined, 'stdout', 'noise 2\n', false),
      done('t', 'success', t(2)),
    ]);
    expect(results).toHaveLength(1);
    expect(runAttachments.map((a) => [a.name, a.mime, str(a.bytes)])).toEqual([
      ['console', 'text/plain', 'whole'],
      ['stdout', 'application/octet-stream', 'noise 1\nnoise 2\n'],
    ]);
  });

  it('caps run-level files and says so in the kept text', () => {
    const events = Array.from({ length: 10 }, () =>
      chunk(undefined, 'stdout', '0123456789', false),
    );
    events.push(chunk(undefined, 'other', 'abcdef', false));
    const { runAttachments, summary } = assemble(events, { maxRunFileBytes: 25, maxRunBytes: 28 });
    const [stdout, other] = runAttachments;
    expect(str(stdout!.bytes)).toBe(
      '0123456789012345678901234\n[gatewatch: 75 more bytes of this file were dropped; only the first 25 are kept]\n',
    );
    expect(str(other!.bytes)).toMatch(/^abc\n\[gatewatch: 3 more bytes/);
    expect(summary.droppedBytes).toBe(78);
  });

  it('caps test attachments too', () => {
    const { results, summary } = assemble(
      [start('t', t(1)), chunk('t', 'big', 'x'.repeat(100), true), done('t', 'success', t(2))],
      { maxTestFileBytes: 10 },
    );
    expect(str(results[0]!.attachments[0]!.bytes)).toMatch(/^x{10}\n\[gatewatch: 90 more bytes/);
    expect(summary.droppedBytes).toBe(90);
  });

  it('joins a file sent in chunks into one attachment', () => {
    const { results } = assemble([
      start('t', t(1)),
      chunk('t', 'a', 'xy', false),
      chunk('t', 'a', 'z', true),
      done('t', 'success', t(2)),
    ]);
    const [attachment] = results[0]!.attachments;
    expect(attachment!.name).toBe('a');
    expect(Buffer.from(attachment!.bytes).toString()).toBe('xyz');
  });
});

interface Decoded {
  events: SubunitEvent[];
  errors: ParseError[];
  directives: number;
}

function decodeV1(chunks: Uint8Array[]): Decoded {
  const events: SubunitEvent[] = [];
  const errors: ParseError[] = [];
  const decoder = createV1Decoder({ event: (e) => events.push(e), error: (e) => errors.push(e) });
  for (const c of chunks) decoder.write(c);
  decoder.end();
  return { events, errors, directives: decoder.directives };
}

/** Events as plain data; consecutive stdout events (their split depends on the chunks) merged. */
function normalise(events: SubunitEvent[]): unknown[] {
  const out: Record<string, unknown>[] = [];
  for (const e of events) {
    const plain: Record<string, unknown> = { ...e };
    if (e.file) plain.file = { ...e.file, bytes: str(e.file.bytes) };
    const last = out[out.length - 1];
    const isStdout = e.testId === undefined && e.file?.name === 'stdout';
    if (
      isStdout &&
      last &&
      last.testId === undefined &&
      (last.file as { name: string }).name === 'stdout'
    ) {
      (last.file as { bytes: string }).bytes += str(e.file!.bytes);
      continue;
    }
    out.push(plain);
  }
  return out;
}

const T0 = t(1577836800, 500_000_000);
const out = (text: string) => ({
  status: 'none',
  runnable: false,
  file: { name: 'stdout', bytes: text, eof: false },
});

describe('createV1Decoder', () => {
  it('maps a test to inprogress, its details to files and its outcome to a final status', () => {
    const stream = [
      'time: 2020-01-01 00:00:00.5Z',
      'tags: global',
      'test: pkg.T.test_a',
      'some output',
      'tags: inside -global',
      'failure: pkg.T.test_a [',
      'Traceback (most recent call last):',
      ' ] quoted bracket',
      '  ]indented stays',
      ']',
      'test: pkg.T.test_b',
      'success: pkg.T.test_b',
      '',
    ].join('\n');
    const { events, errors, directives } = decodeV1([bytes(stream)]);
    expect(errors).toEqual([]);
    expect(directives).toBe(7);
    expect(normalise(events)).toEqual([
      { testId: 'pkg.T.test_a', status: 'inprogress', timestamp: T0, runnable: true },
      out('some output\n'),
      {
        testId: 'pkg.T.test_a',
        status: 'none',
        timestamp: T0,
        mime: 'text/x-traceback; charset="utf8"',
        file: {
          name: 'traceback',
          bytes: 'Traceback (most recent call last):\n] quoted bracket\n  ]indented stays\n',
          eof: true,
        },
        runnable: true,
      },
      { testId: 'pkg.T.test_a', status: 'fail', timestamp: T0, tags: ['inside'], runnable: true },
      { testId: 'pkg.T.test_b', status: 'inprogress', timestamp: T0, runnable: true },
      {
        testId: 'pkg.T.test_b',
        status: 'success',
        timestamp: T0,
        tags: ['global'],
        runnable: true,
      },
    ]);
  });

  it('names simple details as python-subunit does per outcome', () => {
    const outcomes = [
      'success',
      'successful:',
      'failure:',
      'error:',
      'skip',
      'skip:',
      'xfail',
      'uxsuccess',
    ];
    const stream = outcomes.map((o) => `test x\n${o} x [\nbody\n]\n`).join('');
    const { events } = decodeV1([bytes(stream)]);
    const files = events.filter((e) => e.file).map((e) => [e.file!.name, e.mime]);
    const finals = events.filter((e) => e.status !== 'inprogress' && !e.file).map((e) => e.status);
    const tb = 'text/x-traceback; charset="utf8"';
    expect(files).toEqual([
      ['message', 'text/plain'],
      ['message', 'text/plain'],
      ['traceback', tb],
      ['traceback', tb],
      ['reason', 'text/plain'],
      ['reason', 'text/plain'],
      ['traceback', tb],
      ['traceback', tb],
    ]);
    expect(finals).toEqual([
      'success',
      'success',
      'fail',
      'fail',
      'skip',
      'skip',
      'xfail',
      'uxsuccess',
    ]);
  });

  it('reads multipart details with chunked bodies', () => {
    const stream =
      'test: t\n' +
      'xfail: t [ multipart\n' +
      'Content-Type: text/x-traceback;charset=utf8,language=python\n' +
      'traceback\n' +
      '5\r\nhel\nl' +
      'B\r\no\n]\n0123456' +
      '0\r\n' +
      'Content-Type: text/plain\n' +
      'empty\n' +
      '0\r\n' +
      ']\n';
    const { events, errors } = decodeV1([bytes(stream)]);
    expect(errors).toEqual([]);
    expect(normalise(events).slice(1)).toEqual([
      {
        testId: 't',
        status: 'none',
        mime: 'text/x-traceback;charset=utf8,language=python',
        file: { name: 'traceback', bytes: 'hel\nlo\n]\n0123456', eof: true },
        runnable: true,
      },
      {
        testId: 't',
        status: 'none',
        mime: 'text/plain',
        file: { name: 'empty', bytes: '', eof: true },
        runnable: true,
      },
      { testId: 't', status: 'xfail', tags: [], runnable: true },
    ]);
  });

  it('treats outcome lines outside their test, and a nested test:, as output', () => {
    const stream = [
      'error: setUpClass (pkg.T)',
      'test: a',
      'test: b',
      'success: b',
      'success:',
      ' success: a',
      'success: a',
      'unknown: x',
      '',
    ].join('\n');
    const { events } = decodeV1([bytes(stream)]);
    expect(normalise(events)).toEqual([
      out('error: setUpClass (pkg.T)\n'),
      { testId: 'a', status: 'inprogress', runnable: true },
      out('test: b\nsuccess: b\nsuccess:\n success: a\n'),
      { testId: 'a', status: 'success', tags: [], runnable: true },
      out('unknown: x\n'),
    ]);
  });

  it('reports a test cut off by the end of the stream as python-subunit does', () => {
    const lost = (text: string) => {
      const { events } = decodeV1([bytes(text)]);
      return normalise(events.slice(-2));
    };
    const traceback = (message: string) => ({
      testId: 'hang',
      status: 'none',
      mime: 'text/x-traceback; charset="utf8"; language="python"',
      file: {
        name: 'traceback',
        bytes: `testtools.testresult.real._StringException: ${message}\n`,
        eof: true,
      },
      runnable: true,
    });
    const fail = { testId: 'hang', status: 'fail', tags: ['w'], runnable: true };
    expect(lost('tags: w\ntest: hang\n')).toEqual([
      traceback("lost connection during test 'hang'"),
      fail,
    ]);
    // Details read so far are dropped.
    expect(lost('tags: w\ntest: hang\nfailure: hang [\npartial')).toEqual([
      traceback("lost connection during failure report of test 'hang'"),
      fail,
    ]);
    expect(
      lost('tags: w\ntest: hang\nskip: hang [ multipart\nContent-Type: text/plain\nx\n5\r\nab'),
    ).toEqual([traceback("lost connection during skip report of test 'hang'"), fail]);
  });

  it('reads a last line without LF as a whole line', () => {
    const { events } = decodeV1([bytes('test: a\nsuccess: a')]);
    expect(events.map((e) => e.status)).toEqual(['inprogress', 'success']);
  });

  it('parses time: with fractions and zones; reports a bad one', () => {
    expect(parseTime('2020-01-01 00:00:00Z')).toEqual(t(1577836800, 0));
    expect(parseTime('2020-01-01T01:30:00.123456789123+01:30')).toEqual(t(1577836800, 123_456_789));
    expect(parseTime('2020-01-01 00:00:00.000249-00:30')).toEqual(t(1577838600, 249_000));
    expect(parseTime('2020-02-30 00:00:00Z')).toBeUndefined();
    expect(parseTime('2020-01-01')).toBeUndefined();
    const { events, errors } = decodeV1([bytes('junk\ntime: yesterday\ntest: a\n')]);
    expect(errors).toMatchObject([{ offset: 5, message: 'Invalid time: "time: yesterday"' }]);
    expect(events[1]).toEqual({ testId: 'a', status: 'inprogress', runnable: true });
  });

  it('recovers from a malformed multipart part at the closing bracket', () => {
    const stream =
      'test: t\nfailure: t [ multipart\nContent-Type: text/plain\nlog\n3\r\nabcZZ\r\nmore\n]\ntest: u\n';
    const { events, errors } = decodeV1([bytes(stream)]);
    expect(errors).toMatchObject([{ message: expect.stringMatching(/^Invalid chunk length/) }]);
    expect(normalise(events).map((e) => (e as SubunitEvent).status)).toEqual([
      'inprogress',
      'none',
      'fail',
      'inprogress',
      'none',
      'fail',
    ]);
    expect((normalise(events)[1] as { file: { bytes: string } }).file.bytes).toBe('abc');
  });

  it('closes details at a `]` where a chunk length was due', () => {
    const { events, errors } = decodeV1([
      bytes('test: t\nskip: t [ multipart\nContent-Type: text/plain\nreason\n2\r\nno]\ntest: u\n'),
    ]);
    expect(errors).toHaveLength(1);
    expect(events.map((e) => [e.testId, e.status, e.file && str(e.file.bytes)])).toEqual([
      ['t', 'inprogress', undefined],
      ['t', 'none', 'no'],
      ['t', 'skip', undefined],
      ['u', 'inprogress', undefined],
      [
        'u',
        'none',
        "testtools.testresult.real._StringException: lost connection during test 'u'\n",
      ],
      ['u', 'fail', undefined],
    ]);
  });

  it('reads CRLF lines without the CR in labels', () => {
    const { events } = decodeV1([bytes('test: a\r\nskip: a [\r\nwhy\r\n]\r\n')]);
    expect(events.map((e) => [e.testId, e.status, e.file && str(e.file.bytes)])).toEqual([
      ['a', 'inprogress', undefined],
      ['a', 'none', 'why\r\n'],
      ['a', 'skip', undefined],
    ]);
  });

  it('passes an over-long line on in pieces without holding it', () => {
    const long = 'x'.repeat(3 * 1024 * 1024 + 5);
    const { events } = decodeV1([bytes(`test: t\n${long}`), bytes('\nsuccess: t\n')]);
    const merged = normalise(events);
    expect(merged).toHaveLength(3);
    expect((merged[1] as { file: { bytes: string } }).file.bytes).toBe(`${long}\n`);
    expect(events.filter((e) => e.file).every((e) => e.file!.bytes.length <= 1024 * 1024)).toBe(
      true,
    );
  });

  it('splits a large simple detail into chunks that reassemble', () => {
    const body = 'line of a big traceback\n'.repeat(100_000);
    const { events } = decodeV1([bytes(`test: t\nfailure: t [\n${body}]\n`)]);
    const files = events.filter((e) => e.file);
    expect(files.length).toBeGreaterThan(1);
    expect(files.map((e) => e.file!.eof)).toEqual([...files.slice(1).map(() => false), true]);
    expect(files.map((e) => str(e.file!.bytes)).join('')).toBe(body);
  });

  const rich =
    'time: 2020-01-01 00:00:00.5Z\n' +
    'tags: run-tag worker-0\n' +
    'noise before ³ tests\n' +
    'test: pkg.T.test_a[id-1,smoke]\n' +
    'time: 2020-01-01 00:00:01.000001Z\n' +
    'error: pkg.T.test_a[id-1,smoke] [\n' +
    'Traceback\n' +
    ' ]\n' +
    ']\n' +
    'testing pkg.T.test_b\n' +
    'tags: -worker-0 worker-1\n' +
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
    'test: cut off\n' +
    'failure: cut off [\n' +
    'half a traceback';

  it('gives the same events however the input is split', () => {
    const whole = normalise(decodeV1([bytes(rich)]).events);
    expect(whole.length).toBeGreaterThan(10);
    const buf = bytes(rich);
    for (let i = 0; i <= buf.length; i++) {
      const split = normalise(decodeV1([buf.subarray(0, i), buf.subarray(i)]).events);
      expect(split, `split at ${i}`).toEqual(whole);
    }
    const bytewise = normalise(decodeV1([...buf].map((b) => Uint8Array.of(b))).events);
    expect(bytewise).toEqual(whole);
  });
});

describe('detectFormat', () => {
  const packet = encodePacket({ testId: 'foo', status: 'exists', runnable: true });

  it('finds gzip, v2 and v1', () => {
    expect(detectFormat(Uint8Array.of(0x1f, 0x8b, 8, 0))).toBe('gzip');
    expect(detectFormat(packet)).toBe('v2');
    expect(
      detectFormat(Buffer.concat([bytes('runner output\nerror: setUpClass (x)\n'), packet])),
    ).toBe('v2');
    expect(detectFormat(bytes('time: 2020-01-01 00:00:00Z\ntest: foo\n'))).toBe('v1');
    expect(detectFormat(bytes('some output\ntesting foo\n'))).toBe('v1');
    expect(detectFormat(Buffer.concat([bytes('test: foo\n'), packet]))).toBe('v1');
  });

  it('falls back to v2 for input with no subunit in it', () => {
    expect(detectFormat(bytes('hello\nerror: not a directive outside a test\ntime: 3s\n'))).toBe(
      'v2',
    );
    expect(detectFormat(new Uint8Array(0))).toBe('v2');
  });

  it('does not take a stray 0xB3 for a packet', () => {
    // `³ ` is C2 B3 20: 0xB3 inside a character, then a byte with version nibble 2.
    expect(detectFormat(bytes('x³ y\ntest: foo\n'))).toBe('v1');
    // Outside a character, with a bad CRC.
    const bad = Buffer.from(packet);
    bad[bad.length - 1]! ^= 0xff;
    expect(detectFormat(Buffer.concat([bad, bytes('\ntest: foo\n')]))).toBe('v1');
  });

  it('waits for more bytes while they could change the answer', () => {
    expect(sniffFormat(Uint8Array.of(0x1f))).toBeUndefined();
    expect(sniffFormat(packet.subarray(0, packet.length - 1))).toBeUndefined();
    expect(sniffFormat(packet)).toBe('v2');
    expect(sniffFormat(bytes('test: fo'))).toBeUndefined();
    expect(sniffFormat(bytes('test: foo\n'))).toBe('v1');
    expect(sniffFormat(bytes('plain output\n'))).toBeUndefined();
    expect(DETECT_LIMIT).toBeGreaterThanOrEqual(4096);
  });
});

describe('createSubunitParser', () => {
  function parse(chunks: Uint8Array[]) {
    const results: TestResult[] = [];
    const runAttachments: Attachment[] = [];
    const errors: ParseError[] = [];
    const parser = createSubunitParser({
      result: (r) => results.push(r),
      runAttachment: (a) => runAttachments.push(a),
      parseError: (e) => errors.push(e),
    });
    for (const c of chunks) parser.write(c);
    return { summary: parser.end(), results, runAttachments, errors };
  }

  it('says when the input holds no subunit at all', () => {
    const { summary, runAttachments, results } = parse([bytes('<html>not a stream</html>\n')]);
    expect(summary).toMatchObject({ format: null, packets: 0, results: 0, runAttachments: 1 });
    expect(results).toEqual([]);
    expect(str(runAttachments[0]!.bytes)).toBe('<html>not a stream</html>\n');
    expect(parse([]).summary.format).toBeNull();
  });

  it('parses v2 and counts packets, not pass-through bytes', () => {
    const stream = Buffer.concat([
      bytes('leading noise\n'),
      encodePacket({ testId: 'a', status: 'inprogress', timestamp: t(1), runnable: true }),
      encodePacket({
        testId: 'a',
        status: 'success',
        timestamp: t(2),
        tags: ['worker-0'],
        runnable: true,
      }),
    ]);
    const { summary, results, runAttachments } = parse([stream]);
    expect(summary).toMatchObject({
      format: 'v2',
      packets: 2,
      parseErrors: 0,
      results: 1,
      bytes: stream.length,
    });
    expect(results[0]).toMatchObject({ testId: 'a', status: 'success', worker: 0 });
    expect(runAttachments.map((a) => str(a.bytes))).toEqual(['leading noise\n']);
  });

  it('forwards parse errors', () => {
    const good = encodePacket({ testId: 'a', status: 'success', runnable: true });
    const bad = Buffer.from(good);
    bad[bad.length - 1]! ^= 0xff;
    const { summary, errors } = parse([Buffer.concat([good, bad, good])]);
    expect(summary).toMatchObject({ format: 'v2', packets: 2, parseErrors: 1, results: 2 });
    expect(errors[0]).toMatchObject({
      offset: good.length,
      message: expect.stringMatching(/^Bad checksum/),
    });
  });

  it('parses v1 the same however it is split', () => {
    const stream = bytes('noise\n'.repeat(10) + 'test: a\ntags: worker-2\nsuccess: a\ntest: b\n');
    const whole = parse([stream]);
    expect(whole.summary).toMatchObject({ format: 'v1', packets: 4, results: 2 });
    expect(whole.results.map((r) => [r.testId, r.status, r.worker])).toEqual([
      ['a', 'success', 2],
      ['b', 'fail', null],
    ]);
    for (let i = 0; i <= stream.length; i++) {
      const split = parse([stream.subarray(0, i), stream.subarray(i)]);
      expect(split.results, `split at ${i}`).toEqual(whole.results);
      expect(split.runAttachments).toEqual(whole.runAttachments);
    }
  });

  it('refuses gzip input', () => {
    expect(() => parse([Uint8Array.of(0x1f, 0x8b, 8, 0)])).toThrow(/gzip/);
  });
});
