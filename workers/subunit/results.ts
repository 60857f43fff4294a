/**
 * Turns subunit events into one {@link TestResult} per test attempt, as they stream by.
 *
 * The grouping is testtools' `StreamToDict` (what stestr, subunit2sql and stackviz build on):
 * - an attempt is keyed by (route code, test id) and opened by its first event, normally the
 *   `inprogress`; it ends with a final status (`success`, `fail`, `skip`, `xfail`,
 *   `uxsuccess`), and is emitted right then, so memory holds only the tests in flight;
 * - the same id after its final status opens a new attempt: retries give one result each;
 * - tags are those of the **last event that carried tags** (they replace, not accumulate;
 *   stestr puts them on the final status); `worker` comes from a `worker-N` tag;
 * - start is the first timestamp of the attempt (the `inprogress` one), stop the final
 *   status's (or, lacking one, the last seen); a test with no earlier timestamp starts when
 *   it stops;
 * - an attempt still open when the stream ends is `incomplete` with no stop, as StreamToDict
 *   reports it (`inprogress`, or `unknown` when it only had file events);
 * - `exists` events (test enumerations) are not results and are ignored.
 *
 * Files are reassembled per (attempt, file name) in the order they were first seen; an EOF
 * closes a file, and a later chunk of the same name starts another attachment. A file without
 * EOF when its test ends is kept as it is. Empty files are dropped, as StreamToDict drops
 * them. File content with no test id (runner output between packets, `stdout` of the v2
 * decoder) goes to `runAttachment`, reassembled per name, when its EOF arrives or at `end()`.
 *
 * Caps keep junk input from growing memory: a run-level file keeps its first 4 MiB, all of
 * them together 16 MiB, a test attachment its first 64 MiB; what is dropped is counted and a
 * note saying so ends the kept bytes.
 */
import { Buffer } from 'node:buffer';
import { splitTestId } from './testid.js';
import type { Attachment, ResultStatus, SubunitEvent, TestResult, Timestamp } from './types.js';

/** Where an assembler delivers what it builds. */
export interface ResultSink {
  /** One finished (or, at the end, incomplete) test attempt. */
  result(r: TestResult): void;
  /** A file that belongs to no test, e.g. runner output between packets. */
  runAttachment(a: Attachment): void;
}

export interface ResultAssemblerOptions {
  /** Bytes kept of each run-level file (default 4 MiB). */
  maxRunFileBytes?: number;
  /** Bytes kept of all run-level files together (default 16 MiB). */
  maxRunBytes?: number;
  /** Bytes kept of each test attachment (default 64 MiB). */
  maxTestFileBytes?: number;
}

/** What an assembler built, for the caller's summary. */
export interface AssemblySummary {
  results: number;
  statuses: Record<ResultStatus, number>;
  runAttachments: number;
  /** File bytes dropped by the caps. */
  droppedBytes: number;
}

export interface ResultAssembler {
  event(event: SubunitEvent): void;
  /** Emits the attempts still open as `incomplete` and the run-level files not yet closed. */
  end(): AssemblySummary;
}

/** The MIME type of file content that names none (subunit v2's default). */
export const DEFAULT_MIME = 'application/octet-stream';

const MiB = 1024 * 1024;
const WORKER_TAG = /^worker-(\d+)$/;

export function createResultAssembler(
  sink: ResultSink,
  options: ResultAssemblerOptions = {},
): ResultAssembler {
  return new Assembler(sink, {
    maxRunFileBytes: options.maxRunFileBytes ?? 4 * MiB,
    maxRunBytes: options.maxRunBytes ?? 16 * MiB,
    maxTestFileBytes: options.maxTestFileBytes ?? 64 * MiB,
  });
}

/** Microseconds since the epoch. */
export function toMicros(timestamp: Timestamp): number {
  return timestamp.seconds * 1_000_000 + Math.floor(timestamp.nanos / 1000);
}

/** The worker number of the lowest-numbered `worker-N` tag, or null. */
export function workerOf(tags: readonly string[]): number | null {
  let worker: number | null = null;
  for (const tag of tags) {
    if (!tag.startsWith('worker-')) continue;
    const match = WORKER_TAG.exec(tag);
    if (match) {
      const n = Number(match[1]);
      if (worker === null || n < worker) worker = n;
    }
  }
  return worker;
}

/** A file being reassembled. */
class FileSlot {
  private chunks: Uint8Array[] = [];
  kept = 0;
  dropped = 0;

  constructor(
    readonly name: string,
    readonly mime: string,
    private readonly cap: number,
  ) {}

  /** Adds `bytes`, keeping at most `room` of them (and the slot's own cap); returns kept. */
  add(bytes: Uint8Array, room = Infinity): number {
    const keep = Math.max(0, Math.min(bytes.length, this.cap - this.kept, room));
    if (keep > 0) {
      const part = keep === bytes.length ? bytes : bytes.subarray(0, keep);
      // Most files come in one chunk: `[part]` holds one, a push to `[]` makes room for 16.
      if (this.chunks.length === 0) this.chunks = [part];
      else this.chunks.push(part);
    }
    this.kept += keep;
    this.dropped += bytes.length - keep;
    return keep;
  }

  get empty(): boolean {
    return this.kept === 0 && this.dropped === 0;
  }

  toAttachment(): Attachment {
    const parts = this.chunks;
    if (this.dropped > 0) {
      parts.push(
        Buffer.from(
          `\n[gatewatch: ${this.dropped} more bytes of this file were dropped; ` +
            `only the first ${this.kept} are kept]\n`,
        ),
      );
    }
    this.chunks = [];
    // The usual one-chunk file is the decoder's own copy already.
    if (parts.length === 1) return { name: this.name, mime: this.mime, bytes: parts[0]! };
    let length = 0;
    for (const part of parts) length += part.length;
    const bytes = Buffer.allocUnsafe(length);
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.length;
    }
    return { name: this.name, mime: this.mime, bytes };
  }
}

interface Attempt {
  rawId: string;
  routeCode: string | null;
  /** The map of open attempts of its route code, and whether it is in it yet. */
  table: Map<string, Attempt>;
  listed: boolean;
  firstUs: number | null;
  lastUs: number | null;
  tags: readonly string[] | undefined;
  /** Made with the first file: most tests have none. */
  files: FileSlot[] | undefined;
  /** Files without their EOF yet, by name; made with the first such file. */
  open: Map<string, FileSlot> | undefined;
}

/** A tag list as results carry it: deduplicated, sorted, with its worker. */
interface SortedTags {
  /** The list as an event carried it (a copy). */
  raw: readonly string[];
  sorted: readonly string[];
  worker: number | null;
}

const NO_TAGS: SortedTags = { raw: [], sorted: [], worker: null };
/** Bits of a slot of the tag-list cache; a run has a few lists, one per worker. */
const TAG_SLOT_BITS = 8;

type Limits = Required<ResultAssemblerOptions>;

class Assembler implements ResultAssembler {
  /** Open attempts by test id, per route code (undefined, no route code, is not `''`). */
  private readonly attempts = new Map<string | undefined, Map<string, Attempt>>();
  /**
   * The attempt of the last test event. Runners send a test's events together, so most
   * events find their attempt here, and one that ends before another test's event arrives
   * never enters `attempts`: {@link list} puts it there, in the order attempts began.
   */
  private current: Attempt | undefined;
  private readonly runFiles = new Map<string, FileSlot>();
  private runBytes = 0;
  private results = 0;
  private runAttachments = 0;
  private droppedBytes = 0;
  /** Recently sorted tag lists: every result needs one, and they repeat. */
  private readonly sortedTags: (SortedTags | undefined)[] = new Array<SortedTags | undefined>(
    1 << TAG_SLOT_BITS,
  );
  /** A literal, not built from `RESULT_STATUSES`: fixed keys keep the `++` per result cheap. */
  private readonly statuses: Record<ResultStatus, number> = {
    success: 0,
    fail: 0,
    skip: 0,
    xfail: 0,
    uxsuccess: 0,
    incomplete: 0,
  };

  constructor(
    private readonly sink: ResultSink,
    private readonly limits: Limits,
  ) {}

  event(event: SubunitEvent): void {
    const { testId, status } = event;
    if (testId === undefined) {
      if (event.file !== undefined) this.runFile(event);
      return;
    }
    if (status === 'exists') return;
    const attempt = this.attemptOf(testId, event.routeCode);
    const at = event.timestamp === undefined ? null : toMicros(event.timestamp);
    if (at !== null) {
      attempt.firstUs ??= at;
      attempt.lastUs = at;
    }
    if (event.tags !== undefined) attempt.tags = event.tags;
    if (event.file !== undefined) this.testFile(attempt, event);
    if (status !== 'none' && status !== 'inprogress') {
      if (attempt.listed) attempt.table.delete(testId);
      this.current = undefined;
      const stopUs = at ?? attempt.lastUs;
      this.emit(attempt, status, attempt.firstUs ?? stopUs, stopUs);
    }
  }

  end(): AssemblySummary {
    this.list();
    this.current = undefined;
    for (const open of this.attempts.values()) {
      for (const attempt of open.values()) this.emit(attempt, 'incomplete', attempt.firstUs, null);
    }
    this.attempts.clear();
    for (const slot of this.runFiles.values()) this.emitRunFile(slot);
    this.runFiles.clear();
    return {
      results: this.results,
      statuses: { ...this.statuses },
      runAttachments: this.runAttachments,
      droppedBytes: this.droppedBytes,
    };
  }

  /** The open attempt of `testId` on `routeCode`, opened now when there is none. */
  private attemptOf(testId: string, routeCode: string | undefined): Attempt {
    const current = this.current;
    if (
      current !== undefined &&
      current.rawId === testId &&
      current.routeCode === (routeCode ?? null)
    ) {
      return current;
    }
    this.list();
    let table = this.attempts.get(routeCode);
    if (table === undefined) this.attempts.set(routeCode, (table = new Map()));
    // With nothing listed there is nothing to find, and no need to hash a long new id.
    let attempt = table.size === 0 ? undefined : table.get(testId);
    attempt ??= {
      rawId: testId,
      routeCode: routeCode ?? null,
      table,
      listed: false,
      firstUs: null,
      lastUs: null,
      tags: undefined,
      files: undefined,
      open: undefined,
    };
    this.current = attempt;
    return attempt;
  }

  /** Puts the current attempt in `attempts` if it is not there yet. */
  private list(): void {
    const current = this.current;
    if (current === undefined || current.listed) return;
    current.table.set(current.rawId, current);
    current.listed = true;
  }

  private testFile(attempt: Attempt, event: SubunitEvent): void {
    const file = event.file!;
    let slot = attempt.open?.get(file.name);
    if (slot === undefined) {
      slot = new FileSlot(file.name, event.mime ?? DEFAULT_MIME, this.limits.maxTestFileBytes);
      if (attempt.files === undefined) attempt.files = [slot];
      else attempt.files.push(slot);
      // A whole file in one event, the usual case, is never looked up again.
      if (!file.eof) (attempt.open ??= new Map()).set(file.name, slot);
    } else if (file.eof) {
      attempt.open!.delete(file.name);
    }
    const kept = slot.add(file.bytes);
    this.droppedBytes += file.bytes.length - kept;
  }

  private runFile(event: SubunitEvent): void {
    const file = event.file!;
    let slot = this.runFiles.get(file.name);
    if (slot === undefined) {
      slot = new FileSlot(file.name, event.mime ?? DEFAULT_MIME, this.limits.maxRunFileBytes);
      this.runFiles.set(file.name, slot);
    }
    const kept = slot.add(file.bytes, this.limits.maxRunBytes - this.runBytes);
    this.runBytes += kept;
    this.droppedBytes += file.bytes.length - kept;
    if (file.eof) {
      this.runFiles.delete(file.name);
      this.emitRunFile(slot);
    }
  }

  private emitRunFile(slot: FileSlot): void {
    if (slot.empty) return;
    this.runAttachments++;
    this.sink.runAttachment(slot.toAttachment());
  }

  private emit(
    attempt: Attempt,
    status: ResultStatus,
    startUs: number | null,
    stopUs: number | null,
  ): void {
    const { testId, attrs } = splitTestId(attempt.rawId);
    const tags = attempt.tags === undefined ? NO_TAGS : this.sortTags(attempt.tags);
    const attachments: Attachment[] = [];
    if (attempt.files !== undefined) {
      for (const slot of attempt.files) {
        if (!slot.empty) attachments.push(slot.toAttachment());
      }
    }
    this.results++;
    this.statuses[status]++;
    this.sink.result({
      testId,
      attrs,
      status,
      startUs,
      stopUs,
      // A copy per result: the sink owns what it is given.
      tags: tags.sorted.slice(),
      worker: tags.worker,
      routeCode: attempt.routeCode,
      attachments,
    });
  }

  /** `tags` deduplicated and sorted, from the cache when the same list was seen lately. */
  private sortTags(tags: readonly string[]): SortedTags {
    let hash = tags.length;
    for (const tag of tags) {
      // Multiplied, not summed: a sum put `worker-7` and `worker-10` in one slot, and the
      // two lists then evicted each other. `| 0`: a short tag lacks these characters (NaN).
      const end = tag.length;
      const mix =
        (end << 16) ^ ((tag.charCodeAt(end - 1) | 0) << 8) ^ (tag.charCodeAt(end - 2) | 0);
      hash = Math.imul(hash ^ mix, 0x9e3779b1);
    }
    const slot = hash >>> (32 - TAG_SLOT_BITS);
    const cached = this.sortedTags[slot];
    if (cached !== undefined && sameStrings(cached.raw, tags)) return cached;
    const sorted = [...new Set(tags)].sort();
    const entry = { raw: tags.slice(), sorted, worker: workerOf(sorted) };
    this.sortedTags[slot] = entry;
    return entry;
  }
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
