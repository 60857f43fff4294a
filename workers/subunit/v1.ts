/**
 * Incremental subunit v1 (text protocol) decoder.
 *
 * It gives the events that python-subunit's v1 parser (`TestProtocolServer`) feeding
 * testtools' `ExtendedToStreamDecorator` gives, i.e. what `subunit-1to2` turns a v1 stream
 * into:
 * - `test[ing][:] LABEL` outside a test starts it: an `inprogress` event. Inside a test it is
 *   ordinary output, as are outcome lines outside a test or naming another test (so the
 *   `error: setUpClass (…)` lines unittest writes without a `test:` are output).
 * - `success[ful][:]`, `failure:`, `error:` (→ `fail`), `skip[:]`, `xfail[:]`, `uxsuccess[:]`
 *   with the current test's label end it: its details as file events, then the status
 *   carrying the current tags. Simple `[` details become `traceback`
 *   (`text/x-traceback; charset="utf8"`) for failure, error, xfail and uxsuccess, `reason`
 *   for skip and `message` for success (`text/plain`); multipart details keep their names and
 *   MIME types.
 * - `tags:` changes the tags of the current test, or outside a test those of the run (a test
 *   starts with the run's tags). `time:` sets the timestamp of the events that follow;
 *   before any, events have none. `progress:` is accepted and ignored.
 * - A stream that ends inside a test reports it as python-subunit does: a `fail` with a
 *   `traceback` saying `lost connection during test 'LABEL'` (or `during failure report of
 *   test …` inside its details); details read so far are dropped.
 * - Any other line is stdout: a file event named `stdout` with no test id.
 *
 * Where python-subunit would crash or stall, this decoder reports a {@link ParseError} and
 * goes on: a bad `time:` is ignored; a malformed multipart part is closed with what it had
 * and the rest of the details up to `]` is skipped. Deliberate differences: a trailing `\r`
 * is not part of a label or part name (CRLF input), `]\r` also ends details, a last line
 * with no LF is read as a whole line (python drops its last character), and `time:`
 * fractions are read digit for digit (python goes through a float and is 1 µs low for about
 * 1% of values).
 *
 * Memory stays bounded: a line is held until its LF up to 1 MiB (`../lines.ts`; longer lines
 * are passed on in pieces), details are passed on in chunks of at most 1 MiB, and what is held back until
 * `]` (so a lost connection can drop it as python does) is capped at 1 MiB.
 */
import { Buffer } from 'node:buffer';
import { LineSplitter, type LineSink } from '../lines.js';
import type { DecoderSink, StreamDecoder } from './decoder.js';
import type { PacketStatus, SubunitEvent, Timestamp } from './types.js';

/** A v1 decoder; `directives` counts the protocol lines it acted on. */
export interface V1Decoder extends StreamDecoder {
  readonly directives: number;
}

/** Creates a decoder delivering the events of a subunit v1 text stream to `sink`. */
export function createV1Decoder(sink: DecoderSink): V1Decoder {
  return new V1Decoder_(sink);
}

/** Longest line held whole; a longer one is handled in pieces. */
const MAX_LINE = 1024 * 1024;
/** Largest file chunk in one event. */
const FILE_CHUNK = 1024 * 1024;
/** Detail events held back until the details' closing `]`. */
const HOLD_LIMIT = 1024 * 1024;
/** Cap on the raw bytes kept in a {@link ParseError}. */
const MAX_ERROR_BYTES = 4096;

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const CLOSE = 0x5d; // ]

const TRACEBACK_MIME = 'text/x-traceback; charset="utf8"';
const LOST_CONNECTION_MIME = 'text/x-traceback; charset="utf8"; language="python"';
const TEXT_MIME = 'text/plain';

type Outcome = 'success' | 'failure' | 'error' | 'skip' | 'xfail' | 'uxsuccess';

const OUTCOME_WORDS: Readonly<Record<string, Outcome>> = {
  success: 'success',
  successful: 'success',
  failure: 'failure',
  error: 'error',
  skip: 'skip',
  xfail: 'xfail',
  uxsuccess: 'uxsuccess',
};

const STATUS_OF: Readonly<Record<Outcome, PacketStatus>> = {
  success: 'success',
  failure: 'fail',
  error: 'fail',
  skip: 'skip',
  xfail: 'xfail',
  uxsuccess: 'uxsuccess',
};

/** Name and MIME type of simple `[ … ]` details, per outcome (python-subunit's details.py). */
function simpleDetail(outcome: Outcome): { name: string; mime: string } {
  if (outcome === 'skip') return { name: 'reason', mime: TEXT_MIME };
  if (outcome === 'success') return { name: 'message', mime: TEXT_MIME };
  return { name: 'traceback', mime: TRACEBACK_MIME };
}

/** Python's `bytes.split()` whitespace. */
function isSpace(b: number): boolean {
  return b === SPACE || (b >= 0x09 && b <= 0x0d);
}

type State =
  | { kind: 'outside' }
  | { kind: 'test' }
  | { kind: 'simple' }
  /** Multipart: expecting `Content-Type: …` or `]`. */
  | { kind: 'part-type' }
  | { kind: 'part-name'; mime: string }
  /** Expecting a chunk length; a chunk's body bypasses the line reader. */
  | { kind: 'chunk-length' }
  /** After a malformed part: dropping lines up to the closing `]`. */
  | { kind: 'skip-details' };

/** What the rest of an over-long line is. */
type Overflow = 'stdout' | 'content' | 'discard';

/** The decoder is its line splitter's sink: no indirection on the per-line path. */
class V1Decoder_ implements V1Decoder, LineSink {
  directives = 0;

  private state: State = { kind: 'outside' };
  private ended = false;

  private readonly lines = new LineSplitter(this, MAX_LINE);
  /** Where the current line starts. */
  private lineOffset = 0;
  /** What the pieces of the current over-long line are. */
  private overflow: Overflow = 'discard';

  /** Consecutive output lines, passed on as one event. */
  private stdout: Buffer[] = [];
  private stdoutLength = 0;

  private now: Timestamp | undefined;
  private readonly runTags = new Set<string>();
  private testTags = new Set<string>();
  private label = '';
  private outcome: Outcome = 'success';

  /** The detail being read: its bytes not yet passed on. */
  private file: { name: string; mime: string; chunks: Buffer[]; length: number } | undefined;
  /** Detail events held back until `]`. */
  private held: SubunitEvent[] = [];
  private heldLength = 0;

  constructor(private readonly sink: DecoderSink) {}

  write(chunk: Uint8Array): void {
    if (this.ended) throw new Error('subunit v1 decoder: write() after end()');
    this.lines.write(chunk);
    this.flushStdout();
  }

  end(): void {
    if (this.ended) return;
    this.lines.end();
    this.ended = true;
    const state = this.state;
    if (state.kind === 'test') {
      this.lostConnection('');
    } else if (state.kind !== 'outside') {
      this.lostConnection(`${this.outcome} report of `);
    }
    this.flushStdout();
  }

  // ---- lines ----

  /** Handles one line (with its LF, if it had one). */
  line(raw: Buffer, offset: number): void {
    this.lineOffset = offset;
    switch (this.state.kind) {
      case 'outside':
      case 'test':
        this.directive(raw);
        return;
      case 'simple':
        if (isEndMarker(raw)) {
          this.endFile();
          this.endDetails();
        } else {
          // ` ]` at the start of a line quotes a `]`.
          this.content(
            raw.length >= 2 && raw[0] === SPACE && raw[1] === CLOSE ? raw.subarray(1) : raw,
          );
        }
        return;
      case 'part-type':
        this.partType(raw);
        return;
      case 'part-name': {
        this.file = { name: text(raw), mime: this.state.mime, chunks: [], length: 0 };
        this.state = { kind: 'chunk-length' };
        return;
      }
      case 'chunk-length':
        this.chunkLength(raw);
        return;
      case 'skip-details':
        if (isEndMarker(raw)) this.endDetails();
        return;
    }
  }

  /** A line in or out of a test: a directive, or output. */
  private directive(raw: Buffer): void {
    const parsed = splitDirective(raw);
    if (parsed === undefined) {
      this.output(raw);
      return;
    }
    const { word, labelStart } = parsed;
    const inTest = this.state.kind === 'test';
    if (word === 'test' || word === 'testing') {
      if (inTest) {
        this.output(raw);
        return;
      }
      this.directives++;
      this.label = text(raw.subarray(labelStart));
      this.testTags = new Set(this.runTags);
      this.state = { kind: 'test' };
      this.emit({
        testId: this.label,
        status: 'inprogress',
        ...this.timestamp(),
        runnable: true,
      });
      return;
    }
    const outcome = OUTCOME_WORDS[word];
    if (outcome !== undefined) {
      if (!inTest) {
        this.output(raw);
        return;
      }
      const label = text(raw.subarray(labelStart));
      if (label === this.label) {
        this.directives++;
        this.finish(outcome);
      } else if (label === `${this.label} [`) {
        this.directives++;
        this.outcome = outcome;
        const { name, mime } = simpleDetail(outcome);
        this.file = { name, mime, chunks: [], length: 0 };
        this.state = { kind: 'simple' };
      } else if (label === `${this.label} [ multipart`) {
        this.directives++;
        this.outcome = outcome;
        this.state = { kind: 'part-type' };
      } else {
        this.output(raw);
      }
      return;
    }
    switch (word) {
      case 'tags':
        this.directives++;
        this.tags(text(raw.subarray(labelStart)));
        return;
      case 'time': {
        this.directives++;
        const time = parseTime(text(raw.subarray(labelStart)));
        if (time === undefined) {
          this.error(`Invalid time: ${quote(text(raw))}`, raw);
        } else {
          this.now = time;
        }
        return;
      }
      case 'progress':
        this.directives++;
        return;
      default:
        this.output(raw);
    }
  }

  private tags(words: string): void {
    const added: string[] = [];
    const gone: string[] = [];
    for (const tag of words.split(/\s+/)) {
      if (tag === '') continue;
      if (tag.startsWith('-')) gone.push(tag.slice(1));
      else added.push(tag);
    }
    const target = this.state.kind === 'test' ? this.testTags : this.runTags;
    for (const tag of added) target.add(tag);
    for (const tag of gone) target.delete(tag);
  }

  private partType(raw: Buffer): void {
    if (isEndMarker(raw)) {
      this.endDetails();
      return;
    }
    const line = text(raw);
    const space = line.indexOf(' ');
    const mime = space < 0 ? '' : line.slice(space + 1);
    if (!mime.includes('/')) {
      this.error(
        `Invalid multipart header, expected 'Content-Type: TYPE/SUBTYPE': ${quote(line)}`,
        raw,
      );
      this.state = { kind: 'skip-details' };
      return;
    }
    this.state = { kind: 'part-name', mime };
  }

  private chunkLength(raw: Buffer): void {
    const line = raw.toString('latin1');
    const match = /^([0-9A-Fa-f]{1,8})\r?\n?$/.exec(line);
    if (!match) {
      this.error(`Invalid chunk length in multipart details: ${quote(line)}`, raw);
      this.endFile();
      // A `]` here still closes the details.
      if (isEndMarker(raw)) this.endDetails();
      else this.state = { kind: 'skip-details' };
      return;
    }
    const length = parseInt(match[1]!, 16);
    if (length === 0) {
      this.endFile();
      this.state = { kind: 'part-type' };
    } else {
      this.lines.passBytes(length);
    }
  }

  /** A line too long to hold: routes its first piece, which decides where the rest goes. */
  overlong(piece: Buffer, offset: number, first: boolean): void {
    if (!first) {
      this.overflowPiece(piece);
      return;
    }
    this.lineOffset = offset;
    const kind = this.state.kind;
    if (kind === 'outside' || kind === 'test') {
      this.overflow = 'stdout';
    } else if (kind === 'simple') {
      this.overflow = 'content';
      if (piece[0] === SPACE && piece[1] === CLOSE) {
        this.content(piece.subarray(1));
        return;
      }
    } else {
      if (kind !== 'skip-details') {
        this.error(`Line of over ${MAX_LINE} bytes in multipart details`, piece);
        if (this.file !== undefined) this.endFile();
        this.state = { kind: 'skip-details' };
      }
      this.overflow = 'discard';
      return;
    }
    this.overflowPiece(piece);
  }

  /** A chunk's body, which bypasses the line reader. */
  bytes(body: Buffer): void {
    this.content(body);
  }

  private overflowPiece(piece: Buffer): void {
    if (this.overflow === 'stdout') this.output(piece);
    else if (this.overflow === 'content') this.content(piece);
  }

  // ---- outcomes and details ----

  /** Ends the current test with `outcome`. */
  private finish(outcome: Outcome): void {
    this.emit({
      testId: this.label,
      status: STATUS_OF[outcome],
      ...this.timestamp(),
      tags: [...this.testTags].sort(),
      runnable: true,
    });
    this.state = { kind: 'outside' };
    this.label = '';
  }

  /** Bytes of the current detail. */
  private content(bytes: Buffer): void {
    const file = this.file;
    if (file === undefined || bytes.length === 0) return;
    let rest = bytes;
    while (file.length + rest.length >= FILE_CHUNK) {
      const take = FILE_CHUNK - file.length;
      file.chunks.push(Buffer.from(rest.subarray(0, take)));
      file.length += take;
      rest = rest.subarray(take);
      this.fileEvent(false);
    }
    if (rest.length > 0) {
      file.chunks.push(Buffer.from(rest));
      file.length += rest.length;
    }
  }

  /** Closes the current detail (an EOF chunk, perhaps empty). */
  private endFile(): void {
    if (this.file === undefined) return;
    this.fileEvent(true);
    this.file = undefined;
  }

  private fileEvent(eof: boolean): void {
    const file = this.file!;
    const bytes = Buffer.concat(file.chunks, file.length);
    file.chunks = [];
    file.length = 0;
    this.held.push({
      testId: this.label,
      status: 'none',
      ...this.timestamp(),
      mime: file.mime,
      file: { name: file.name, bytes, eof },
      runnable: true,
    });
    this.heldLength += bytes.length;
    // Past the cap, what is held goes out now; only a lost connection would miss it.
    if (this.heldLength > HOLD_LIMIT) this.releaseHeld();
  }

  private releaseHeld(): void {
    const held = this.held;
    this.held = [];
    this.heldLength = 0;
    for (const event of held) this.emit(event);
  }

  /** The closing `]` of the details: they count, and the test ends. */
  private endDetails(): void {
    this.releaseHeld();
    this.finish(this.outcome);
  }

  /** The stream ended inside a test (python-subunit's `_lostConnectionInTest`). */
  private lostConnection(stateString: string): void {
    this.held = [];
    this.heldLength = 0;
    this.file = undefined;
    const message = `lost connection during ${stateString}test '${this.label}'`;
    this.emit({
      testId: this.label,
      status: 'none',
      ...this.timestamp(),
      mime: LOST_CONNECTION_MIME,
      file: {
        name: 'traceback',
        bytes: Buffer.from(`testtools.testresult.real._StringException: ${message}\n`),
        eof: true,
      },
      runnable: true,
    });
    this.finish('error');
  }

  // ---- output ----

  private timestamp(): { timestamp?: Timestamp } {
    return this.now === undefined ? {} : { timestamp: this.now };
  }

  private output(bytes: Buffer): void {
    let rest = bytes;
    while (rest.length > 0) {
      const take = Math.min(rest.length, FILE_CHUNK - this.stdoutLength);
      // Lines may live in the caller's chunk, which it may reuse after write().
      this.stdout.push(Buffer.from(rest.subarray(0, take)));
      this.stdoutLength += take;
      rest = rest.subarray(take);
      if (this.stdoutLength >= FILE_CHUNK) this.flushStdout();
    }
  }

  private flushStdout(): void {
    if (this.stdoutLength === 0) return;
    const bytes = Buffer.concat(this.stdout, this.stdoutLength);
    this.stdout = [];
    this.stdoutLength = 0;
    this.sink.event({
      status: 'none',
      file: { name: 'stdout', bytes, eof: false },
      runnable: false,
    });
  }

  private emit(event: SubunitEvent): void {
    this.flushStdout();
    this.sink.event(event);
  }

  private error(message: string, raw: Buffer): void {
    this.sink.error({
      offset: this.lineOffset,
      message,
      bytes: Buffer.from(raw.subarray(0, MAX_ERROR_BYTES)),
    });
  }
}

/** A line, quoted and shortened for an error message. */
function quote(line: string): string {
  return JSON.stringify(line.length > 200 ? `${line.slice(0, 200)}…` : line);
}

/** `]` LF (or `]` CR LF, or a last line `]`): the end of details. */
function isEndMarker(raw: Buffer): boolean {
  if (raw[0] !== CLOSE) return false;
  const n = raw.length;
  return n === 1 || (n === 2 && raw[1] === LF) || (n === 3 && raw[1] === CR && raw[2] === LF);
}

/** A line's bytes as text, without its LF and a CR before it. */
function text(raw: Buffer): string {
  let end = raw.length;
  if (end > 0 && raw[end - 1] === LF) end--;
  if (end > 0 && raw[end - 1] === CR) end--;
  return raw.toString('utf8', 0, end);
}

/**
 * The directive word of a line and where its argument starts, the way python-subunit reads
 * it: the first whitespace-separated word with its trailing colons stripped, something
 * non-blank after it, no leading whitespace; the argument starts one byte after the word.
 */
function splitDirective(raw: Buffer): { word: string; labelStart: number } | undefined {
  const n = raw.length;
  let end = 0;
  while (end < n && !isSpace(raw[end]!)) end++;
  // Directive words are short; anything longer is output.
  if (end === 0 || end > 32) return undefined;
  let rest = end;
  while (rest < n && isSpace(raw[rest]!)) rest++;
  if (rest === n) return undefined;
  const word = raw.toString('latin1', 0, end).replace(/:+$/, '');
  return { word, labelStart: end + 1 };
}

const TIME =
  /^(\d{4})-(\d{1,2})-(\d{1,2}).(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([-+])(\d{2}):(\d{2}))?/;

/** Parses a `time:` argument (`YYYY-MM-DD HH:MM:SS[.ffffff](Z|±HH:MM)`, UTC if no zone). */
export function parseTime(value: string): Timestamp | undefined {
  const m = TIME.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute ||
    check.getUTCSeconds() !== second
  ) {
    return undefined;
  }
  let seconds = ms / 1000;
  if (m[9] !== undefined) {
    const offset = Number(m[10]) * 3600 + Number(m[11]) * 60;
    seconds -= m[9] === '-' ? -offset : offset;
  }
  const fraction = m[7] ?? '';
  const nanos = fraction === '' ? 0 : Number(fraction.slice(0, 9).padEnd(9, '0'));
  return { seconds, nanos };
}
