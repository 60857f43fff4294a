/**
 * A failure's signature: its traceback (or skip/xfail reason) with everything that differs
 * between two occurrences of the same problem masked, and the sha256 of that text. Two
 * failures share a fingerprint when they raise the same exception type, through the same
 * frames (file base name and function), with the same message once masked — whichever test,
 * machine, checkout directory, time or object ids they ran with. Pure: runs in the parse
 * worker, beside the parser, so ingest's main thread only stores it.
 */
import { createHash } from 'node:crypto';

/** The signature of one failure. */
export interface FailureSignature {
  /** sha256 (hex) of {@link FailureSignature.normalised}. */
  fingerprint: string;
  /** The masked traceback, one line per frame and the exception. */
  normalised: string;
  /** The masked exception line (the last line of the traceback): what a list shows. */
  summary: string;
  /** The exception line as printed, unmasked, for message rules. */
  message: string;
}

/** The longest summary and message kept (characters): one line of a list. */
export const SUMMARY_MAX = 500;

/**
 * The masks, in the order they apply: a later one must not see what an earlier one masked
 * (a timestamp holds numbers, an IPv6 address colons and hex, a UUID hex runs).
 */
const MASKS: readonly (readonly [RegExp, string])[] = [
  // Times of day and dates: every run happens at another time.
  [
    /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g,
    '<time>',
  ],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<time>'],
  // Object, request and resource ids (Nova servers, `req-…`, tempest resources) are random.
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  // Addresses of test nodes and of the VMs they boot differ per run and per node.
  [
    /(?<![\w:.])(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{0,4}::(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{0,4})(?![\w:])/gi,
    '<ip>',
  ],
  [/\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/g, '<ip>'],
  // Memory addresses (`<object at 0x7f…>`) differ in every process.
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  // Elapsed times in timeout messages vary with the machine's load.
  [
    /\b\d+(?:\.\d+)?\s?(?:ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?)\b/g,
    '<duration>',
  ],
  // Where the code or the data lies depends on the checkout, the venv, the temporary
  // directory: only the base name says which file. (A frame's relative path: see below.)
  [/(?<![\w.])(?:~|[A-Za-z]:)?(?:[/\\][\w.@+-]+)+[/\\](?=[\w.@+-])/g, '<path>/'],
  // Hashes and generated names (commit ids, tmp names): hex runs holding a digit and a letter.
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  // Counts, line numbers, ports, sizes. Digits inside a name (`test_v2`, `python3`) are kept:
  // they are part of the name, and `\b` does not fall between a letter or `_` and a digit.
  [/\b\d+(?:\.\d+)*\b/g, '<n>'],
];

/** A traceback frame: `  File "PATH", line N, in FUNCTION`. */
const FRAME = /^(\s*)File "([^"]*)", line [^,]*, in (.*)$/;

/** Masks one line of text (a message, a frame, an exception line). */
export function maskText(text: string): string {
  let masked = text;
  for (const [pattern, mask] of MASKS) masked = masked.replace(pattern, mask);
  return masked;
}

/**
 * Normalises a traceback: frames keep the base name of their file and their function (a
 * relative path depends on the directory the tests ran from); the source line printed under
 * a frame is dropped (editing a line elsewhere in the function does not make a new problem);
 * every other line is masked; trailing blanks and blank lines go.
 */
export function normaliseTraceback(traceback: string): string {
  const out: string[] = [];
  let frameIndent: number | null = null;
  for (const raw of traceback.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    if (line === '') continue;
    const frame = FRAME.exec(line);
    if (frame) {
      const [, indent = '', path = '', fn = ''] = frame;
      const base = path.split(/[/\\]/).at(-1) ?? '';
      out.push(`${indent}File "${maskText(base)}", in ${fn}`);
      frameIndent = indent.length;
      continue;
    }
    const indent = line.length - line.trimStart().length;
    if (frameIndent !== null && indent > frameIndent) continue;
    frameIndent = null;
    out.push(maskText(line));
  }
  return out.join('\n');
}

/**
 * The signature of a failure from its traceback (or reason) text; null when there is no
 * text to tell it by (an unexpected success prints nothing).
 */
export function signatureOf(text: string): FailureSignature | null {
  const normalised = normaliseTraceback(text);
  if (normalised === '') return null;
  return {
    fingerprint: createHash('sha256').update(normalised).digest('hex'),
    normalised,
    summary: lastLine(normalised).slice(0, SUMMARY_MAX),
    message: messageOf(text),
  };
}

/** A traceback's exception line as printed: its last non-blank line, cut to {@link SUMMARY_MAX}. */
export function messageOf(traceback: string): string {
  return lastLine(traceback.replace(/\s+$/, '')).slice(0, SUMMARY_MAX);
}

function lastLine(lines: string): string {
  return lines.split('\n').at(-1)!.trim();
}

/** The last `maxBytes` of a text file as UTF-8 (a character cut at the start is replaced). */
export function tailText(bytes: Uint8Array, maxBytes: number): string {
  const tail = bytes.subarray(Math.max(0, bytes.length - maxBytes));
  return Buffer.from(tail.buffer, tail.byteOffset, tail.length).toString('utf8');
}
