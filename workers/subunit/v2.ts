/**
 * Incremental subunit v2 decoder.
 *
 * Framing and damage handling follow python-subunit's `ByteStreamToStreamResult` (with
 * `non_subunit_name='stdout'`), so a damaged stream splits into the same packets, stdout and
 * errors as the reference reader gives:
 * - a packet starts at every 0xB3 that is not inside a multi-byte UTF-8 character of the
 *   surrounding non-subunit bytes (tracked exactly as Python's incremental codec does);
 * - the header is the signature plus 5 bytes; a 4-byte length varint is refused and reading
 *   resumes after those 6 bytes;
 * - otherwise the claimed length is read whole and its CRC checked; a bad CRC or a bad field
 *   skips the whole claimed length;
 * - a stream that ends inside a packet gives a `Short read` error.
 * Messages of these errors are the reference's, word for word.
 *
 * Beyond the reference, this decoder also refuses a version other than 2, the reserved flag
 * 0x0008, a length too small to hold a packet (the reference would read the rest of the
 * stream into it when it is below 6; here reading resumes at the next byte) and fields running
 * past the packet's end (where the reference crashes).
 */
import { Buffer } from 'node:buffer';
import type { DecoderSink, StreamDecoder } from './decoder.js';
import type { SubunitEvent, Timestamp } from './types.js';
import {
  FLAG_EOF,
  FLAG_FILE_CONTENT,
  FLAG_MIME_TYPE,
  FLAG_RESERVED,
  FLAG_ROUTE_CODE,
  FLAG_RUNNABLE,
  FLAG_TAGS,
  FLAG_TEST_ID,
  FLAG_TIMESTAMP,
  PACKET_OVERHEAD,
  SIGNATURE,
  STATUS_BY_CODE,
  STATUS_MASK,
  Utf8State,
  VERSION_2,
  crc32,
  StringDecoder,
  describeBadString,
  readUint32,
  readVarint,
  varintSize,
} from './wire.js';

/** Name of the file that non-subunit bytes are delivered as. */
export const NON_SUBUNIT_NAME = 'stdout';

/** Signature plus the 5 header bytes the reference reads before looking at the length. */
const HEADER_BYTES = 6;
/** Cap on the raw bytes kept in a {@link ParseError}. */
const MAX_ERROR_BYTES = 64 * 1024;
/** Cap on one stdout event, as the reference's 1 MiB aggregation. */
const MAX_STDOUT_CHUNK = 1024 * 1024;
const NANOS_PER_SECOND = 1_000_000_000;
const MIN_HELD_BUFFER = 64 * 1024;

/**
 * Creates a decoder delivering each packet of a subunit v2 byte stream to `sink`.
 *
 * Memory stays bounded: at most one incomplete packet (< 4 MiB) is buffered. Events own
 * their file bytes (copied out of the chunk), so chunks may be reused after `write` returns.
 * Nothing in the input makes it throw; `write` after `end` does.
 */
export function createV2Decoder(sink: DecoderSink): StreamDecoder {
  return new V2Decoder(sink);
}

/** A field that does not fit its packet; becomes a {@link ParseError}. */
class PacketFault extends Error {}

class V2Decoder implements StreamDecoder {
  /** Stream offset of the first byte of the next chunk. */
  private received = 0;
  private ended = false;
  /** Whether the last non-subunit byte left a multi-byte UTF-8 character open. */
  private midCharacter = false;
  private readonly codec = new Utf8State();
  private readonly strings = new StringDecoder();

  /** An incomplete packet, from its signature: `held` bytes at stream offset `heldOffset`. */
  private held: Buffer = Buffer.allocUnsafe(0);
  private heldLength = 0;
  private heldOffset = 0;
  /** Claimed length of the held packet once its header is in, else 0. */
  private claimed = 0;

  /** Read cursor inside the packet being parsed, and where that packet starts. */
  private pos = 0;
  private packetStart = 0;
  private fieldsEnd = 0;
  /** Start of the reference's packet "body": its string offsets count from here, minus 2. */
  private bodyStart = 0;

  constructor(private readonly sink: DecoderSink) {}

  write(chunk: Uint8Array): void {
    if (this.ended) throw new Error('subunit v2 decoder: write() after end()');
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const offset = this.received;
    this.received += buf.length;
    this.feed(buf, offset);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.heldLength === 0) return;
    const got = this.heldLength;
    const message =
      this.claimed === 0
        ? shortRead(got - 1, HEADER_BYTES - 1)
        : shortRead(got - HEADER_BYTES, this.claimed - HEADER_BYTES);
    this.fail(this.heldOffset, message, this.held, 0, got);
    this.heldLength = 0;
  }

  /** Decodes `buf`, whose first byte is at stream offset `offset`. */
  private feed(buf: Buffer, offset: number): void {
    const n = buf.length;
    let i = 0;
    while (i < n) {
      if (this.heldLength > 0) {
        i = this.continueHeld(buf, i);
        continue;
      }
      if (buf[i] !== SIGNATURE || this.midCharacter) {
        i = this.text(buf, i);
        continue;
      }
      const available = n - i;
      if (available < HEADER_BYTES) {
        this.hold(buf, i, n, offset + i, 0);
        return;
      }
      const length = this.header(buf, i, offset + i);
      if (length < 0) {
        i += -length;
      } else if (length > available) {
        this.hold(buf, i, n, offset + i, length);
        return;
      } else {
        this.packet(buf, i, length, offset + i);
        i += length;
      }
    }
  }

  /**
   * Delivers the non-subunit bytes from `start` up to the next packet (or the chunk's end,
   * or 1 MiB) as stdout, and returns where they stop.
   */
  private text(buf: Buffer, start: number): number {
    const codec = this.codec;
    const limit = Math.min(buf.length, start + MAX_STDOUT_CHUNK);
    let mid = this.midCharacter;
    let i = start;
    for (; i < limit; i++) {
      const b = buf[i]!;
      if (b === SIGNATURE && !mid) break;
      // Python: a decode error is "not our concern" and ends the character.
      mid = codec.step(b) && codec.need > 0;
    }
    this.midCharacter = mid;
    this.sink.event({
      status: 'none',
      runnable: false,
      file: { name: NON_SUBUNIT_NAME, bytes: copy(buf, start, i), eof: false },
    });
    return i;
  }

  /**
   * Reads the header of the packet at `at` (6 bytes are there). Returns its claimed length,
   * or minus the number of bytes to skip after reporting it as damaged.
   */
  private header(buf: Buffer, at: number, offset: number): number {
    const size = varintSize(buf[at + 3]!);
    if (size === 4) {
      this.fail(offset, '3 byte maximum given but 4 byte value found.', buf, at, HEADER_BYTES);
      return -HEADER_BYTES;
    }
    const length = readVarint(buf, at + 3);
    const minimum = PACKET_OVERHEAD + size;
    if (length < minimum) {
      this.fail(
        offset,
        `Packet too short - length ${length}, a packet with a ${size} byte length takes at least ${minimum}`,
        buf,
        at,
        HEADER_BYTES,
      );
      return -1;
    }
    return length;
  }

  /**
   * Starts holding an incomplete packet: `buf[start..end)`, at stream offset `offset`, with
   * its claimed length when the header is in (else 0).
   */
  private hold(buf: Buffer, start: number, end: number, offset: number, claimed: number): void {
    this.reserve(Math.max(claimed, HEADER_BYTES), 0);
    buf.copy(this.held, 0, start, end);
    this.heldLength = end - start;
    this.heldOffset = offset;
    this.claimed = claimed;
  }

  /** Makes room for `size` held bytes, keeping the first `keep`. */
  private reserve(size: number, keep: number): void {
    if (this.held.length >= size) return;
    // The buffer is reused for every packet that spans chunks, so it grows to the largest.
    const bigger = Buffer.allocUnsafe(Math.max(size, MIN_HELD_BUFFER));
    this.held.copy(bigger, 0, 0, keep);
    this.held = bigger;
  }

  /** Adds bytes from `buf[i..)` to the held packet; returns where they stop. */
  private continueHeld(buf: Buffer, i: number): number {
    const n = buf.length;
    if (this.claimed === 0) {
      const take = Math.min(HEADER_BYTES - this.heldLength, n - i);
      buf.copy(this.held, this.heldLength, i, i + take);
      this.heldLength += take;
      i += take;
      if (this.heldLength < HEADER_BYTES) return i;
      const length = this.header(this.held, 0, this.heldOffset);
      if (length < 0) {
        const skip = -length;
        const rest = Buffer.from(this.held.subarray(skip, HEADER_BYTES));
        const restOffset = this.heldOffset + skip;
        this.heldLength = 0;
        // At most 5 bytes: not enough for another header, so this cannot recurse again.
        this.feed(rest, restOffset);
        return i;
      }
      this.reserve(length, HEADER_BYTES);
      this.claimed = length;
    }
    const take = Math.min(this.claimed - this.heldLength, n - i);
    buf.copy(this.held, this.heldLength, i, i + take);
    this.heldLength += take;
    i += take;
    if (this.heldLength === this.claimed) {
      this.heldLength = 0;
      this.packet(this.held, 0, this.claimed, this.heldOffset);
      this.claimed = 0;
    }
    return i;
  }

  /** Checks and delivers the complete packet `buf[at..at+length)`. */
  private packet(buf: Buffer, at: number, length: number, offset: number): void {
    const crcAt = at + length - 4;
    const calculated = crc32(buf, at, crcAt, this.strings.viewOf(buf));
    const stored = readUint32(buf, crcAt);
    if (calculated !== stored) {
      const message = `Bad checksum - calculated (0x${hex(calculated)}), stored (0x${hex(stored)})`;
      this.fail(offset, message, buf, at, length);
      return;
    }
    const flags = (buf[at + 1]! << 8) | buf[at + 2]!;
    if (flags >> 12 !== VERSION_2) {
      const message = `Bad version - expected (0x${VERSION_2}), found (0x${hex(flags >> 12)}) in flags (0x${hex(flags)})`;
      this.fail(offset, message, buf, at, length);
      return;
    }
    if (flags & FLAG_RESERVED) {
      const message = `Reserved flag 0x0008 is set in flags (0x${hex(flags)})`;
      this.fail(offset, message, buf, at, length);
      return;
    }
    const size = varintSize(buf[at + 3]!);
    this.packetStart = at;
    this.pos = at + 3 + size;
    this.fieldsEnd = crcAt;
    this.bodyStart = size === 3 ? at + HEADER_BYTES : at + 1;
    let event: SubunitEvent;
    try {
      event = this.fields(buf, flags);
    } catch (error) {
      if (!(error instanceof PacketFault)) throw error;
      this.fail(offset, error.message, buf, at, length);
      return;
    }
    this.sink.event(event);
  }

  /** Reads the fields of a packet whose CRC, version and flags are good. */
  private fields(buf: Buffer, flags: number): SubunitEvent {
    const status = STATUS_BY_CODE[flags & STATUS_MASK]!;
    const runnable = (flags & FLAG_RUNNABLE) !== 0;
    const timestamp = flags & FLAG_TIMESTAMP ? this.timestamp(buf) : undefined;
    const testId = flags & FLAG_TEST_ID ? this.string(buf) : undefined;
    const tags = flags & FLAG_TAGS ? this.tags(buf) : undefined;
    const mime = flags & FLAG_MIME_TYPE ? this.string(buf) : undefined;
    const eof = (flags & FLAG_EOF) !== 0;
    const file = flags & FLAG_FILE_CONTENT ? this.file(buf, eof) : undefined;
    // A test's usual packets are built whole: adding properties one at a time costs a map
    // transition each and a property array, in the hottest allocation of the decoder.
    const ofTest = timestamp !== undefined && testId !== undefined;
    let event: SubunitEvent;
    if (ofTest && mime === undefined && file === undefined) {
      event =
        tags === undefined
          ? { status, runnable, timestamp, testId }
          : { status, runnable, timestamp, testId, tags };
    } else if (ofTest && tags === undefined && mime !== undefined && file !== undefined) {
      event = { status, runnable, timestamp, testId, mime, file };
    } else {
      event = { status, runnable };
      if (timestamp !== undefined) event.timestamp = timestamp;
      if (testId !== undefined) event.testId = testId;
      if (tags !== undefined) event.tags = tags;
      if (mime !== undefined) event.mime = mime;
      if (file !== undefined) event.file = file;
    }
    if (eof && file === undefined) event.eof = true;
    if (flags & FLAG_ROUTE_CODE) event.routeCode = this.string(buf);
    return event;
  }

  private file(buf: Buffer, eof: boolean): NonNullable<SubunitEvent['file']> {
    const name = this.string(buf);
    const length = this.varint(buf);
    const start = this.pos;
    const available = Math.max(0, Math.min(length, this.fieldsEnd - start));
    if (available !== length) {
      throw new PacketFault(
        `File content extends past end of packet: claimed ${length} bytes, ${available} available`,
      );
    }
    this.pos = start + length;
    return { name, bytes: copy(buf, start, this.pos), eof };
  }

  private tags(buf: Buffer): string[] {
    const count = this.varint(buf);
    if (count === 0) return [];
    // Sized for the usual single tag (`worker-N`): a push to `[]` makes room for 16.
    const tags = [this.string(buf)];
    for (let k = 1; k < count; k++) {
      const tag = this.string(buf);
      // Tags are a set, as in the reference.
      if (!tags.includes(tag)) tags.push(tag);
    }
    return tags;
  }

  private timestamp(buf: Buffer): Timestamp {
    const at = this.pos;
    if (at + 4 > this.fieldsEnd) {
      throw new PacketFault(
        `Timestamp at packet byte ${at - this.packetStart} extends past end of packet`,
      );
    }
    let seconds = readUint32(buf, at);
    this.pos = at + 4;
    let nanos = this.varint(buf);
    if (nanos >= NANOS_PER_SECOND) {
      seconds += Math.floor(nanos / NANOS_PER_SECOND);
      nanos %= NANOS_PER_SECOND;
    }
    return { seconds, nanos };
  }

  private varint(buf: Buffer): number {
    const at = this.pos;
    const end = at < this.fieldsEnd ? at + varintSize(buf[at]!) : at + 1;
    if (end > this.fieldsEnd) {
      throw new PacketFault(
        `Varint at packet byte ${at - this.packetStart} extends past end of packet`,
      );
    }
    this.pos = end;
    return readVarint(buf, at);
  }

  private string(buf: Buffer): string {
    const length = this.varint(buf);
    const start = this.pos;
    const end = start + length;
    // The reference's offsets count from its body buffer, minus 2.
    if (end > this.fieldsEnd) {
      throw new PacketFault(
        `UTF8 string at offset ${start - this.bodyStart - 2} extends past end of packet: claimed ${length} bytes, ${this.fieldsEnd - start} available`,
      );
    }
    const value = this.strings.decode(buf, start, end);
    if (value === undefined) {
      const where = start - this.bodyStart - 2;
      const fault = describeBadString(buf, start, end);
      throw new PacketFault(
        fault.kind === 'nul'
          ? `UTF8 string at offset ${where} contains NUL byte`
          : fault.kind === 'partial'
            ? `Invalid (partially decodable) string at offset ${where}, ${fault.undecoded} undecoded bytes`
            : `UTF8 string at offset ${where} is not UTF8`,
      );
    }
    this.pos = end;
    return value;
  }

  private fail(offset: number, message: string, buf: Buffer, at: number, length: number): void {
    this.sink.error({
      offset,
      message,
      bytes: copy(buf, at, at + Math.min(length, MAX_ERROR_BYTES)),
    });
  }
}

/** The reference's message for a stream that ends early. */
function shortRead(got: number, wanted: number): string {
  return `Short read - got ${got} bytes, wanted ${wanted} bytes`;
}

function hex(value: number): string {
  return value.toString(16);
}

/** A copy of `buf[start..end)` that the caller may keep. */
function copy(buf: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  // Empty attachments (stestr's stdout/stderr) are common: skip the native call.
  if (end > start) buf.copy(out, 0, start, end);
  return out;
}
