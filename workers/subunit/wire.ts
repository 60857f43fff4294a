/**
 * Primitives of the subunit v2 wire format shared by the decoder (`v2.ts`) and the encoder
 * (`encode.ts`): flag bits, status codes, varints, UTF-8 strings and CRC-32.
 *
 * Varint: big-endian; the top two bits of the first byte give the total size (`00` 1 byte,
 * `01` 2, `10` 3, `11` 4) and the value is the remaining 6 bits followed by the other bytes.
 */
import { Buffer } from 'node:buffer';
import { crc32 as zlibCrc32 } from 'node:zlib';
import type { PacketStatus } from './types.js';

/** First byte of every packet. */
export const SIGNATURE = 0xb3;

/** Version nibble (flags bits 15–12) of a v2 packet. */
export const VERSION_2 = 0x2;

export const FLAG_TEST_ID = 0x0800;
export const FLAG_ROUTE_CODE = 0x0400;
export const FLAG_TIMESTAMP = 0x0200;
export const FLAG_RUNNABLE = 0x0100;
export const FLAG_TAGS = 0x0080;
export const FLAG_FILE_CONTENT = 0x0040;
export const FLAG_MIME_TYPE = 0x0020;
export const FLAG_EOF = 0x0010;
/** Unused in v2; must be 0. */
export const FLAG_RESERVED = 0x0008;
export const STATUS_MASK = 0x0007;

/** Largest value a varint can hold (4 bytes, 30 bits). */
export const MAX_VARINT = 0x3fffffff;

/** Largest legal packet length: the length field is at most a 3-byte varint, so < 4 MiB. */
export const MAX_PACKET_LENGTH = 0x3fffff;

/** Signature, flags and CRC: the bytes of a packet besides its length and its fields. */
export const PACKET_OVERHEAD = 1 + 2 + 4;

/** Status code (flags & 0x7) → status. */
export const STATUS_BY_CODE: readonly PacketStatus[] = [
  'none',
  'exists',
  'inprogress',
  'success',
  'uxsuccess',
  'skip',
  'fail',
  'xfail',
];

/** Status → status code (flags & 0x7). */
export const CODE_BY_STATUS: Readonly<Record<PacketStatus, number>> = {
  none: 0,
  exists: 1,
  inprogress: 2,
  success: 3,
  uxsuccess: 4,
  skip: 5,
  fail: 6,
  xfail: 7,
};

/** Total size in bytes (1–4) of the varint whose first byte is `firstByte`. */
export function varintSize(firstByte: number): number {
  return (firstByte >> 6) + 1;
}

/**
 * Reads the varint at `pos`. The caller has checked that `varintSize(buf[pos])` bytes are
 * there.
 */
export function readVarint(buf: Uint8Array, pos: number): number {
  const first = buf[pos]!;
  const value = first & 0x3f;
  switch (first >> 6) {
    case 0:
      return value;
    case 1:
      return (value << 8) | buf[pos + 1]!;
    case 2:
      return (value << 16) | (buf[pos + 1]! << 8) | buf[pos + 2]!;
    default:
      // 30 bits: stays a positive small integer, no sign trouble with `<<`.
      return (value << 24) | (buf[pos + 1]! << 16) | (buf[pos + 2]! << 8) | buf[pos + 3]!;
  }
}

/**
 * Reads the big-endian 32-bit unsigned integer at `pos`; the caller has checked that its 4
 * bytes are there. Cheaper than `Buffer#readUInt32BE`, which checks again.
 */
export function readUint32(buf: Uint8Array, pos: number): number {
  return ((buf[pos]! << 24) | (buf[pos + 1]! << 16) | (buf[pos + 2]! << 8) | buf[pos + 3]!) >>> 0;
}

/** Bytes the smallest varint for `value` takes; throws a RangeError when it cannot be encoded. */
export function varintLength(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_VARINT) {
    throw new RangeError(`varint out of range: ${value} (must be an integer 0..${MAX_VARINT})`);
  }
  return value < 0x40 ? 1 : value < 0x4000 ? 2 : value < 0x400000 ? 3 : 4;
}

/**
 * Writes `value` as the smallest varint at `pos` and returns the position after it.
 * The caller has checked the value with {@link varintLength}.
 */
export function writeVarint(buf: Uint8Array, pos: number, value: number): number {
  if (value < 0x40) {
    buf[pos] = value;
    return pos + 1;
  }
  if (value < 0x4000) {
    buf[pos] = 0x40 | (value >> 8);
    buf[pos + 1] = value & 0xff;
    return pos + 2;
  }
  if (value < 0x400000) {
    buf[pos] = 0x80 | (value >> 16);
    buf[pos + 1] = (value >> 8) & 0xff;
    buf[pos + 2] = value & 0xff;
    return pos + 3;
  }
  buf[pos] = 0xc0 | (value >>> 24);
  buf[pos + 1] = (value >> 16) & 0xff;
  buf[pos + 2] = (value >> 8) & 0xff;
  buf[pos + 3] = value & 0xff;
  return pos + 4;
}

/**
 * Standard CRC-32 (zlib's: reflected, polynomial 0xEDB88320) of `buf[start..end)`.
 *
 * `zlib.crc32` does the work, except for short spans: its per-call cost (argument checks,
 * a view to make) is several times that of table lookups over a typical 100-byte packet.
 * `view`, a DataView of `buf`'s bytes when the caller keeps one, lets those lookups read
 * four bytes at a time.
 */
export function crc32(buf: Uint8Array, start: number, end: number, view?: DataView): number {
  if (end - start >= NATIVE_CRC_MIN) return zlibCrc32(buf.subarray(start, end));
  const t = CRC_TABLES;
  let c = -1;
  let i = start;
  // Slicing-by-8: eight bytes per step, with no dependency between their lookups.
  if (view !== undefined) {
    for (; i + 8 <= end; i += 8) {
      c ^= view.getInt32(i, true);
      const d = view.getInt32(i + 4, true);
      c =
        t[1792 + (c & 0xff)]! ^
        t[1536 + ((c >>> 8) & 0xff)]! ^
        t[1280 + ((c >>> 16) & 0xff)]! ^
        t[1024 + (c >>> 24)]! ^
        t[768 + (d & 0xff)]! ^
        t[512 + ((d >>> 8) & 0xff)]! ^
        t[256 + ((d >>> 16) & 0xff)]! ^
        t[d >>> 24]!;
    }
  }
  for (; i + 8 <= end; i += 8) {
    c ^= buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
    c =
      t[1792 + (c & 0xff)]! ^
      t[1536 + ((c >>> 8) & 0xff)]! ^
      t[1280 + ((c >>> 16) & 0xff)]! ^
      t[1024 + (c >>> 24)]! ^
      t[768 + buf[i + 4]!]! ^
      t[512 + buf[i + 5]!]! ^
      t[256 + buf[i + 6]!]! ^
      t[buf[i + 7]!]!;
  }
  for (; i < end; i++) c = t[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

const NATIVE_CRC_MIN = 256;

/** Table k (k = 0..7) maps a byte to its CRC followed by k zero bytes. */
const CRC_TABLES = (() => {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const prev = t[(k - 1) * 256 + n]!;
      t[k * 256 + n] = t[prev & 0xff]! ^ (prev >>> 8);
    }
  }
  return t;
})();

// Python's utf-8 codec keeps a BOM as U+FEFF; the default TextDecoder would drop it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes the string bytes `buf[start..end)`. Returns undefined when they hold a NUL or are
 * not valid UTF-8; {@link describeBadString} then says which.
 */
export function decodeString(buf: Buffer, start: number, end: number): string | undefined {
  // Node's own decoder is the fastest by far, but it replaces bad bytes with U+FFFD: only a
  // string holding U+FFFD needs the strict decoder to tell bad bytes from a real U+FFFD.
  const value = HAS_UTF8_SLICE
    ? (buf as SlicingBuffer).utf8Slice(start, end)
    : buf.toString('utf8', start, end);
  if (value.includes('\0')) return undefined;
  if (!value.includes('\ufffd')) return value;
  try {
    return utf8.decode(buf.subarray(start, end));
  } catch {
    return undefined;
  }
}

/**
 * Decodes string fields like {@link decodeString}, reusing the last string of the same
 * bytes: tags, MIME types and file names repeat in every packet, and a test id in each of
 * its test's packets. Comparing bytes costs less than making a string, and handing out the
 * same string lets maps keyed by it reuse its hash.
 */
export class StringDecoder {
  /** Recent ASCII strings without NUL, so that equal bytes are valid bytes. */
  private readonly recent: (string | undefined)[] = new Array<string | undefined>(256);
  private readonly recentLong: (string | undefined)[] = new Array<string | undefined>(256);
  /** The bytes of each `recentLong` string as little-endian 32-bit words, by slot. */
  private readonly longWords = new Int32Array(256 * LONG_WORDS);
  /** The buffer `view` is of, kept to tell when the next string comes from another. */
  private viewed: Buffer | undefined;
  private view: DataView = new DataView(new ArrayBuffer(0));

  decode(buf: Buffer, start: number, end: number): string | undefined {
    const length = end - start;
    if (length === 0) return '';
    if (length > SHORT_STRING) return this.decodeLong(buf, start, end);
    const slot = (length * 31 + buf[start]! * 7 + buf[end - 1]!) & 0xff;
    const recent = this.recent[slot];
    if (recent !== undefined && recent.length === length) {
      let i = 0;
      while (i < length && recent.charCodeAt(i) === buf[start + i]) i++;
      if (i === length) return recent;
    }
    const value = decodeString(buf, start, end);
    // As many UTF-16 units as bytes: all ASCII (so no U+FFFD either).
    if (value !== undefined && value.length === length) this.recent[slot] = value;
    return value;
  }

  private decodeLong(buf: Buffer, start: number, end: number): string | undefined {
    const length = end - start;
    if (length > LONG_STRING) return decodeString(buf, start, end);
    // Test ids of one class share a prefix: the slot also looks at the end and the middle.
    const slot =
      (length * 31 + buf[end - 1]! * 7 + buf[end - 2]! * 3 + buf[start + (length >> 1)]!) & 0xff;
    const view = this.viewOf(buf);
    const words = this.longWords;
    const base = slot * LONG_WORDS;
    const whole = length & ~3;
    const recent = this.recentLong[slot];
    if (recent !== undefined && recent.length === length) {
      // From the end, as ids sharing a class prefix differ there; four bytes a step, since
      // hits compare every byte of an id and ids are long.
      let i = length - 1;
      while (i >= whole && recent.charCodeAt(i) === buf[start + i]) i--;
      if (i < whole) {
        // Two words a step: a hit compares every word, so the loop's own cost counts.
        let w = (whole >> 2) - 1;
        for (; w > 0; w -= 2) {
          const at = start + (w << 2);
          const pair =
            words[base + w] === view.getInt32(at, true) &&
            words[base + w - 1] === view.getInt32(at - 4, true);
          if (!pair) break;
        }
        if (w < 0 || (w === 0 && words[base] === view.getInt32(start, true))) return recent;
      }
    }
    const value = decodeString(buf, start, end);
    // Only ASCII is kept, as above; non-ASCII ids are rare.
    if (value !== undefined && value.length === length) {
      this.recentLong[slot] = value;
      for (let w = 0; w << 2 < whole; w++) words[base + w] = view.getInt32(start + (w << 2), true);
    }
    return value;
  }

  /** A view of `buf` for reading words, made once per buffer; the v2 decoder's CRC uses it too. */
  viewOf(buf: Buffer): DataView {
    if (buf !== this.viewed) {
      this.viewed = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    return this.view;
  }
}

const SHORT_STRING = 32;
/** Longer strings (rare, huge ids) are not worth keeping. */
const LONG_STRING = 1024;
const LONG_WORDS = LONG_STRING / 4;

/**
 * `Buffer#utf8Slice` is what `toString('utf8', start, end)` ends in, without the argument
 * handling that costs more than decoding a short string. Undocumented, hence the fallback.
 */
interface SlicingBuffer extends Buffer {
  utf8Slice(start: number, end: number): string;
}
const HAS_UTF8_SLICE = typeof (Buffer.prototype as Partial<SlicingBuffer>).utf8Slice === 'function';

/**
 * Bytes a string field takes (varint length + UTF-8). Throws when `value` holds NUL, which
 * no reader accepts; `what` names the field in the message.
 */
export function stringFieldLength(value: string, what: string): number {
  if (value.includes('\0')) {
    throw new Error(`cannot encode a ${what} holding NUL: ${JSON.stringify(value)}`);
  }
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_PACKET_LENGTH) throw new Error(`${what} too long for a packet: ${bytes} bytes`);
  return varintLength(bytes) + bytes;
}

/** Writes a string field checked by {@link stringFieldLength}; returns the position after it. */
export function writeStringField(buf: Buffer, pos: number, value: string): number {
  pos = writeVarint(buf, pos, Buffer.byteLength(value, 'utf8'));
  return pos + buf.write(value, pos, 'utf8');
}

/** Why the string bytes `buf[start..end)` were refused by {@link decodeString}. */
export type StringFault =
  | { kind: 'nul' }
  | { kind: 'invalid' }
  /** Valid UTF-8 cut inside its last character; `undecoded` bytes of it are present. */
  | { kind: 'partial'; undecoded: number };

export function describeBadString(buf: Uint8Array, start: number, end: number): StringFault {
  if (buf.subarray(start, end).includes(0)) return { kind: 'nul' };
  const state = new Utf8State();
  let charStart = start;
  for (let i = start; i < end; i++) {
    if (state.need === 0) charStart = i;
    if (!state.step(buf[i]!)) return { kind: 'invalid' };
  }
  return state.need > 0 ? { kind: 'partial', undecoded: end - charStart } : { kind: 'invalid' };
}

/**
 * The state of Python's incremental UTF-8 decoder (`codecs.utf_8_decode` with `final=False`)
 * fed one byte at a time. The reference reader uses it to tell whether a non-subunit byte
 * falls inside a multi-byte character; mirroring it keeps our packet boundaries identical.
 */
export class Utf8State {
  /** Continuation bytes still needed by the pending (valid, incomplete) character. */
  need = 0;
  /** Allowed range of the next continuation byte. */
  private lo = 0x80;
  private hi = 0xbf;

  /**
   * Feeds one byte. Returns false when it is invalid here; like Python's decoder the
   * pending bytes are then kept as they were.
   */
  step(b: number): boolean {
    if (this.need > 0) {
      if (b < this.lo || b > this.hi) return false;
      this.need--;
      this.lo = 0x80;
      this.hi = 0xbf;
      return true;
    }
    if (b < 0x80) return true;
    if (b < 0xc2 || b > 0xf4) return false;
    if (b < 0xe0) {
      this.need = 1;
    } else if (b < 0xf0) {
      this.need = 2;
      if (b === 0xe0) this.lo = 0xa0;
      else if (b === 0xed) this.hi = 0x9f;
    } else {
      this.need = 3;
      if (b === 0xf0) this.lo = 0x90;
      else if (b === 0xf4) this.hi = 0x8f;
    }
    return true;
  }
}
