/**
 * An upload's body, received whole into a temporary file before the ingest opens its
 * transaction: a slow or stalled client holds a file, never the database.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECTIONS } from '../config/settings.js';
import { ApiError, ErrorCode } from '../graphql/errors.js';

/** What a body may be: how large, how long a pause, and where it waits. */
export interface BodyLimits {
  readonly maxBytes: number;
  /** Longest wait for the next bytes, in milliseconds. */
  readonly idleTimeoutMs: number;
  /** The directory of the temporary files; null: the system's. */
  readonly dir: string | null;
}

/** A whole body in a temporary file, which the caller must {@link remove}. */
export interface ReceivedBody {
  readonly size: number;
  /** The body's bytes, read from the file. */
  read(): AsyncIterable<Uint8Array>;
  remove(): Promise<void>;
}

/** Prefix of the temporary files, so that an operator can tell them apart. */
export const BODY_FILE_PREFIX = 'gatewatch-upload-';

/**
 * Receives the request body into a temporary file. Rejects, leaving no file, with
 * PAYLOAD_TOO_LARGE (413) past `maxBytes`, with BAD_REQUEST (408) when no bytes come for
 * `idleTimeoutMs`, and with BAD_REQUEST when the client goes away first. The request is not
 * destroyed: the error can still be answered.
 */
export async function receiveBody(req: IncomingMessage, limits: BodyLimits): Promise<ReceivedBody> {
  const dir = limits.dir ?? tmpdir();
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${BODY_FILE_PREFIX}${randomUUID()}`);
  const file = await open(path, 'wx', 0o600);
  let size: number;
  try {
    size = await copy(req, file, limits);
  } catch (error) {
    await file.close();
    await rm(path, { force: true });
    throw error;
  }
  await file.close();
  return {
    size,
    read: () => createReadStream(path, { highWaterMark: 1 << 20 }),
    remove: () => rm(path, { force: true }),
  };
}

function copy(req: IncomingMessage, file: FileHandle, limits: BodyLimits): Promise<number> {
  return new Promise((resolve, reject) => {
    let size = 0;
    let settled = false;
    let idle: NodeJS.Timeout | undefined;
    const settle = (error: unknown, received?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      // What is left of the body stays unread: the answer closes the connection.
      req.pause();
      if (error === null) resolve(received!);
      else reject(error);
    };
    const waitForBytes = () => {
      clearTimeout(idle);
      idle = setTimeout(() => settle(stalled(limits.idleTimeoutMs)), limits.idleTimeoutMs);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) return settle(tooLarge(limits.maxBytes));
      // The disk's time is not the client's: no idle clock while a chunk is written.
      clearTimeout(idle);
      req.pause();
      file.write(chunk).then(() => {
        if (settled) return;
        waitForBytes();
        req.resume();
      }, settle);
    };
    // Paused during each write, the request ends only once every chunk is in the file.
    const onEnd = () => settle(null, size);
    const onError = (error: Error) => settle(gone(error.message));
    const onClose = () => {
      if (!req.complete) settle(gone('closed'));
    };
    req.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
    waitForBytes();
  });
}

/** The error of a body over `max` bytes. */
export function tooLarge(max: number): ApiError {
  return new ApiError(
    ErrorCode.PAYLOAD_TOO_LARGE,
    `the upload is larger than this server accepts (${max} bytes; ${SECTIONS.server.maxUploadBytes.env})`,
  );
}

function stalled(ms: number): ApiError {
  return new ApiError(
    ErrorCode.BAD_REQUEST,
    `the upload stalled: no bytes of its body for ${ms / 1000} s (${SECTIONS.server.uploadIdleTimeout.env}); nothing was stored`,
    408,
  );
}

function gone(why: string): ApiError {
  return new ApiError(
    ErrorCode.BAD_REQUEST,
    `the client went away before the whole upload was sent (${why}); nothing was stored`,
  );
}
