/**
 * `--replay FILE`: a file of Gerrit events — JSON lines (what stream-events printed), or one
 * JSON array — fed to a sink as it is read, never held whole.
 */
import { createReadStream } from 'node:fs';
import { GatewatchError } from '../errors.js';
import type { GerritEvent } from './events.js';
import { normaliseLine } from './normalize.js';
import type { ProjectFilter } from './projects.js';
import type { EventSink } from './sink.js';
import { isStored } from './events.js';

export interface ReplayOptions {
  /** Longest event kept; a longer one is skipped and counted. Default 1 MiB. */
  readonly maxEventBytes?: number;
  /** Events per write. Default 500. */
  readonly batchSize?: number;
  readonly projects?: ProjectFilter;
  /** Each skipped event's reason (the caller decides how much to print). */
  readonly warn?: (message: string) => void;
}

export interface ReplaySummary {
  /** Events (lines or array elements) read. */
  readonly read: number;
  readonly stored: number;
  readonly duplicates: number;
  readonly other: number;
  readonly reports: number;
  readonly invalid: number;
  readonly tooLong: number;
  readonly filtered: number;
}

/** Reads `file` to its end into `sink` (source `replay`); resolves to what it did. */
export async function replayEvents(
  file: string,
  sink: EventSink,
  options: ReplayOptions = {},
): Promise<ReplaySummary> {
  const maxBytes = options.maxEventBytes ?? 1 << 20;
  const batchSize = options.batchSize ?? 500;
  const counts = {
    read: 0,
    stored: 0,
    duplicates: 0,
    other: 0,
    reports: 0,
    invalid: 0,
    tooLong: 0,
    filtered: 0,
  };
  let batch: GerritEvent[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await sink.accept(batch, 'replay');
    batch = [];
    counts.stored += result.stored;
    counts.duplicates += result.duplicates;
    counts.other += result.other;
    counts.reports += result.reports;
  };
  const take = async (text: string | null, where: string) => {
    counts.read += 1;
    if (text === null) {
      counts.tooLong += 1;
      options.warn?.(`${file}: ${where}: skipped, longer than ${maxBytes} bytes`);
      return;
    }
    const normalised = normaliseLine(text);
    if (!normalised.ok) {
      counts.invalid += 1;
      options.warn?.(`${file}: ${where}: skipped: ${normalised.warning}`);
      return;
    }
    const { event } = normalised;
    const project = isStored(event)
      ? event.change.project
      : (event as { project?: string }).project;
    const projects = options.projects;
    if (projects && projects.patterns.length > 0 && !(project && projects.matches(project))) {
      counts.filtered += 1;
      return;
    }
    batch.push(event);
    if (batch.length >= batchSize) await flush();
  };

  const input = createReadStream(file, { encoding: 'utf8' });
  let splitter: Splitter | null = null;
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      splitter ??=
        chunk.trimStart() === ''
          ? null
          : startsArray(chunk)
            ? arraySplitter(maxBytes)
            : lineSplitter(maxBytes);
      if (splitter === null) continue;
      for (const [text, where] of splitter.push(chunk, file)) await take(text, where);
    }
  } catch (error) {
    // Only the file's own errors (ENOENT, EISDIR…) are about reading it; the sink's pass on.
    const errno = error as NodeJS.ErrnoException;
    if (errno.syscall === undefined || errno.code === undefined) throw error;
    throw new GatewatchError(
      'INPUT_UNREADABLE',
      `--replay ${file}: cannot read it (${errno.code})`,
    );
  }
  if (splitter === null) {
    throw new GatewatchError('INPUT_UNREADABLE', `--replay ${file}: empty, no event in it`);
  }
  for (const [text, where] of splitter.end(file)) await take(text, where);
  await flush();
  return counts;
}

/** Yields each piece of text (`null`: too long, skipped) with where it was in the file. */
interface Splitter {
  push(chunk: string, file: string): [string | null, string][];
  end(file: string): [string | null, string][];
}

function startsArray(chunk: string): boolean {
  return chunk.trimStart().startsWith('[');
}

function lineSplitter(maxBytes: number): Splitter {
  let pending = '';
  let skipping = false;
  let line = 0;
  const out = (text: string): [string | null, string][] => {
    if (text.trim() === '' && !skipping) return [];
    const tooLong = skipping || Buffer.byteLength(text) > maxBytes;
    return [[tooLong ? null : text, `line ${line}`]];
  };
  return {
    push(chunk) {
      const found: [string | null, string][] = [];
      let start = 0;
      for (
        let newline = chunk.indexOf('\n');
        newline !== -1;
        newline = chunk.indexOf('\n', start)
      ) {
        line += 1;
        if (!skipping) pending += chunk.slice(start, newline);
        found.push(...out(pending));
        pending = '';
        skipping = false;
        start = newline + 1;
      }
      if (!skipping) pending += chunk.slice(start);
      if (Buffer.byteLength(pending) > maxBytes) {
        skipping = true;
        pending = '';
      }
      return found;
    },
    end() {
      line += 1;
      return out(pending);
    },
  };
}

/** Splits a top-level JSON array into its elements' texts, tracking strings and nesting. */
function arraySplitter(maxBytes: number): Splitter {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let closed = false;
  let element = '';
  let skipping = false;
  let index = 0;
  const emit = (found: [string | null, string][]) => {
    if (element.trim() !== '' || skipping) {
      index += 1;
      const tooLong = skipping || Buffer.byteLength(element) > maxBytes;
      found.push([tooLong ? null : element, `element ${index}`]);
    }
    element = '';
    skipping = false;
  };
  return {
    push(chunk, file) {
      const found: [string | null, string][] = [];
      let from = 0;
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk[i]!;
        if (closed) {
          if (c.trim() !== '') {
            throw new GatewatchError(
              'CORRUPT_INPUT',
              `--replay ${file}: more after the JSON array's closing ] (after element ${index})`,
            );
          }
          continue;
        }
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') inString = false;
          continue;
        }
        if (c === '"') inString = true;
        else if (c === '[' || c === '{') {
          depth += 1;
          if (depth === 1) from = i + 1;
        } else if (c === ']' || c === '}') {
          depth -= 1;
          if (depth === 0) {
            if (!skipping) element += chunk.slice(from, i);
            emit(found);
            closed = true;
          }
        } else if (c === ',' && depth === 1) {
          if (!skipping) element += chunk.slice(from, i);
          emit(found);
          from = i + 1;
        }
      }
      if (!closed && depth >= 1) {
        if (!skipping) element += chunk.slice(from);
        if (Buffer.byteLength(element) > maxBytes) {
          skipping = true;
          element = '';
        }
      }
      return found;
    },
    end(file) {
      if (!closed) {
        throw new GatewatchError(
          'CORRUPT_INPUT',
          `--replay ${file}: the JSON array is not closed (it ends inside element ${index + 1}); ` +
            `the ${index} events before were replayed`,
        );
      }
      return [];
    },
  };
}
