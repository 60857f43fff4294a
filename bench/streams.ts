/**
 * Generates realistic stestr-like subunit v2 streams, deterministically from a seed: per test
 * an `inprogress` packet, its attachments (pythonlogging, stdout, a traceback on failure, a
 * reason on skip), then its final status tagged `worker-N`. Timestamps advance per worker as
 * stestr's parallel workers do, so packets of different workers interleave in time.
 */
import { Buffer } from 'node:buffer';
import { closeSync, openSync, writeSync } from 'node:fs';
import { encodeEvent } from '../workers/subunit/encode.js';
import type { ResultStatus, SubunitEvent, Timestamp } from '../workers/subunit/types.js';

/** What a generated stream holds. Sizes are byte ranges `[min, max]`, drawn uniformly. */
export interface StreamProfile {
  /** Stop after this many tests… */
  tests?: number;
  /** …or once the stream reaches this many bytes, whichever comes first. */
  bytes?: number;
  seed: number;
  /** stestr's concurrency: tests carry `worker-0` … `worker-(n-1)`. */
  workers: number;
  /** Shares of final statuses; the rest are successes. */
  failShare: number;
  skipShare: number;
  /** Share of tests with a `pythonlogging:''` attachment, and its size. */
  loggingShare: number;
  loggingBytes: [number, number];
  /** Share of tests with a large `pythonlogging:''` attachment (split in 1 MiB packets). */
  bigLoggingShare: number;
  bigLoggingBytes: [number, number];
  /** Share of tests with a `stdout` attachment, and its size. */
  stdoutShare: number;
  stdoutBytes: [number, number];
}

/** A tempest run as stestr records it: ~95% pass, some fail with tracebacks and logs, a few skip. */
export const STESTR_PROFILE: StreamProfile = {
  seed: 1,
  workers: 8,
  failShare: 0.03,
  skipShare: 0.02,
  loggingShare: 0.2,
  loggingBytes: [1024, 8192],
  bigLoggingShare: 0,
  bigLoggingBytes: [0, 0],
  stdoutShare: 0.05,
  stdoutBytes: [80, 600],
};

/** What a generator wrote: enough to check that a parser saw the same stream. */
export interface StreamStats {
  tests: number;
  bytes: number;
  packets: number;
  statuses: Record<'success' | 'fail' | 'skip', number>;
  attachmentBytes: number;
}

/**
 * Yields the packets of a stream. `stats` is filled as packets are yielded, so it is
 * complete once the generator is done.
 */
export function* generatePackets(
  profile: StreamProfile,
  stats: StreamStats = emptyStats(),
): Generator<Buffer> {
  if (profile.tests === undefined && profile.bytes === undefined) {
    throw new Error('a stream profile needs tests or bytes (or both) to know where to stop');
  }
  const random = new Random(profile.seed);
  const logs = logCorpus(profile.seed);
  const ids = new TestIds(random);
  // stestr's workers start together; each runs its tests back to back.
  const clocks = Array.from({ length: profile.workers }, () => 1_700_000_000_000_000);
  const emit = function* (event: SubunitEvent): Generator<Buffer> {
    for (const packet of encodeEvent(event)) {
      stats.packets++;
      stats.bytes += packet.length;
      yield packet;
    }
  };

  while (
    (profile.tests === undefined || stats.tests < profile.tests) &&
    (profile.bytes === undefined || stats.bytes < profile.bytes)
  ) {
    const testId = ids.next();
    const worker = random.int(0, profile.workers - 1);
    const startUs = clocks[worker]!;
    // Mostly short tests, a long tail of slow ones (a few seconds).
    const durationUs = Math.round(2_000 + 4_000_000 * random.next() ** 6);
    const stopUs = startUs + durationUs;
    clocks[worker] = stopUs + random.int(50, 2_000);
    const roll = random.next();
    const status: ResultStatus & keyof StreamStats['statuses'] =
      roll < profile.failShare
        ? 'fail'
        : roll < profile.failShare + profile.skipShare
          ? 'skip'
          : 'success';
    const base = { testId, runnable: true } as const;
    const at = timestampOf(stopUs);

    yield* emit({ ...base, status: 'inprogress', timestamp: timestampOf(startUs) });
    const files: { name: string; mime: string; bytes: Uint8Array }[] = [];
    if (random.next() < profile.stdoutShare) {
      files.push({ name: 'stdout', mime: TEXT, bytes: logs.slice(random, profile.stdoutBytes) });
    }
    if (status === 'fail' || random.next() < profile.loggingShare) {
      files.push({ name: LOGGING, mime: TEXT, bytes: logs.slice(random, profile.loggingBytes) });
    }
    if (random.next() < profile.bigLoggingShare) {
      files.push({ name: LOGGING, mime: TEXT, bytes: logs.slice(random, profile.bigLoggingBytes) });
    }
    if (status === 'fail') {
      files.push({ name: 'traceback', mime: TRACEBACK, bytes: traceback(testId, random) });
    }
    if (status === 'skip') {
      files.push({ name: 'reason', mime: TEXT, bytes: Buffer.from(random.pick(SKIP_REASONS)) });
    }
    for (const file of files) {
      stats.attachmentBytes += file.bytes.length;
      yield* emit({
        ...base,
        status: 'none',
        timestamp: at,
        mime: file.mime,
        file: { name: file.name, bytes: file.bytes, eof: true },
      });
    }
    yield* emit({ ...base, status, timestamp: at, tags: [`worker-${worker}`] });
    stats.tests++;
    stats.statuses[status]++;
  }
}

/** The whole stream in memory (for streams of tens of MB). */
export function buildStream(profile: StreamProfile): { bytes: Buffer; stats: StreamStats } {
  const stats = emptyStats();
  const bytes = Buffer.concat([...generatePackets(profile, stats)]);
  return { bytes, stats };
}

/** Writes the stream to `path` a few MB at a time: memory stays flat whatever its size. */
export function writeStream(path: string, profile: StreamProfile): StreamStats {
  const stats = emptyStats();
  const fd = openSync(path, 'w');
  try {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = () => {
      const data = Buffer.concat(pending, pendingBytes);
      for (let at = 0; at < data.length;) at += writeSync(fd, data, at);
      pending = [];
      pendingBytes = 0;
    };
    for (const packet of generatePackets(profile, stats)) {
      pending.push(packet);
      pendingBytes += packet.length;
      if (pendingBytes >= 4 << 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return stats;
}

/** `copies` back-to-back copies of one stream (a real fixture made long enough to time). */
export function repeatStream(stream: Uint8Array, copies: number): Buffer {
  return Buffer.concat(Array.from({ length: copies }, () => stream));
}

/** Splits bytes into `size`-byte views, as a file read stream delivers them. */
export function* chunksOf(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

function emptyStats(): StreamStats {
  return {
    tests: 0,
    bytes: 0,
    packets: 0,
    statuses: { success: 0, fail: 0, skip: 0 },
    attachmentBytes: 0,
  };
}

const TEXT = 'text/plain;charset=utf8';
const TRACEBACK = 'text/x-traceback;charset=utf8,language=python';
const LOGGING = "pythonlogging:''";

function timestampOf(us: number): Timestamp {
  return { seconds: Math.floor(us / 1e6), nanos: (us % 1e6) * 1000 };
}

/** xorshift32: a small, fast, seeded generator; the streams need variety, not quality. */
class Random {
  private state: number;

  constructor(seed: number) {
    this.state = Math.imul(seed, 0x9e3779b9) >>> 0 || 1;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.int(0, 0xffff).toString(16).padStart(4, '0');
    return out.slice(0, length);
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

const AREAS = [
  'compute',
  'network',
  'volume',
  'identity',
  'image',
  'object_storage',
  'orchestration',
];
const NOUNS = [
  'server',
  'volume',
  'port',
  'network',
  'subnet',
  'router',
  'image',
  'flavor',
  'keypair',
  'snapshot',
  'backup',
  'quota',
  'project',
  'user',
  'role',
  'token',
  'container',
  'object',
  'security_group',
  'floating_ip',
  'aggregate',
  'hypervisor',
  'migration',
  'attachment',
];
const VERBS = [
  'create',
  'delete',
  'list',
  'show',
  'update',
  'resize',
  'rebuild',
  'attach',
  'detach',
  'reboot',
  'migrate',
  'lock',
  'unlock',
  'shelve',
  'rescue',
  'get',
  'set',
  'extend',
];
const QUALIFIERS = [
  'with_admin_password',
  'by_name',
  'with_invalid_id',
  'negative',
  'in_other_project',
  'with_metadata',
  'pagination',
  'with_detail',
  'after_reboot',
  'twice',
  'with_tags',
];
const SKIP_REASONS = [
  'Feature not enabled in this deployment',
  'Skipped until Bug: 1819235 is resolved.',
  'Not enough compute nodes available',
  'Cinder volume backup service is not enabled',
  'Test requires a public network',
];

/** Unique tempest-like test ids, some with the `[id-…,smoke]` attribute group. */
class TestIds {
  private readonly seen = new Set<string>();

  constructor(private readonly random: Random) {}

  next(): string {
    const r = this.random;
    for (;;) {
      const area = r.pick(AREAS);
      const noun = r.pick(NOUNS);
      const klass = noun
        .split('_')
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join('');
      const method = `test_${r.pick(VERBS)}_${noun}${r.next() < 0.6 ? `_${r.pick(QUALIFIERS)}` : ''}`;
      const attrs = r.next() < 0.7 ? `[id-${r.uuid()}${r.next() < 0.2 ? ',smoke' : ''}]` : '';
      const id = `tempest.api.${area}.${noun}s.test_${noun}s.${klass}sTestJSON.${method}${attrs}`;
      if (!this.seen.has(id)) {
        this.seen.add(id);
        return id;
      }
    }
  }
}

/** A few MB of tempest-like debug log that attachments are cut from. */
class LogCorpus {
  constructor(private readonly text: Buffer) {}

  /** A slice of `[min, max]` bytes at a random place (shorter when the corpus is). */
  slice(random: Random, [min, max]: [number, number]): Buffer {
    const length = Math.min(random.int(min, max), this.text.length);
    const at = random.int(0, this.text.length - length);
    return this.text.subarray(at, at + length);
  }
}

const corpora = new Map<number, LogCorpus>();

function logCorpus(seed: number): LogCorpus {
  let corpus = corpora.get(seed);
  if (corpus === undefined) {
    corpus = new LogCorpus(makeLog(new Random(seed ^ 0x5bd1e995), 4 << 20));
    corpora.set(seed, corpus);
  }
  return corpus;
}

function makeLog(random: Random, size: number): Buffer {
  const lines: string[] = [];
  let length = 0;
  let ms = 0;
  while (length < size) {
    ms += random.int(0, 40);
    const when = new Date(Date.UTC(2024, 4, 14, 10) + ms).toISOString().replace('T', ' ');
    const req = `req-${random.uuid()}`;
    const noun = random.pick(NOUNS);
    const line =
      random.next() < 0.5
        ? `${when.slice(0, 23)} ${random.int(1000, 99999)} INFO tempest.lib.common.rest_client [${req} ] Request (${random.pick(VERBS)}): ${random.pick([200, 201, 202, 204, 404])} GET https://10.0.0.${random.int(2, 250)}/v2.1/${noun}s/${random.uuid()} ${(random.next() * 2).toFixed(3)}s`
        : `${when.slice(0, 23)} ${random.int(1000, 99999)} DEBUG tempest.lib.common.rest_client [${req} ] Request - Headers: {'Content-Type': 'application/json', 'Accept': 'application/json', 'X-Auth-Token': '<omitted>'}\n        Body: None\n    Response - Headers: {'date': '${when}', 'content-type': 'application/json', 'content-length': '${random.int(20, 4000)}', 'x-openstack-request-id': '${req}'}\n        Body: {"${noun}": {"id": "${random.uuid()}", "status": "ACTIVE"}}`;
    lines.push(line);
    length += line.length + 1;
  }
  return Buffer.from(lines.join('\n') + '\n');
}

function traceback(testId: string, random: Random): Buffer {
  const module = testId.split('.').slice(0, -2).join('/');
  const frames = Array.from({ length: random.int(2, 6) }, () => {
    const fn = `${random.pick(VERBS)}_${random.pick(NOUNS)}`;
    return `  File "/opt/stack/tempest/${module}.py", line ${random.int(20, 900)}, in ${fn}\n    self.${fn}(${random.pick(NOUNS)}_id)\n`;
  });
  return Buffer.from(
    `Traceback (most recent call last):\n${frames.join('')}` +
      `  File "/opt/stack/tempest/tempest/lib/common/utils/test_utils.py", line 87, in call_until_true\n` +
      `    raise lib_exc.TimeoutException(message)\n` +
      `tempest.lib.exceptions.TimeoutException: Request timed out\n` +
      `Details: (${testId}) ${random.pick(NOUNS)} ${random.uuid()} failed to reach ACTIVE status ` +
      `and task state "None" within the required time (196 s). Current status: BUILD.\n`,
  );
}
