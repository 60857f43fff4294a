/**
 * Subunit v2 encoder: events back to packets that python-subunit (`subunit-stats`,
 * `subunit2csv`, `stestr load`) reads. Fields are written in the reference writer's order.
 */
import { Buffer } from 'node:buffer';
import type { SubunitEvent, Timestamp } from './types.js';
import {
  CODE_BY_STATUS,
  FLAG_EOF,
  FLAG_FILE_CONTENT,
  FLAG_MIME_TYPE,
  FLAG_ROUTE_CODE,
  FLAG_RUNNABLE,
  FLAG_TAGS,
  FLAG_TEST_ID,
  FLAG_TIMESTAMP,
  MAX_PACKET_LENGTH,
  PACKET_OVERHEAD,
  SIGNATURE,
  VERSION_2,
  crc32,
  stringFieldLength,
  varintLength,
  writeStringField,
  writeVarint,
} from './wire.js';

/** Default size of the file chunks {@link encodeEvent} splits large attachments into. */
export const FILE_CHUNK_SIZE = 1024 * 1024;

const MAX_SECONDS = 0xffffffff;
const NANOS_PER_SECOND = 1_000_000_000;

/**
 * Encodes one event as one v2 packet (the smallest length varint that fits).
 *
 * Throws an Error when the event cannot be written: a packet of 4 MiB or more (split the
 * file with {@link encodeEvent}), a string holding NUL, a timestamp outside uint32 seconds
 * and 0..999999999 nanoseconds. Unpaired surrogates in strings are written as U+FFFD.
 */
export function encodePacket(event: SubunitEvent): Buffer {
  const { testId, timestamp, tags, mime, file, routeCode } = event;
  let flags = (VERSION_2 << 12) | CODE_BY_STATUS[event.status];
  let fields = 0;
  if (timestamp !== undefined) {
    checkTimestamp(timestamp.seconds, timestamp.nanos);
    flags |= FLAG_TIMESTAMP;
    fields += 4 + varintLength(timestamp.nanos);
  }
  if (testId !== undefined) {
    flags |= FLAG_TEST_ID;
    fields += stringFieldLength(testId, 'test id');
  }
  if (tags !== undefined) {
    flags |= FLAG_TAGS;
    fields += varintLength(tags.length);
    for (const tag of tags) fields += stringFieldLength(tag, 'tag');
  }
  if (event.runnable) flags |= FLAG_RUNNABLE;
  if (mime !== undefined) {
    flags |= FLAG_MIME_TYPE;
    fields += stringFieldLength(mime, 'MIME type');
  }
  if (file !== undefined) {
    flags |= FLAG_FILE_CONTENT;
    fields += stringFieldLength(file.name, 'file name');
    if (file.bytes.length > MAX_PACKET_LENGTH) throw tooLong(event, file.bytes.length);
    fields += varintLength(file.bytes.length) + file.bytes.length;
  }
  if (file?.eof || event.eof) flags |= FLAG_EOF;
  if (routeCode !== undefined) {
    flags |= FLAG_ROUTE_CODE;
    fields += stringFieldLength(routeCode, 'route code');
  }

  const base = PACKET_OVERHEAD + fields;
  // The length counts itself: take the smallest varint whose size still fits the total.
  let length = base + 1;
  while (length <= MAX_PACKET_LENGTH && varintLength(length) !== length - base) length++;
  if (length > MAX_PACKET_LENGTH) throw tooLong(event, base + 3);

  const out = Buffer.allocUnsafe(length);
  out[0] = SIGNATURE;
  out.writeUInt16BE(flags, 1);
  let pos = writeVarint(out, 3, length);
  if (timestamp !== undefined) {
    out.writeUInt32BE(timestamp.seconds, pos);
    pos = writeVarint(out, pos + 4, timestamp.nanos);
  }
  if (testId !== undefined) pos = writeStringField(out, pos, testId);
  if (tags !== undefined) {
    pos = writeVarint(out, pos, tags.length);
    for (const tag of tags) pos = writeStringField(out, pos, tag);
  }
  if (mime !== undefined) pos = writeStringField(out, pos, mime);
  if (file !== undefined) {
    pos = writeStringField(out, pos, file.name);
    pos = writeVarint(out, pos, file.bytes.length);
    out.set(file.bytes, pos);
    pos += file.bytes.length;
  }
  if (routeCode !== undefined) pos = writeStringField(out, pos, routeCode);
  out.writeUInt32BE(crc32(out, 0, pos), pos);
  return out;
}

/**
 * Encodes an event whose file may be too large for one packet: its bytes are split into
 * chunks of at most `chunkSize` (default 1 MiB), one packet each, all with the event's test
 * id, timestamp, MIME type and route code. Status, tags and `eof` ride on the last packet;
 * the others have status `none` and EOF unset. Events without a file, or with a small one,
 * give a single packet. Throws like {@link encodePacket} when a packet is still too large.
 */
export function encodeEvent(event: SubunitEvent, chunkSize = FILE_CHUNK_SIZE): Buffer[] {
  const file = event.file;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunk size must be a positive integer, got ${chunkSize}`);
  }
  if (file === undefined || file.bytes.length <= chunkSize) return [encodePacket(event)];
  const packets: Buffer[] = [];
  for (let start = 0; start < file.bytes.length; start += chunkSize) {
    const bytes = file.bytes.subarray(start, start + chunkSize);
    const last = start + chunkSize >= file.bytes.length;
    packets.push(
      encodePacket(
        last
          ? { ...event, file: { ...file, bytes } }
          : {
              ...event,
              status: 'none',
              tags: undefined,
              file: { name: file.name, bytes, eof: false },
            },
      ),
    );
  }
  return packets;
}

/** An instant in whole epoch microseconds (how results store times) as a packet timestamp. */
export function timestampOfMicros(us: number): Timestamp {
  const seconds = Math.floor(us / 1e6);
  return { seconds, nanos: (us - seconds * 1e6) * 1000 };
}

function checkTimestamp(seconds: number, nanos: number): void {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_SECONDS) {
    throw new RangeError(`timestamp seconds out of range: ${seconds} (must be 0..${MAX_SECONDS})`);
  }
  if (!Number.isInteger(nanos) || nanos < 0 || nanos >= NANOS_PER_SECOND) {
    throw new RangeError(`timestamp nanoseconds out of range: ${nanos} (must be 0..999999999)`);
  }
}

function tooLong(event: SubunitEvent, length: number): Error {
  const what = event.testId === undefined ? 'event' : `event of ${JSON.stringify(event.testId)}`;
  return new Error(
    `${what} needs a packet of ${length} bytes; a subunit v2 packet must be under 4 MiB ` +
      `(${MAX_PACKET_LENGTH + 1} bytes): split its file with encodeEvent()`,
  );
}
