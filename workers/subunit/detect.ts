/**
 * Tells a subunit v2 stream from a v1 stream (or a gzip file) by its first bytes.
 *
 * Whichever comes first decides:
 * - a v2 packet: a 0xB3 that is not inside a multi-byte UTF-8 character (the v2 reader's own
 *   rule), followed by flags whose version nibble is 2 and a 1–3 byte length; when the whole
 *   packet is in the head its CRC-32 must also match, so a stray 0xB3 in text does not count;
 * - a v1 directive line the v1 parser would act on outside a test: `test[ing][:] LABEL`,
 *   `tags: …`, a `time:` with a date, `progress:` with a number, `push` or `pop`. Outcome lines
 *   (`success:`, `error:` …) do not count: outside a test the v1 parser treats them as
 *   ordinary output, and runner noise often starts with `error:`.
 * With neither, the bytes are taken as v2: the v2 decoder passes non-subunit bytes through as
 * stdout, and the caller can then report that no subunit packets were found.
 */
import { crc32 } from 'node:zlib';
import { SIGNATURE, Utf8State, VERSION_2, readVarint, varintSize } from './wire.js';

export type StreamFormat = 'v1' | 'v2' | 'gzip';

/** How many leading bytes {@link sniffFormat} needs at most before it must decide. */
export const DETECT_LIMIT = 64 * 1024;

/** Packets whose CRC is checked before a plausible header is taken on trust. */
const MAX_CRC_CHECKS = 32;
const LF = 0x0a;
const GZIP_MAGIC_1 = 0x1f;
const GZIP_MAGIC_2 = 0x8b;

/** Decides from `head`, taking it as the whole stream (or all the caller will look at). */
export function detectFormat(head: Uint8Array): StreamFormat {
  return sniff(head, true) ?? 'v2';
}

/**
 * Decides from `head` if more bytes could not change the answer; undefined while they
 * could (a partial line or packet at the end). Once `head` holds {@link DETECT_LIMIT} bytes
 * or the stream has ended, call {@link detectFormat} instead.
 */
export function sniffFormat(head: Uint8Array): StreamFormat | undefined {
  return sniff(head, false);
}

function sniff(head: Uint8Array, complete: boolean): StreamFormat | undefined {
  if (head.length === 0) return complete ? 'v2' : undefined;
  if (head[0] === GZIP_MAGIC_1) {
    if (head.length === 1) return complete ? 'v2' : undefined;
    if (head[1] === GZIP_MAGIC_2) return 'gzip';
  }
  const utf8 = new Utf8State();
  let midCharacter = false;
  let lineStart = 0;
  let crcChecks = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i]!;
    if (b === SIGNATURE && !midCharacter) {
      const verdict = packetAt(head, i, complete, crcChecks < MAX_CRC_CHECKS);
      if (verdict === 'packet') return 'v2';
      if (verdict === 'unknown') return undefined;
      if (verdict === 'checked') crcChecks++;
    }
    // As the v2 reader: a byte its UTF-8 decoder refuses ends the character.
    midCharacter = utf8.step(b) && utf8.need > 0;
    if (b === LF) {
      if (isV1Directive(head.subarray(lineStart, i))) return 'v1';
      lineStart = i + 1;
    }
  }
  if (lineStart < head.length) {
    if (!complete) return undefined;
    if (isV1Directive(head.subarray(lineStart))) return 'v1';
  }
  return complete ? 'v2' : undefined;
}

/**
 * Whether a v2 packet starts at `at`: 'packet', 'not' (or 'checked' when a CRC said not),
 * or 'unknown' when the head ends too soon to say and more may come.
 */
function packetAt(
  head: Uint8Array,
  at: number,
  complete: boolean,
  mayCheckCrc: boolean,
): 'packet' | 'not' | 'checked' | 'unknown' {
  if (at + 1 >= head.length) return complete ? 'not' : 'unknown';
  if (head[at + 1]! >> 4 !== VERSION_2) return 'not';
  if (at + 3 >= head.length) return complete ? 'not' : 'unknown';
  const size = varintSize(head[at + 3]!);
  if (size === 4) return 'not';
  if (at + 3 + size > head.length) return complete ? 'not' : 'unknown';
  const length = readVarint(head, at + 3);
  if (length < 1 + 2 + size + 4) return 'not';
  if (at + length > head.length) {
    // A big first packet: the header is plausible and the CRC out of reach.
    return complete || head.length >= DETECT_LIMIT ? 'packet' : 'unknown';
  }
  if (!mayCheckCrc) return 'packet';
  const end = at + length;
  const stored =
    ((head[end - 4]! << 24) | (head[end - 3]! << 16) | (head[end - 2]! << 8) | head[end - 1]!) >>>
    0;
  return crc32(head.subarray(at, end - 4)) === stored ? 'packet' : 'checked';
}

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c]);
const DIGITS = /^[+-]?\d+$/;
const TIME = /^\d{4}-\d{1,2}-\d{1,2}.\d{2}:\d{2}:\d{2}/;

/** Whether `line` (without its LF) is a directive the v1 parser acts on outside a test. */
function isV1Directive(line: Uint8Array): boolean {
  // Only the first word matters; directive words are ASCII.
  let end = 0;
  while (end < line.length && end < 16 && !SPACE.has(line[end]!)) end++;
  if (end === 0 || end === line.length || !SPACE.has(line[end]!)) return false;
  let rest = end + 1;
  while (rest < line.length && SPACE.has(line[rest]!)) rest++;
  if (rest === line.length) return false;
  const word = String.fromCharCode(...line.subarray(0, end)).replace(/:+$/, '');
  const arg = () =>
    String.fromCharCode(...line.subarray(end + 1, Math.min(line.length, end + 64))).trim();
  switch (word) {
    case 'test':
    case 'testing':
    case 'tags':
      return true;
    case 'time':
      return TIME.test(arg());
    case 'progress': {
      const value = arg();
      return value === 'push' || value === 'pop' || DIGITS.test(value);
    }
    default:
      return false;
  }
}
