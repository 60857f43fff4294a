/**
 * A `multipart/form-data` upload (`POST /api/runs`): a part `stream` (the subunit stream) and an
 * optional part `dstat` (its dstat CSV). The body is first whole in its temporary file (see
 * `upload-body.ts`: size, idle time), then split here into one temporary file per part, so
 * that the ingest reads both at once as `gatewatch ingest --dstat` does. The metadata stay in
 * the query string, as for a plain upload: the form holds files only.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { SECTIONS } from '../config/settings.js';
import { ApiError, ErrorCode } from '../graphql/errors.js';
import { BODY_FILE_PREFIX, type ReceivedBody } from './upload-body.js';

/** The parts a form may hold. */
const PARTS = ['stream', 'dstat'] as const;
type PartName = (typeof PARTS)[number];

/** Header lines a part may have (Content-Disposition, Content-Type, a few more). */
const MAX_PART_HEADERS = 16;

/** Whether the request carries a form rather than the bare stream. */
export function isForm(headers: IncomingHttpHeaders): boolean {
  return /^multipart\/form-data\s*;/i.test(headers['content-type'] ?? '');
}

/** A part received into its own file. */
export interface FormPart {
  /** The file name the client gave, without its folders; null when none. */
  readonly filename: string | null;
  read(): AsyncIterable<Uint8Array>;
}

/** The parts of a form; {@link remove} deletes their files. */
export interface UploadForm {
  readonly stream: FormPart;
  readonly dstat: FormPart | null;
  remove(): Promise<void>;
}

/** How large a part may be: the stream is bounded by the whole body's limit already. */
export interface FormLimits {
  readonly maxDstatBytes: number;
  /** The directory of the temporary files; null: the system's. */
  readonly dir: string | null;
}

/**
 * Splits the whole `body` (of the request with `headers`) into its parts' files. Rejects,
 * leaving no file, with BAD_USER_INPUT (400) for a form without a `stream` part, with two
 * parts of one name, with a part of another name (a field included) or that is not a form,
 * and with PAYLOAD_TOO_LARGE (413) for a `dstat` part over `maxDstatBytes`.
 */
export async function splitForm(
  body: ReceivedBody,
  headers: IncomingHttpHeaders,
  limits: FormLimits,
): Promise<UploadForm> {
  const dir = limits.dir ?? tmpdir();
  const paths: string[] = [];
  const written: Promise<void>[] = [];
  const parts = new Map<PartName, FormPart>();
  let failure: unknown = null;
  let writeError: unknown = null;
  let form: busboy.Busboy;
  try {
    form = busboy({
      headers: { 'content-type': headers['content-type'] },
      // One more file than the form may hold, so that the extra one is refused by its name.
      limits: {
        files: PARTS.length + 1,
        fields: 1,
        parts: PARTS.length + 2,
        headerPairs: MAX_PART_HEADERS,
      },
    });
  } catch (error) {
    throw refused(`the multipart body cannot be read: ${(error as Error).message}`);
  }
  const fail = (error: unknown) => {
    failure ??= error;
    form.destroy(error as Error);
  };
  form.on('file', (name, stream, info) => {
    const part = PARTS.find((p) => p === name);
    if (failure !== null || part === undefined || parts.has(part)) {
      // Drained unread; destroyed with the form's failure, which is answered, not thrown.
      stream.on('error', () => {}).resume();
      if (part === undefined) fail(unknownPart(name));
      else if (parts.has(part)) fail(refused(`the form has two "${part}" parts: give one`));
      return;
    }
    const path = join(dir, `${BODY_FILE_PREFIX}${randomUUID()}`);
    paths.push(path);
    const max = part === 'dstat' ? limits.maxDstatBytes : Infinity;
    written.push(
      pipeline(
        stream,
        sizeLimited(part, max),
        createWriteStream(path, { flags: 'wx', mode: 0o600 }),
      ).catch((error: unknown) => {
        // A part cut short is the form's fault, said below; a disk's failure is the server's.
        if (error instanceof ApiError) fail(error);
        else writeError ??= error;
      }),
    );
    parts.set(part, {
      filename: baseName(info.filename),
      read: () => createReadStream(path, { highWaterMark: 1 << 20 }),
    });
  });
  form.on('field', (name) => fail(unknownPart(name)));
  for (const limit of ['filesLimit', 'fieldsLimit', 'partsLimit'] as const) {
    form.on(limit, () => fail(refused('the form has more parts than "stream" and "dstat"')));
  }
  const remove = () => Promise.all(paths.map((path) => rm(path, { force: true }))).then(() => {});
  try {
    await pipeline(Readable.from(body.read()), form).catch((error: unknown) => {
      throw failure ?? refused(`the multipart body is malformed: ${(error as Error).message}`);
    });
    await Promise.all(written);
    if (failure !== null) throw failure;
    if (writeError !== null) throw writeError;
    const stream = parts.get('stream');
    if (stream === undefined) {
      throw refused(
        'the form has no "stream" part: the subunit stream goes in a part named "stream"',
      );
    }
    return { stream, dstat: parts.get('dstat') ?? null, remove };
  } catch (error) {
    await Promise.allSettled(written);
    await remove();
    throw error;
  }
}

function sizeLimited(part: PartName, max: number) {
  return async function* (source: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
    let size = 0;
    for await (const chunk of source) {
      size += chunk.length;
      if (size > max) {
        throw new ApiError(
          ErrorCode.PAYLOAD_TOO_LARGE,
          `the "${part}" part is larger than this server accepts (${max} bytes; ${SECTIONS.server.maxUploadDstatBytes.env}); nothing was stored`,
        );
      }
      yield chunk;
    }
  };
}

function baseName(filename: string | undefined): string | null {
  const name = (filename ?? '').split(/[\\/]/).pop()!.slice(0, 255);
  return name === '' ? null : name;
}

function unknownPart(name: string): ApiError {
  return refused(
    `the form has a part "${name.slice(0, 100)}": only "stream" and "dstat" are taken (metadata go in the query string)`,
  );
}

function refused(message: string): ApiError {
  return new ApiError(ErrorCode.BAD_USER_INPUT, message);
}
