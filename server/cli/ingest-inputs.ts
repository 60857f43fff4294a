/** What `gatewatch ingest` reads: its inputs, checked before any is read, and its `--meta`. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { GatewatchError } from '../errors.js';
import { messageOf } from '../ingest/ingest.js';
import type { CliIo } from '../command.js';
import type { Progress } from './progress.js';

/** An input as named on the command line. */
export interface Input {
  name: string;
  /** Bytes; null when not known ahead: stdin, a FIFO, a process substitution (`<(…)`). */
  size: number | null;
}

/**
 * An input checked readable without reading it: `-` (stdin), a regular file, or a pipe
 * (`mkfifo`, `<(…)`, `/dev/stdin`). A missing file, a directory or a device is named.
 */
export async function inputOf(name: string): Promise<Input> {
  if (name === '-') return { name, size: null };
  try {
    const info = await stat(name);
    if (info.isFile()) return { name, size: info.size };
    if (info.isFIFO() || info.isSocket()) return { name, size: null };
    throw new Error(info.isDirectory() ? 'a directory' : 'not a file or a pipe');
  } catch (error) {
    throw new GatewatchError('INPUT_UNREADABLE', `cannot read ${name}: ${messageOf(error)}`);
  }
}

/** The bytes of `total` inputs, null when one's size is not known ahead. */
export function totalSize(inputs: readonly Input[]): number | null {
  let total = 0;
  for (const input of inputs) {
    if (input.size === null) return null;
    total += input.size;
  }
  return total;
}

export function openInput(name: string, io: CliIo): AsyncIterable<Uint8Array> {
  return name === '-' ? io.stdin : createReadStream(name, { highWaterMark: 1 << 20 });
}

/** `source`, each chunk counted into `progress` as it is read. */
export async function* counted(
  source: AsyncIterable<Uint8Array>,
  progress: Progress,
): AsyncIterable<Uint8Array> {
  for await (const chunk of source) {
    progress.advance(chunk.length);
    yield chunk;
  }
}

/** `--meta key=value…` as metadata; a key given twice is refused (which one was meant?). */
export function parseMeta(pairs: readonly string[]): Record<string, string> {
  const metadata = new Map<string, string>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new GatewatchError('BAD_ARGUMENT', `--meta "${pair}": expected key=value`);
    }
    const key = pair.slice(0, eq);
    if (metadata.has(key)) {
      throw new GatewatchError(
        'BAD_ARGUMENT',
        `--meta ${key} is given twice ("${metadata.get(key)}" and "${pair.slice(eq + 1)}"): give it once`,
      );
    }
    metadata.set(key, pair.slice(eq + 1));
  }
  // fromEntries: a key such as `__proto__` stays a key.
  return Object.fromEntries(metadata);
}

export function checkUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  throw new GatewatchError('BAD_ARGUMENT', `--artifacts "${url}": expected an http(s) URL`);
}
