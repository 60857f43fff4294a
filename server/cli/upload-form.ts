/**
 * The `multipart/form-data` body `gatewatch ingest --server URL --dstat FILE` sends: a part
 * `stream` and a part `dstat`, each read as it is sent; its length is known when both sizes are.
 */
import { randomBytes } from 'node:crypto';

/** One file of the form. */
export interface FormFile {
  /** The part's name (`stream`, `dstat`). */
  readonly part: string;
  /** The file name sent, ASCII. */
  readonly filename: string;
  readonly size: number | null;
  open(): AsyncIterable<Uint8Array>;
}

/** The form's body, its `Content-Type` (with the boundary) and its length when known. */
export interface FormBody {
  readonly contentType: string;
  readonly length: number | null;
  body(): AsyncIterable<Uint8Array>;
}

export function formBody(files: readonly FormFile[]): FormBody {
  // Random: no file's bytes can hold it by chance (nor on purpose: nobody can guess it).
  const boundary = `gatewatch-${randomBytes(16).toString('hex')}`;
  const heads = files.map((file, i) =>
    Buffer.from(
      `${i === 0 ? '' : '\r\n'}--${boundary}\r\n` +
        `Content-Disposition: form-data; name="${file.part}"; filename="${file.filename}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const sizes = files.map((file) => file.size);
  const length = sizes.includes(null)
    ? null
    : heads.reduce((sum, head) => sum + head.length, tail.length) +
      sizes.reduce<number>((sum, size) => sum + size!, 0);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length,
    async *body() {
      for (const [i, file] of files.entries()) {
        yield heads[i]!;
        yield* file.open();
      }
      yield tail;
    },
  };
}

/** A file name as a header carries it: ASCII, without quotes or backslashes. */
export function headerFilename(name: string): string {
  return name.replace(/[^\x20-\x7e]|["\\]/g, '_');
}
