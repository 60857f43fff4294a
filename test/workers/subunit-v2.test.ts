import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  encodeEvent,
  encodePacket,
  FILE_CHUNK_SIZE,
  timestampOfMicros,
} from '../../workers/subunit/encode.js';
import type { ParseError, SubunitEvent } from '../../workers/subunit/types.js';
import { createV2Decoder } from '../../workers/subunit/v2.js';
import {
  crc32,
  decodeString,
  MAX_PACKET_LENGTH,
  StringDecoder,
  MAX_VARINT,
  readVarint,
  varintLength,
  varintSize,
  writeVarint,
} from '../../workers/subunit/wire.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE_DIR = new URL('../fixtures/subunit/', import.meta.url);
/** Real v2 streams from other projects (see test/fixtures/NOTICE). */
const FIXTURES = [
  'stackviz-tempest.subunit',
  'stestr-all_skips.subunit',
  'stestr-failure.subunit',
  'stestr-successful.subunit',
] as const;
/** Every v2 fixture: those above and the ones recorded for this project. */
const ALL_V2_FIXTURES = readdirSync(FIXTURE_DIR).filter(
  (name) => name.endsWith('.subunit') && !name.endsWith('.v1.subunit'),
);

function fixture(name: string): Buffer {
  return readFileSync(new URL(name, FIXTURE_DIR));
}

function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

// The worked packets of formats.md §1.
const ENUMERATION = hex('b3 29 01 0c 03 66 6f 6f 08 55 5f 1b');
const SUCCESS = hex('b3 2b 03 13 3c 17 54 cf 80 af c8 03 62 61 72 49 96 3e 2d');
const EOF_ONLY = hex('b3 21 10 08 53 15 88 dc');
const FILE = hex('b3 21 40 13 06 62 61 72 6e 65 79 03 77 6f 6f 41 35 e3 8c');

type Item = { event: SubunitEvent } | { error: ParseError };

interface Decoded {
  events: SubunitEvent[];
  errors: ParseError[];
  /** Events and errors in the order they were delivered. */
  items: Item[];
}

/** Decodes `input` fed in pieces of the sizes `sizes` gives (whole when absent). */
function decode(input: Uint8Array, sizes?: () => number): Decoded {
  const out: Decoded = { events: [], errors: [], items: [] };
  const decoder = createV2Decoder({
    event(event) {
      out.events.push(event);
      out.items.push({ event });
    },
    error(error) {
      out.errors.push(error);
      out.items.push({ error });
    },
  });
  if (sizes === undefined) {
    decoder.write(input);
  } else {
    for (let at = 0; at < input.length;) {
      const size = Math.max(1, sizes());
      // A copy that is spoiled afterwards: events must not keep views of a caller's chunk.
      const chunk = Buffer.from(input.subarray(at, at + size));
      decoder.write(chunk);
      chunk.fill(0xee);
      at += size;
    }
  }
  decoder.end();
  return out;
}

/** Items as strings (fields in a fixed order), quick to compare even when they hold MiBs. */
function digest(items: readonly Item[]): string[] {
  const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  return items.map((item) => {
    if ('error' in item) {
      const { offset, message, bytes } = item.error;
      return JSON.stringify({ offset, message, bytes: base64(bytes) });
    }
    const { testId, status, timestamp, tags, mime, file, routeCode, runnable, eof } = item.event;
    return JSON.stringify({
      testId,
      status,
      timestamp,
      tags,
      mime,
      file: file && { name: file.name, bytes: base64(file.bytes), eof: file.eof },
      routeCode,
      runnable,
      eof,
    });
  });
}

/** A seeded generator (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Chunk sizes from 1 to `max`, mostly small. */
function randomSizes(seed: number, max: number): () => number {
  const next = random(seed);
  return () => 1 + Math.floor(next() * next() * max);
}

/** Non-subunit bytes as the decoder delivers them. */
function stdout(bytes: Uint8Array): SubunitEvent {
  return { status: 'none', runnable: false, file: { name: 'stdout', bytes, eof: false } };
}

function isStdout(event: SubunitEvent): boolean {
  return (
    event.testId === undefined &&
    event.status === 'none' &&
    event.file?.name === 'stdout' &&
    event.mime === undefined &&
    event.timestamp === undefined
  );
}

/**
 * Merges runs of adjacent non-subunit stdout events: how such bytes split into events
 * depends on the chunks (as the reference's depends on its reads).
 */
function normalize(items: readonly Item[]): Item[] {
  const out: Item[] = [];
  for (const item of items) {
    const last = out.at(-1);
    if (
      'event' in item &&
      isStdout(item.event) &&
      last !== undefined &&
      'event' in last &&
      isStdout(last.event)
    ) {
      const bytes = Buffer.concat([last.event.file!.bytes, item.event.file!.bytes]);
      out[out.length - 1] = { event: stdout(bytes) };
    } else {
      out.push(item);
    }
  }
  return out;
}

/** A packet with its CRC recomputed after an edit. */
function withCrc(packet: Uint8Array): Buffer {
  const out = Buffer.from(packet);
  out.writeUInt32BE(crc32(out, 0, out.length - 4), out.length - 4);
  return out;
}

/** Start offsets and lengths of the packets of an undamaged stream. */
function packetSpans(stream: Buffer): { start: number; length: number }[] {
  const spans: { start: number; length: number }[] = [];
  for (let at = 0; at < stream.length;) {
    expect(stream[at]).toBe(0xb3);
    const length = readVarint(stream, at + 3);
    spans.push({ start: at, length });
    at += length;
  }
  return spans;
}

/** CRC-32 computed bit by bit: an independent reference for the table-driven one. */
function bitwiseCrc(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe('subunit v2 wire primitives', () => {
  it('reads and writes varints of each size at their limits', () => {
    const cases: [number, number][] = [
      [0, 1],
      [63, 1],
      [64, 2],
      [16383, 2],
      [16384, 3],
      [4194303, 3],
      [4194304, 4],
      [MAX_VARINT, 4],
    ];
    for (const [value, size] of cases) {
      expect(varintLength(value)).toBe(size);
      const buf = new Uint8Array(5);
      expect(writeVarint(buf, 1, value)).toBe(1 + size);
      expect(varintSize(buf[1]!)).toBe(size);
      expect(readVarint(buf, 1)).toBe(value);
    }
    expect(() => varintLength(MAX_VARINT + 1)).toThrow(/varint out of range: 1073741824/);
    expect(() => varintLength(-1)).toThrow(RangeError);
  });

  it('decodes strings strictly, from the cache or not', () => {
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const reference = (bytes: Uint8Array) => {
      if (bytes.includes(0)) return undefined;
      try {
        return strict.decode(bytes);
      } catch {
        return undefined;
      }
    };
    const next = random(42);
    const alphabet = [0x61, 0x62, 0x2f, 0x00, 0x80, 0xbf, 0xc3, 0xa9, 0xe2, 0xef, 0xbb, 0xff];
    const pool = Array.from({ length: 40 }, () =>
      Buffer.from(
        Array.from({ length: Math.floor(next() * 40) }, () =>
          next() < 0.8 ? 0x61 + Math.floor(next() * 3) : alphabet[Math.floor(next() * 12)]!,
        ),
      ),
    );
    const decoder = new StringDecoder();
    for (let k = 0; k < 5000; k++) {
      const bytes = pool[Math.floor(next() * pool.length)]!;
      const framed = Buffer.concat([Buffer.from('xy'), bytes, Buffer.from('z')]);
      const expected = reference(bytes);
      expect(decoder.decode(framed, 2, 2 + bytes.length)).toBe(expected);
      expect(decodeString(framed, 2, 2 + bytes.length)).toBe(expected);
    }
    // A byte-order mark stays, as in Python.
    expect(decodeString(Buffer.from('\ufeffa'), 0, 4)).toBe('\ufeffa');
    expect(decodeString(Buffer.from('a\ufffdb'), 0, 5)).toBe('a\ufffdb');
  });

  it('computes zlib CRC-32 for short and long spans', () => {
    const bytes = Buffer.alloc(2000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + (i >> 3)) & 0xff;
    expect(crc32(Buffer.from('123456789'), 0, 9)).toBe(0xcbf43926);
    // Both sides of the table/zlib threshold, at every alignment.
    for (let start = 0; start < 8; start++) {
      for (const length of [0, 1, 7, 8, 9, 100, 255, 256, 257, 1000]) {
        const span = bytes.subarray(start, start + length);
        expect(crc32(bytes, start, start + length)).toBe(bitwiseCrc(span));
      }
    }
  });
});

describe('subunit v2 worked packets (formats.md §1)', () => {
  const cases: [string, Buffer, SubunitEvent][] = [
    ['enumeration of foo', ENUMERATION, { status: 'exists', runnable: true, testId: 'foo' }],
    [
      'bar success with a timestamp',
      SUCCESS,
      {
        status: 'success',
        runnable: true,
        timestamp: { seconds: Date.UTC(2001, 11, 12, 12, 59, 59) / 1000, nanos: 45000 },
        testId: 'bar',
      },
    ],
    ['EOF only', EOF_ONLY, { status: 'none', runnable: true, eof: true }],
    [
      'file barney',
      FILE,
      {
        status: 'none',
        runnable: true,
        file: { name: 'barney', bytes: Buffer.from('woo'), eof: false },
      },
    ],
  ];

  it.each(cases)('%s decodes and re-encodes byte for byte', (_name, packet, expected) => {
    const { events, errors } = decode(packet);
    expect(errors).toEqual([]);
    expect(events).toStrictEqual([expected]);
    expect(encodePacket(expected).equals(packet)).toBe(true);
    expect(encodePacket(events[0]!).equals(packet)).toBe(true);
  });

  it('decodes the four packets as one stream, split anywhere', () => {
    const stream = Buffer.concat([ENUMERATION, SUCCESS, EOF_ONLY, FILE]);
    const whole = decode(stream);
    expect(whole.events.map((e) => e.testId ?? e.file?.name ?? 'eof')).toEqual([
      'foo',
      'bar',
      'eof',
      'barney',
    ]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const sizes = [cut, stream.length];
      expect(decode(stream, () => sizes.shift()!)).toEqual(whole);
    }
  });
});

describe('subunit v2 real streams', () => {
  it.each(ALL_V2_FIXTURES)('%s decodes without errors or stray bytes', (name) => {
    const { events, errors } = decode(fixture(name));
    expect(errors).toEqual([]);
    expect(events.length).toBeGreaterThan(0);
    // Every byte is in a packet: nothing comes out as non-subunit output.
    expect(events.filter(isStdout)).toEqual([]);
  });

  it.each(ALL_V2_FIXTURES)('%s decodes the same whole, byte by byte, in random chunks', (name) => {
    const stream = fixture(name);
    const whole = digest(decode(stream).items);
    expect(digest(decode(stream, () => 1).items)).toEqual(whole);
    for (let seed = 1; seed <= 5; seed++) {
      expect(digest(decode(stream, randomSizes(seed, 4096)).items)).toEqual(whole);
    }
  });

  it.each(ALL_V2_FIXTURES)('%s re-encodes byte for byte and decodes again the same', (name) => {
    const stream = fixture(name);
    const { events } = decode(stream);
    const encoded = Buffer.concat(events.map((event) => encodePacket(event)));
    expect(encoded.equals(stream)).toBe(true);
    expect(digest(decode(encoded).items)).toEqual(digest(decode(stream).items));
  });

  it('reads what stestr writes: statuses, worker tags, attachments', () => {
    const { events } = decode(fixture('stestr-failure.subunit'));
    const final = events.filter((e) => e.testId !== undefined && e.tags !== undefined);
    expect(new Set(final.map((e) => e.testId)).size).toBe(63);
    expect(final.filter((e) => e.status === 'fail').map((e) => e.testId)).toEqual([
      'stestr.tests.test_subunit_trace.TestSubunitTrace.test_trace_with_all_skips',
    ]);
    expect(final.every((e) => e.tags!.some((tag) => /^worker-\d+$/.test(tag)))).toBe(true);
    const traceback = events.find((e) => e.file?.name === 'traceback')!;
    expect(traceback.mime).toBe('text/x-traceback;charset=utf8,language=python');
    expect(traceback.file!.eof).toBe(true);
    expect(Buffer.from(traceback.file!.bytes).toString('utf8')).toContain('Traceback');

    const successful = decode(fixture('stestr-successful.subunit')).events;
    expect(successful.find((e) => e.file !== undefined)!.mime).toBe('text/plain;charset="utf8"');
    const started = successful.find((e) => e.status === 'inprogress')!;
    const done = successful.find((e) => e.status === 'success' && e.testId === started.testId)!;
    const nanos = (e: SubunitEvent) => e.timestamp!.seconds * 1e9 + e.timestamp!.nanos;
    expect(nanos(done)).toBeGreaterThan(nanos(started));
  });

  it('gives each event its own copy of the file bytes', () => {
    const stream = Buffer.from(fixture('stackviz-tempest.subunit'));
    const { events } = decode(stream);
    stream.fill(0);
    const log = events.find((e) => e.file?.name === "pythonlogging:''")!;
    expect(Buffer.from(log.file!.bytes).toString('utf8')).toMatch(/^2018-09-28 02:46:35,903/);
  });
});

describe('subunit v2 encoder', () => {
  function fileEvent(size: number): SubunitEvent {
    return {
      testId: 't',
      status: 'none',
      runnable: true,
      file: { name: 'f', bytes: Buffer.alloc(size, 0x61), eof: true },
    };
  }

  it('writes a time in epoch microseconds as the worked packet holds it', () => {
    const us = Date.UTC(2001, 11, 12, 12, 59, 59) * 1000 + 45;
    const timestamp = timestampOfMicros(us);
    expect(timestamp).toEqual({ seconds: 1008161999, nanos: 45000 });
    const packet = encodePacket({ status: 'success', runnable: true, timestamp, testId: 'bar' });
    expect(packet.equals(SUCCESS)).toBe(true);
  });

  it('takes the smallest length varint, counting the length itself', () => {
    // Signature, flags, CRC (7), test id (2), file name (2), file length varint, file bytes;
    // python-subunit goes to 2 and 3 length bytes above 62 and 16381 bytes without them.
    const base = (size: number) => 7 + 2 + 2 + varintLength(size) + size;
    for (const size of [0, 49, 50, 51, 16360, 16366, 16367, 16368, 4194270, 4194280]) {
      const event = fileEvent(size);
      const packet = encodePacket(event);
      const expected = base(size) <= 62 ? 1 : base(size) <= 16381 ? 2 : 3;
      expect(varintSize(packet[3]!)).toBe(expected);
      expect(readVarint(packet, 3)).toBe(packet.length);
      expect(packet.length).toBe(base(size) + expected);
      const decoded = decode(packet);
      expect(decoded.errors).toEqual([]);
      expect(digest(decoded.items)).toEqual(digest([{ event }]));
    }
  });

  it('refuses a packet of 4 MiB or more, and what no reader could read', () => {
    const largest = MAX_PACKET_LENGTH - (7 + 2 + 2 + 3 + 3);
    expect(encodePacket(fileEvent(largest)).length).toBe(MAX_PACKET_LENGTH);
    expect(() => encodePacket(fileEvent(largest + 1))).toThrow(
      'event of "t" needs a packet of 4194304 bytes; a subunit v2 packet must be under 4 MiB',
    );
    expect(() => encodePacket(fileEvent(5 * 1024 * 1024))).toThrow(/under 4 MiB/);
    expect(() => encodePacket({ testId: 'a\0b', status: 'success', runnable: true })).toThrow(
      'cannot encode a test id holding NUL: "a\\u0000b"',
    );
    const at = (seconds: number, nanos: number): SubunitEvent => ({
      status: 'none',
      runnable: false,
      timestamp: { seconds, nanos },
    });
    expect(() => encodePacket(at(-1, 0))).toThrow('timestamp seconds out of range: -1');
    expect(() => encodePacket(at(2 ** 32, 0))).toThrow(/timestamp seconds out of range/);
    expect(() => encodePacket(at(0, 1e9))).toThrow(/timestamp nanoseconds out of range/);
  });

  it('splits a large file into chunks with the status on the last one', () => {
    const bytes = Buffer.alloc(2 * FILE_CHUNK_SIZE + 5);
    for (let i = 0; i < bytes.length; i++) bytes[i] = i & 0xff;
    const event: SubunitEvent = {
      testId: 'big',
      status: 'fail',
      runnable: true,
      tags: ['worker-1'],
      mime: 'text/plain',
      timestamp: { seconds: 1, nanos: 2 },
      file: { name: 'log', bytes, eof: true },
    };
    const packets = encodeEvent(event);
    expect(packets).toHaveLength(3);
    const { events, errors } = decode(Buffer.concat(packets));
    expect(errors).toEqual([]);
    expect(events.map((e) => [e.status, e.tags, e.file!.bytes.length, e.file!.eof])).toEqual([
      ['none', undefined, FILE_CHUNK_SIZE, false],
      ['none', undefined, FILE_CHUNK_SIZE, false],
      ['fail', ['worker-1'], 5, true],
    ]);
    expect(events.every((e) => e.testId === 'big' && e.mime === 'text/plain')).toBe(true);
    expect(Buffer.concat(events.map((e) => e.file!.bytes)).equals(bytes)).toBe(true);
    expect(encodeEvent({ ...event, file: undefined })).toHaveLength(1);
    expect(() => encodeEvent(event, 0)).toThrow('chunk size must be a positive integer, got 0');
  });

  it('writes every field and reads it back', () => {
    const event: SubunitEvent = {
      testId: 'pkg.ZoneInfoTest[Africa/Abidjan]_Fast.test_folds[id-1,smoke] γ—✓ 😀',
      status: 'uxsuccess',
      runnable: false,
      tags: ['worker-3', 'ünï'],
      mime: 'text/plain;charset=utf8',
      timestamp: { seconds: 0xffffffff, nanos: 999_999_999 },
      file: { name: 'stdout', bytes: Buffer.from([0, 0xb3, 0xff]), eof: false },
      routeCode: '0/3',
    };
    expect(decode(encodePacket(event)).events).toStrictEqual([event]);
  });
});

/** Damaged packets (between two good ones), and the message each gives. */
const DAMAGED: [string, Buffer, string][] = [
  [
    'a 4-byte length (4 MiB or more)',
    hex('b3 29 01 c0 40 00'),
    '3 byte maximum given but 4 byte value found.',
  ],
  [
    'a NUL in a test id',
    withCrc(hex('b3 29 01 0c 03 66 00 6f 00 00 00 00')),
    'UTF8 string at offset 2 contains NUL byte',
  ],
  [
    'invalid UTF-8 in a test id',
    withCrc(hex('b3 29 01 0c 03 66 ff 6f 00 00 00 00')),
    'UTF8 string at offset 2 is not UTF8',
  ],
  [
    'a test id cut inside a character',
    withCrc(hex('b3 29 01 0c 03 66 6f e2 00 00 00 00')),
    'Invalid (partially decodable) string at offset 2, 1 undecoded bytes',
  ],
  [
    'a test id longer than its packet',
    withCrc(hex('b3 29 01 0c 0a 66 6f 6f 00 00 00 00')),
    'UTF8 string at offset 2 extends past end of packet: claimed 10 bytes, 3 available',
  ],
  [
    'file content longer than its packet',
    withCrc(hex('b3 21 40 13 06 62 61 72 6e 65 79 09 77 6f 6f 00 00 00 00')),
    'File content extends past end of packet: claimed 9 bytes, 3 available',
  ],
  [
    // The reference counts string offsets from its body buffer: here after the header.
    'a NUL in a packet with a 3-byte length',
    withCrc(hex('b3 29 01 80 00 0e 03 66 00 6f 00 00 00 00')),
    'UTF8 string at offset -1 contains NUL byte',
  ],
  [
    'more tags than the packet holds',
    withCrc(hex('b3 20 80 0b 02 01 61 00 00 00 00')),
    'Varint at packet byte 7 extends past end of packet',
  ],
  [
    'a varint cut by the end of the packet',
    withCrc(hex('b3 28 00 09 43 00 00 00 00')),
    'Varint at packet byte 4 extends past end of packet',
  ],
  [
    'a timestamp cut by the end of the packet',
    withCrc(hex('b3 22 00 0a 01 02 00 00 00 00')),
    'Timestamp at packet byte 4 extends past end of packet',
  ],
  [
    'version 3',
    withCrc(hex('b3 39 01 0c 03 66 6f 6f 00 00 00 00')),
    'Bad version - expected (0x2), found (0x3) in flags (0x3901)',
  ],
  [
    'the reserved flag 0x0008',
    withCrc(hex('b3 29 09 0c 03 66 6f 6f 00 00 00 00')),
    'Reserved flag 0x0008 is set in flags (0x2909)',
  ],
  [
    'a length too short to hold a packet',
    hex('b3 29 01 07 00 00'),
    'Packet too short - length 7, a packet with a 1 byte length takes at least 8',
  ],
];

describe('subunit v2 damage', () => {
  it('decodes an empty input to nothing', () => {
    expect(decode(Buffer.alloc(0))).toEqual({ events: [], errors: [], items: [] });
  });

  it('delivers a text file as stdout, whatever the chunks', () => {
    // This file: UTF-8 text with multi-byte characters, some holding 0xB3 (γ is CE B3).
    const text = readFileSync(fileURLToPath(import.meta.url));
    expect(text.includes(Buffer.from('γ'))).toBe(true);
    for (const sizes of [undefined, () => 1, randomSizes(7, 300)]) {
      const { events, errors } = decode(text, sizes);
      expect(errors).toEqual([]);
      expect(events.every(isStdout)).toBe(true);
      expect(events.every((e) => e.runnable === false && e.file!.eof === false)).toBe(true);
      expect(Buffer.concat(events.map((e) => e.file!.bytes)).equals(text)).toBe(true);
    }
  });

  it('coalesces non-subunit bytes per chunk, at most 1 MiB an event', () => {
    const text = Buffer.alloc(2.5 * 1024 * 1024, 'x');
    expect(decode(text).events.map((e) => e.file!.bytes.length)).toEqual([
      1024 * 1024,
      1024 * 1024,
      0.5 * 1024 * 1024,
    ]);
  });

  it('keeps garbage between packets as stdout and decodes the packets after it', () => {
    const garbage = Buffer.from('hello γ world\n'); // γ's 0xB3 is inside a character
    const { items } = decode(Buffer.concat([ENUMERATION, garbage, SUCCESS, garbage]));
    expect(items).toEqual([
      { event: decode(ENUMERATION).events[0] },
      { event: stdout(garbage) },
      { event: decode(SUCCESS).events[0] },
      { event: stdout(garbage) },
    ]);
  });

  it('starts a packet at a lone 0xB3 in garbage, as the reference does', () => {
    const { items } = decode(Buffer.from('ab\xb3cd', 'latin1'));
    expect(items).toEqual([
      { event: stdout(Buffer.from('ab')) },
      {
        error: {
          offset: 2,
          message: 'Short read - got 2 bytes, wanted 5 bytes',
          bytes: Buffer.from('\xb3cd', 'latin1'),
        },
      },
    ]);
  });

  it('tracks UTF-8 in output as Python does, even after a bad byte', () => {
    // E2 opens a character, Z is invalid there and leaves E2 pending (Python keeps the bytes
    // it could not decode), 80 continues it, so the B3 of the packet ends that character.
    const text = Buffer.from('a\xe2Z\x80', 'latin1');
    const stream = Buffer.concat([text, ENUMERATION, SUCCESS]);
    expect(normalize(decode(stream).items)).toEqual([
      { event: stdout(Buffer.concat([text, ENUMERATION])) },
      { event: decode(SUCCESS).events[0] },
    ]);
  });

  it('names both CRCs of a packet with a bad checksum and goes on after it', () => {
    const bad = Buffer.from(ENUMERATION);
    bad[bad.length - 1] = 0x1c;
    const { items } = decode(Buffer.concat([SUCCESS, bad, FILE]));
    expect(items).toEqual([
      { event: decode(SUCCESS).events[0] },
      {
        error: {
          offset: SUCCESS.length,
          message: 'Bad checksum - calculated (0x8555f1b), stored (0x8555f1c)',
          bytes: bad,
        },
      },
      { event: decode(FILE).events[0] },
    ]);
  });

  it.each(DAMAGED)('reports %s and decodes what follows', (_name, packet, message) => {
    for (const sizes of [undefined, () => 1]) {
      const { items } = decode(Buffer.concat([ENUMERATION, packet, FILE]), sizes);
      expect(normalize(items)).toEqual([
        { event: decode(ENUMERATION).events[0] },
        { error: { offset: ENUMERATION.length, message, bytes: packet } },
        // A too-short length resumes at the next byte: the rest of its header is stdout.
        ...(message.startsWith('Packet too short') ? [{ event: stdout(packet.subarray(1)) }] : []),
        { event: decode(FILE).events[0] },
      ]);
    }
  });

  it('keeps at most 64 KiB of a damaged packet', () => {
    const big = encodePacket({
      status: 'none',
      runnable: true,
      file: { name: 'x', bytes: Buffer.alloc(100_000), eof: true },
    });
    big[big.length - 1]! ^= 1;
    const { errors } = decode(big);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^Bad checksum/);
    expect(Buffer.from(errors[0]!.bytes).equals(big.subarray(0, 64 * 1024))).toBe(true);
  });

  it('keeps earlier packets and reports the cut one when the stream ends anywhere', () => {
    const stream = fixture('stestr-all_skips.subunit');
    const spans = packetSpans(stream);
    const all = digest(decode(stream).items);
    for (let cut = 0; cut <= stream.length; cut++) {
      const { items, errors } = decode(stream.subarray(0, cut));
      const complete = spans.filter((s) => s.start + s.length <= cut).length;
      const partial = spans[complete];
      if (partial === undefined || partial.start === cut) {
        expect(digest(items)).toEqual(all.slice(0, complete));
        continue;
      }
      expect(digest(items.slice(0, -1))).toEqual(all.slice(0, complete));
      const got = cut - partial.start;
      expect(errors).toEqual([
        {
          offset: partial.start,
          message:
            got < 6
              ? `Short read - got ${got - 1} bytes, wanted 5 bytes`
              : `Short read - got ${got - 6} bytes, wanted ${partial.length - 6} bytes`,
          bytes: stream.subarray(partial.start, cut),
        },
      ]);
    }
  });

  it('reports a packet with any byte changed, and only that packet', () => {
    const stream = fixture('stestr-failure.subunit');
    const spans = packetSpans(stream);
    const all = digest(decode(stream).items);
    const k = spans.findIndex((s) => s.length > 200); // one with an attachment
    const { start, length } = spans[k]!;
    const framing = 3 + varintSize(stream[start + 3]!); // signature, flags, length
    for (let at = start; at < start + length; at++) {
      for (const flip of [0x01, 0x80, 0xff]) {
        const damaged = Buffer.from(stream);
        damaged[at]! ^= flip;
        const { items, errors } = decode(damaged);
        const got = digest(items);
        expect(got.slice(0, k)).toEqual(all.slice(0, k));
        // A changed signature or length frames the stream differently: see the random tests.
        if (at === start || (at >= start + 3 && at < start + framing)) continue;
        expect(errors).toEqual([
          {
            offset: start,
            message: expect.stringMatching(
              /^Bad checksum - calculated \(0x[0-9a-f]+\), stored \(0x[0-9a-f]+\)$/,
            ),
            bytes: damaged.subarray(start, start + length),
          },
        ]);
        expect(got.slice(k + 1)).toEqual(all.slice(k + 1));
      }
    }
  });

  it('refuses write() after end()', () => {
    const decoder = createV2Decoder({ event() {}, error() {} });
    decoder.end();
    decoder.end();
    expect(() => decoder.write(ENUMERATION)).toThrow('subunit v2 decoder: write() after end()');
  });
});

/** Messages the decoder may give; anything else is a bug. */
const KNOWN_MESSAGES = [
  /^Bad checksum - calculated \(0x[0-9a-f]+\), stored \(0x[0-9a-f]+\)$/,
  /^Short read - got \d+ bytes, wanted \d+ bytes$/,
  /^3 byte maximum given but 4 byte value found\.$/,
  /^Packet too short - length \d+, a packet with a [123] byte length takes at least \d+$/,
  /^UTF8 string at offset -?\d+ (contains NUL byte|is not UTF8|extends past end of packet: claimed \d+ bytes, \d+ available)$/,
  /^Invalid \(partially decodable\) string at offset -?\d+, \d+ undecoded bytes$/,
  /^File content extends past end of packet: claimed \d+ bytes, \d+ available$/,
  /^(Varint|Timestamp) at packet byte \d+ extends past end of packet$/,
  /^Bad version - expected \(0x2\), found \(0x[0-9a-f]\) in flags \(0x[0-9a-f]+\)$/,
  /^Reserved flag 0x0008 is set in flags \(0x[0-9a-f]+\)$/,
];

/** A fixture with random damage: bytes changed, inserted, deleted, repeated, cut. */
function mutate(stream: Buffer, seed: number): Buffer {
  const next = random(seed);
  const pick = (n: number) => Math.floor(next() * n);
  let bytes = Buffer.from(stream);
  const edits = 1 + pick(4);
  for (let e = 0; e < edits; e++) {
    const at = pick(bytes.length + 1);
    switch (pick(8)) {
      case 0:
        if (at < bytes.length) bytes[at]! ^= 1 << pick(8);
        break;
      case 1:
        if (at < bytes.length) bytes[at] = [0xb3, 0x00, 0xff, 0xc0, 0x80, 0xe2][pick(6)]!;
        break;
      case 2: {
        const noise = Buffer.alloc(1 + pick(40));
        for (let i = 0; i < noise.length; i++) noise[i] = next() < 0.2 ? 0xb3 : pick(256);
        bytes = Buffer.concat([bytes.subarray(0, at), noise, bytes.subarray(at)]);
        break;
      }
      case 3:
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + pick(200))]);
        break;
      case 4: {
        const repeated = bytes.subarray(Math.max(0, at - pick(300)), at);
        bytes = Buffer.concat([bytes.subarray(0, at), repeated, bytes.subarray(at)]);
        break;
      }
      case 5:
        bytes = bytes.subarray(0, at);
        break;
      case 6: {
        // A header with a length too small for a packet, where a packet would start.
        const header = Buffer.from([0xb3, 0x29, 0x01, pick(10), pick(256), pick(256)]);
        bytes = Buffer.concat([header, bytes]);
        break;
      }
      default:
        // A length field pushed to extremes, if a packet starts here.
        if (at + 4 < bytes.length) bytes[at + 3] = [0x3f, 0x7f, 0xbf, 0xff, 0x00][pick(5)]!;
    }
  }
  return bytes;
}

function mutations(count: number): { name: string; seed: number; bytes: Buffer }[] {
  const out = [];
  for (let seed = 1; seed <= count; seed++) {
    const name = FIXTURES[seed % FIXTURES.length]!;
    out.push({ name, seed, bytes: mutate(fixture(name), seed) });
  }
  return out;
}

function framed(streams: readonly Buffer[]): Buffer {
  return Buffer.concat(
    streams.flatMap((stream) => {
      const size = Buffer.alloc(4);
      size.writeUInt32BE(stream.length);
      return [size, stream];
    }),
  );
}

/**
 * Decodes each stream in a child process that is killed if it runs too long: the guard
 * against a decoder that never returns. Gives the event and error counts per stream.
 */
function decodeGuarded(streams: readonly Buffer[]): { events: number; errors: number }[] {
  const decoder = new URL('../../workers/subunit/v2.ts', import.meta.url).href;
  const script = `
    import { createV2Decoder } from ${JSON.stringify(decoder)};
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    const input = Buffer.concat(chunks);
    const counts = [];
    for (let at = 0; at < input.length; ) {
      const size = input.readUInt32BE(at);
      const stream = input.subarray(at + 4, at + 4 + size);
      at += 4 + size;
      const count = { events: 0, errors: 0 };
      const decoder = createV2Decoder({ event: () => count.events++, error: () => count.errors++ });
      decoder.write(stream);
      decoder.end();
      counts.push(count);
    }
    process.stdout.write(JSON.stringify(counts));
  `;
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: ROOT, input: framed(streams), timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (child.error) throw new Error(`the decoder did not finish: ${child.error.message}`);
  expect(child.stderr.toString()).toBe('');
  expect(child.status).toBe(0);
  return JSON.parse(child.stdout.toString()) as { events: number; errors: number }[];
}

describe('subunit v2 random damage', () => {
  it('never throws, always ends, and decodes the same however the bytes arrive', () => {
    const cases = mutations(500);
    const guarded = decodeGuarded(cases.map((c) => c.bytes));
    for (const [i, { name, seed, bytes }] of cases.entries()) {
      const label = `${name} mutated with seed ${seed}`;
      const whole = decode(bytes);
      expect({ label, events: whole.events.length, errors: whole.errors.length }).toEqual({
        label,
        ...guarded[i],
      });
      const expected = digest(normalize(whole.items));
      const chunked = digest(normalize(decode(bytes, randomSizes(seed, 500)).items));
      expect({ label, items: chunked }).toEqual({ label, items: expected });
      if (seed % 10 === 0) {
        const bytewise = digest(normalize(decode(bytes, () => 1).items));
        expect({ label, items: bytewise }).toEqual({ label, items: expected });
      }
      let previous = -1;
      for (const { offset, message, bytes: raw } of whole.errors) {
        expect(
          KNOWN_MESSAGES.some((re) => re.test(message)),
          message,
        ).toBe(true);
        expect(offset).toBeGreaterThan(previous);
        expect(raw.length).toBeLessThanOrEqual(64 * 1024);
        expect(bytes.subarray(offset, offset + raw.length).equals(raw), label).toBe(true);
        previous = offset;
      }
    }
  });
});

// ---------------------------------------------------------------------------------------
// python-subunit, the reference reader, as an oracle.

const PYTHON = '/usr/bin/python3';
const HAVE_PYTHON_SUBUNIT =
  spawnSync(PYTHON, ['-c', 'import subunit, testtools'], { stdio: 'ignore' }).status === 0;
// In CI the oracle must run: a missing python-subunit fails these tests instead of skipping.
const RUN_ORACLE = HAVE_PYTHON_SUBUNIT || process.env.CI === 'true';

/** One StreamResult.status() call as test/oracle/subunit-v2-reader.py prints it. */
interface PyEvent {
  testId: string | null;
  status: string | null;
  tags: string[] | null;
  runnable: boolean;
  fileName: string | null;
  fileBytes: string | null;
  eof: boolean;
  mime: string | null;
  routeCode: string | null;
  timestamp: [number, number] | null;
}

/** A testtools.StreamToDict test dict as the oracle prints it. */
interface PyTest {
  id: string;
  status: string;
  tags: string[];
  details: Record<string, { type: string; parameters?: Record<string, string>; bytes: string }>;
  timestamps: ([number, number] | null)[];
}

type PyResult = { events: PyEvent[]; tests: PyTest[] } | { crash: string };

function python(streams: readonly Buffer[]): PyResult[] {
  const script = fileURLToPath(new URL('../oracle/subunit-v2-reader.py', import.meta.url));
  const child = spawnSync(PYTHON, [script], {
    input: framed(streams),
    maxBuffer: 512 * 1024 * 1024,
  });
  if (child.error) throw child.error;
  expect(child.stderr.toString()).toBe('');
  expect(child.status).toBe(0);
  return JSON.parse(child.stdout.toString()) as PyResult[];
}

function read(result: PyResult | undefined): { events: PyEvent[]; tests: PyTest[] } {
  if (result === undefined || 'crash' in result) {
    throw new Error(`python-subunit crashed: ${JSON.stringify(result)}`);
  }
  return result;
}

/** Orders strings by code point, as Python does. */
function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function sortedTags(tags: readonly string[]): string[] {
  return [...tags].sort(byCodePoint);
}

/** Python keeps microseconds. */
function micros(event: SubunitEvent): [number, number] | null {
  const t = event.timestamp;
  return t === undefined ? null : [t.seconds, Math.round(t.nanos / 1000)];
}

/** What the reference reader reports for one of our events. */
function asPython(event: SubunitEvent): PyEvent {
  return {
    testId: event.testId ?? null,
    status: event.status === 'none' ? null : event.status,
    tags: event.tags === undefined ? null : sortedTags(event.tags),
    // The reference leaves non-subunit output at testtools' default, runnable.
    runnable: isStdout(event) ? true : event.runnable,
    fileName: event.file?.name ?? null,
    fileBytes: event.file === undefined ? null : Buffer.from(event.file.bytes).toString('base64'),
    eof: event.file?.eof ?? event.eof ?? false,
    mime: event.mime ?? null,
    routeCode: event.routeCode ?? null,
    timestamp: micros(event),
  };
}

/** The reference reports a damaged packet as two events of a failing `subunit.parser`. */
function errorAsPython(error: ParseError): PyEvent[] {
  const parser = { testId: 'subunit.parser', tags: null, runnable: true, eof: true };
  const rest = { routeCode: null, timestamp: null };
  return [
    {
      ...parser,
      status: null,
      fileName: 'Packet data',
      fileBytes: Buffer.from(error.bytes).toString('base64'),
      mime: 'application/octet-stream',
      ...rest,
    },
    {
      ...parser,
      status: 'fail',
      fileName: 'Parser Error',
      fileBytes: Buffer.from(error.message).toString('base64'),
      mime: 'text/plain;charset=utf8',
      ...rest,
    },
  ];
}

function itemsAsPython(items: readonly Item[]): PyEvent[] {
  return items.flatMap((item) =>
    'event' in item ? [asPython(item.event)] : errorAsPython(item.error),
  );
}

/** Merges runs of stdout events and sorts tags, as {@link normalize} does for ours. */
function normalizePython(list: readonly PyEvent[]): PyEvent[] {
  const isOutput = (e: PyEvent) =>
    e.testId === null &&
    e.status === null &&
    e.fileName === 'stdout' &&
    e.mime === null &&
    e.timestamp === null;
  const out: PyEvent[] = [];
  for (const e of list) {
    const last = out.at(-1);
    if (last !== undefined && isOutput(e) && isOutput(last)) {
      const bytes = Buffer.concat([
        Buffer.from(last.fileBytes!, 'base64'),
        Buffer.from(e.fileBytes!, 'base64'),
      ]);
      out[out.length - 1] = { ...last, fileBytes: bytes.toString('base64') };
    } else {
      out.push({ ...e, tags: e.tags === null ? null : sortedTags(e.tags) });
    }
  }
  return out;
}

/**
 * Drops the packet data of short reads: for a stream cut inside a packet the reference keeps
 * only the bytes it had read before the cut one (signature, header); we keep all there are.
 */
function withoutShortReadData(list: readonly PyEvent[]): PyEvent[] {
  return list.map((e, k) =>
    e.fileName === 'Packet data' &&
    /^Short read/.test(Buffer.from(list[k + 1]?.fileBytes ?? '', 'base64').toString())
      ? { ...e, fileBytes: null }
      : e,
  );
}

/** StreamToDict's view of our events: one record per test, finished or not. */
function asTestDicts(list: readonly SubunitEvent[]): PyTest[] {
  interface Open {
    test: PyTest;
    files: Map<string, { mime: string; chunks: Buffer[] }>;
  }
  const done: PyTest[] = [];
  const finish = ({ test, files }: Open) => {
    for (const [name, { mime, chunks }] of files) {
      test.details[name] = {
        type: mime.split(';')[0]!.trim(),
        bytes: Buffer.concat(chunks).toString('base64'),
      };
    }
    done.push({ ...test, tags: sortedTags(test.tags) });
  };
  const open = new Map<string, Open>();
  for (const e of list) {
    if (e.testId === undefined) continue;
    const key = JSON.stringify([e.testId, e.routeCode ?? null]);
    let record = open.get(key);
    if (record === undefined) {
      const test = { id: e.testId, status: 'unknown', tags: [], details: {}, timestamps: [] };
      record = { test: { ...test, timestamps: [micros(e), null] }, files: new Map() };
      open.set(key, record);
    }
    const { test, files } = record;
    if (e.status !== 'none') test.status = e.status;
    test.timestamps = [test.timestamps[0]!, micros(e)];
    if (e.file !== undefined && e.file.bytes.length > 0) {
      const file = files.get(e.file.name) ?? {
        mime: e.mime ?? 'application/octet-stream',
        chunks: [],
      };
      files.set(e.file.name, file);
      file.chunks.push(Buffer.from(e.file.bytes));
    }
    if (e.tags !== undefined) test.tags = e.tags;
    if (e.status !== 'none' && e.status !== 'inprogress') {
      open.delete(key);
      finish(record);
    }
  }
  for (const record of open.values()) {
    record.test.timestamps = [record.test.timestamps[0]!, null];
    finish(record);
  }
  return done;
}

/** Test dicts as sorted strings, without the parsed MIME parameters. */
function comparable(tests: readonly PyTest[]): string[] {
  return tests
    .map((t) => {
      const details = Object.entries(t.details)
        .sort(([a], [b]) => byCodePoint(a, b))
        .map(([name, d]) => [name, d.type, d.bytes]);
      return JSON.stringify([t.id, t.status, sortedTags(t.tags), t.timestamps, details]);
    })
    .sort(byCodePoint);
}

describe.runIf(RUN_ORACLE)('subunit v2 against python-subunit', () => {
  it('python-subunit is installed', () => {
    expect(HAVE_PYTHON_SUBUNIT, `${PYTHON} cannot import subunit and testtools`).toBe(true);
  });

  it('reads what we encode as the events we encoded', () => {
    const t = 1_700_000_000;
    const big = Buffer.alloc(FILE_CHUNK_SIZE * 2 + 17);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    const ok = 'pkg.tests.test_a.TestA.test_ok[id-1fc6,smoke]';
    const bad = 'pkg.tests.test_a.TestA.test_bad';
    const fixture = 'setUpClass (pkg.tests.test_b.TestB)';
    const logs = 'pkg.tests.test_d.test_logs';
    const list: SubunitEvent[] = [
      { testId: 'pkg.tests.test_a.TestA.test_listed', status: 'exists', runnable: true },
      {
        testId: ok,
        status: 'inprogress',
        runnable: true,
        timestamp: { seconds: t, nanos: 123_456_000 },
      },
      {
        testId: ok,
        status: 'success',
        runnable: true,
        tags: ['worker-0', 'smoke'],
        timestamp: { seconds: t + 1, nanos: 0 },
      },
      {
        testId: bad,
        status: 'inprogress',
        runnable: true,
        timestamp: { seconds: t + 2, nanos: 5_000 },
      },
      {
        testId: bad,
        status: 'none',
        runnable: true,
        timestamp: { seconds: t + 3, nanos: 999_999_000 },
        mime: 'text/x-traceback;charset=utf8,language=python',
        file: {
          name: 'traceback',
          bytes: Buffer.from('Traceback (most recent call last):\n  γ\n'),
          eof: true,
        },
      },
      {
        testId: bad,
        status: 'fail',
        runnable: true,
        tags: ['worker-1'],
        timestamp: { seconds: t + 3, nanos: 999_999_000 },
      },
      {
        testId: fixture,
        status: 'none',
        runnable: true,
        mime: 'text/plain;charset="utf8"',
        file: { name: 'reason', bytes: Buffer.from('no service'), eof: true },
      },
      { testId: fixture, status: 'skip', runnable: true, tags: ['worker-1'] },
      {
        testId: 'pkg.ZoneInfoTest[Africa/Abidjan]_Fast.test_ünï γ 😀',
        status: 'xfail',
        runnable: true,
        routeCode: '0/3',
        tags: ['wörker-2', 'worker-2'],
      },
      {
        testId: 'pkg.tests.test_c.test_lucky',
        status: 'uxsuccess',
        runnable: false,
        timestamp: { seconds: t + 9, nanos: 1_000 },
      },
      // What stestr writes for output a test did not capture.
      { ...stdout(Buffer.from('interleaved output\n')), runnable: true },
      { status: 'none', runnable: true, eof: true },
      {
        testId: logs,
        status: 'inprogress',
        runnable: true,
        timestamp: { seconds: t + 10, nanos: 0 },
      },
      {
        testId: logs,
        status: 'success',
        runnable: true,
        mime: 'text/plain',
        file: { name: "pythonlogging:''", bytes: big, eof: true },
        timestamp: { seconds: t + 11, nanos: 0 },
      },
      {
        testId: 'pkg.tests.test_e.test_hung',
        status: 'inprogress',
        runnable: true,
        timestamp: { seconds: t + 12, nanos: 0 },
      },
    ];
    const stream = Buffer.concat(list.flatMap((event) => encodeEvent(event)));
    const ours = decode(stream);
    expect(ours.errors).toEqual([]);
    const { events, tests } = read(python([stream])[0]);
    expect(normalizePython(events)).toEqual(ours.events.map(asPython));
    expect(comparable(tests)).toEqual(comparable(asTestDicts(ours.events)));

    // Spot checks of what came through.
    const byId = (id: string) => tests.find((x) => x.id === id)!;
    expect(byId(logs).details["pythonlogging:''"]!.bytes).toBe(big.toString('base64'));
    expect(byId(bad)).toMatchObject({
      status: 'fail',
      tags: ['worker-1'],
      timestamps: [
        [t + 2, 5],
        [t + 3, 999_999],
      ],
      // testtools keeps the first of comma-separated parameters only.
      details: { traceback: { type: 'text/x-traceback', parameters: { charset: 'utf8' } } },
    });
    expect(byId(fixture)).toMatchObject({ status: 'skip', timestamps: [null, null] });
    expect(byId('pkg.tests.test_e.test_hung')).toMatchObject({
      status: 'inprogress',
      timestamps: [[t + 12, 0], null],
    });
  });

  it('reads every real stream as we do', () => {
    const streams = ALL_V2_FIXTURES.map(fixture);
    const results = python(streams);
    for (const [i, name] of ALL_V2_FIXTURES.entries()) {
      const ours = decode(streams[i]!);
      const { events, tests } = read(results[i]);
      expect({ name, events: normalizePython(events) }).toEqual({
        name,
        events: ours.events.map(asPython),
      });
      expect({ name, tests: comparable(tests) }).toEqual({
        name,
        tests: comparable(asTestDicts(ours.events)),
      });
    }
  });

  it('reports damaged packets with the same messages', () => {
    // The damage the reference detects; for the rest it crashes or reads on.
    const reference = DAMAGED.filter(([, , message]) =>
      /^(UTF8|Invalid|File content|3 byte)/.test(message),
    ).map(([, packet]) => Buffer.concat([ENUMERATION, packet, FILE]));
    expect(reference).toHaveLength(7);
    const cases: Buffer[] = [
      ...reference,
      Buffer.from('ab\xb3cd', 'latin1'),
      ENUMERATION.subarray(0, 11),
      Buffer.concat([SUCCESS, ENUMERATION.subarray(0, 4)]),
      Buffer.concat([SUCCESS.subarray(0, 8), FILE]),
      Buffer.concat([FILE.subarray(0, 10), Buffer.from('tail γ text'), SUCCESS]),
      Buffer.concat([Buffer.from('a\xe2Z\x80', 'latin1'), ENUMERATION, SUCCESS]),
    ];
    const results = python(cases);
    for (const [i, stream] of cases.entries()) {
      const theirs = withoutShortReadData(normalizePython(read(results[i]).events));
      const ours = withoutShortReadData(itemsAsPython(normalize(decode(stream).items)));
      expect({ i, events: theirs }).toEqual({ i, events: ours });
    }
  });

  it('splits randomly damaged streams as the reference reader does', () => {
    const cases = mutations(300);
    const results = python(cases.map((c) => c.bytes));
    let whole = 0;
    for (const [i, { name, seed, bytes }] of cases.entries()) {
      const result = results[i]!;
      // The reference crashes where a field runs past its packet: nothing to compare.
      if ('crash' in result) continue;
      const ours = normalize(decode(bytes).items);
      // Given a length under 8 the reference reads the rest of the stream as the packet
      // (under 6) or checks a CRC overlapping the header (6, 7); we report the packet and go
      // on at the next byte. Compare up to there.
      const cut = ours.findIndex(
        (item) => 'error' in item && item.error.message.startsWith('Packet too short'),
      );
      const mine = itemsAsPython(cut === -1 ? ours : ours.slice(0, cut));
      let theirs = normalizePython(result.events);
      if (cut !== -1) theirs = theirs.slice(0, mine.length);
      expect({ name, seed, events: withoutShortReadData(theirs) }).toEqual({
        name,
        seed,
        events: withoutShortReadData(mine),
      });
      if (cut === -1) whole++;
    }
    expect(whole).toBeGreaterThan(150);
  });
});
