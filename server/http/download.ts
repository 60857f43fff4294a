/**
 * A response body streamed to a file within two caps: the bytes received and, when the body is
 * gzip data, the bytes it expands to (a few kilobytes of gzip can expand to gigabytes).
 * Whether to decompress is read from the body's first two bytes, not from its name or its
 * Content-Encoding: log servers disagree on how they label a stored `.gz` file.
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { GatewatchError } from '../errors.js';
import { asUpstreamError, shown, type OpenedResponse } from './transport.js';

export interface DownloadOptions {
  /** The file written (created or truncated). */
  readonly path: string;
  /** What the file is, for messages: `subunit stream`, `console log`… */
  readonly what: string;
  /** The largest body received, bytes. */
  readonly maxBytes: number;
  /** The largest file written once decompressed, bytes. */
  readonly maxExpandedBytes: number;
  /** Called as bytes arrive, with the body's bytes received so far in this attempt. */
  readonly onBytes?: (received: number) => void;
}

export interface Downloaded {
  /** The URL that answered (after redirects). */
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  /** Bytes received. */
  readonly received: number;
  /** Bytes written (decompressed). */
  readonly bytes: number;
  readonly gzip: boolean;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Streams `opened` to `options.path`; an error status is returned unread, for the retries. */
export async function downloadOnce(
  opened: OpenedResponse,
  options: DownloadOptions,
): Promise<Downloaded> {
  const { url, status, headers, body } = opened;
  const name = shown(url);
  try {
    if (status >= 400) {
      body.resume();
      return { url, status, headers, received: 0, bytes: 0, gzip: false };
    }
    const declared = Number(headers.get('content-length') ?? NaN);
    if (declared > options.maxBytes) {
      body.destroy();
      throw tooLarge(options, options.maxBytes, name, '');
    }
    let received = 0;
    let bytes = 0;
    const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const next = async (): Promise<Buffer | null> => {
      const step = await chunks.next();
      if (step.done) return null;
      received += step.value.byteLength;
      if (received > options.maxBytes) throw tooLarge(options, options.maxBytes, name, '');
      options.onBytes?.(received);
      return step.value;
    };
    let head = Buffer.alloc(0);
    try {
      while (head.length < GZIP_MAGIC.length) {
        const chunk = await next();
        if (chunk === null) break;
        head = Buffer.concat([head, chunk]);
      }
    } catch (error) {
      body.destroy();
      throw asUpstreamError(error, url);
    }
    const gzip = head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
    async function* source(): AsyncGenerator<Buffer> {
      if (head.length > 0) yield head;
      for (let chunk = await next(); chunk !== null; chunk = await next()) yield chunk;
    }
    async function* capped(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
      for await (const chunk of input) {
        bytes += chunk.byteLength;
        if (bytes > options.maxExpandedBytes) {
          throw tooLarge(options, options.maxExpandedBytes, name, ' once decompressed');
        }
        yield chunk;
      }
    }
    const file = createWriteStream(options.path);
    try {
      if (gzip) await pipeline(source, createGunzip(), capped, file);
      else await pipeline(source, capped, file);
    } catch (error) {
      body.destroy();
      if (isZlibError(error)) {
        throw new GatewatchError(
          'CORRUPT_INPUT',
          `${options.what} at ${name}: not valid gzip data (${(error as Error).message})`,
        );
      }
      throw asUpstreamError(error, url);
    }
    return { url, status, headers, received, bytes, gzip };
  } finally {
    opened.close();
  }
}

/** `64 MiB`, `1.5 GiB`, `512 bytes`: a cap as a user wrote it. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}

function tooLarge(
  options: DownloadOptions,
  cap: number,
  name: string,
  how: string,
): GatewatchError {
  return new GatewatchError(
    'UPSTREAM_TOO_LARGE',
    `${options.what} larger than ${formatBytes(cap)}${how}: ${name}`,
  );
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}
