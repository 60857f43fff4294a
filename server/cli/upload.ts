/** `gatewatch ingest --server URL`: each input posted to the server's `POST /api/runs`. */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { basename } from 'node:path';
import type { UploadTarget } from '../config/config.js';
import { GatewatchError, type AnyErrorCode } from '../errors.js';
import { messageOf, type IngestSummary } from '../ingest/ingest.js';
import type { CliIo } from '../command.js';
import { counted, openInput, type Input } from './ingest-inputs.js';
import type { IngestReport } from './ingest-report.js';
import type { Progress } from './progress.js';
import { formBody, headerFilename } from './upload-form.js';

/** What an upload sends besides the stream. */
export interface UploadOptions {
  metadata: Record<string, string>;
  artifactsUrl?: string;
  /** The run's dstat CSV (a single input): the upload is then a form with both. */
  dstat?: Input;
  io: CliIo;
}

/**
 * Why an upload failed, with the code the server answered (or the client's own); `fatal` when
 * the next inputs would fail the same way (no server there, a refused token).
 */
export class UploadError extends Error {
  constructor(
    readonly code: AnyErrorCode,
    message: string,
    readonly fatal: boolean,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/**
 * Uploads one input after the other (the server's database takes them in turn anyway). An
 * input the server refuses (too large, not subunit) is reported and the rest go on; when the
 * server cannot be reached or refuses the token, the inputs not yet sent are reported unsent.
 */
export async function uploadAll(
  target: UploadTarget,
  inputs: readonly Input[],
  options: UploadOptions,
  report: IngestReport,
  progress: Progress,
): Promise<void> {
  for (const [i, input] of inputs.entries()) {
    try {
      const summary = await uploadOne(target, input, progress, options);
      // The server parses as it receives: its count arrives with its answer.
      progress.parsed(summary.tests);
      report.stored(input.name, summary);
    } catch (error) {
      report.failed(input.name, error);
      if (error instanceof UploadError && error.fatal) {
        for (const unsent of inputs.slice(i + 1)) {
          report.failed(
            unsent.name,
            new UploadError(error.code, `not sent: ${error.message}`, true),
          );
        }
        return;
      }
    } finally {
      progress.fileDone();
    }
  }
}

/** Streams one input to `POST /api/runs`; resolves to the server's summary. */
async function uploadOne(
  target: UploadTarget,
  input: Input,
  progress: Progress,
  options: UploadOptions,
): Promise<IngestSummary> {
  const url = new URL(`${target.url}/api/runs`);
  for (const [key, value] of Object.entries(options.metadata)) url.searchParams.set(key, value);
  if (options.artifactsUrl !== undefined) url.searchParams.set('artifacts', options.artifactsUrl);
  const headers: Record<string, string> = {
    authorization: `Bearer ${target.token}`,
    'content-type': 'application/vnd.subunit',
    // The server answers a refusal (too large, bad token) before any of the body is sent.
    expect: '100-continue',
  };
  // Opened on the first read: a refused upload never opens its file (or waits on its pipe).
  const stream = () => counted(openInput(input.name, options.io), progress);
  // A header value is ASCII: other characters of the name only need to stay recognisable.
  const filename = headerFilename(input.name === '-' ? 'stdin.subunit' : basename(input.name));
  let body: () => AsyncIterable<Uint8Array> = stream;
  let length = input.size;
  if (options.dstat !== undefined) {
    const { dstat } = options;
    const form = formBody([
      { part: 'stream', filename, size: input.size, open: stream },
      {
        part: 'dstat',
        filename: headerFilename(dstat.name === '-' ? 'stdin.csv' : basename(dstat.name)),
        size: dstat.size,
        open: () => openInput(dstat.name, options.io),
      },
    ]);
    headers['content-type'] = form.contentType;
    body = form.body;
    length = form.length;
  } else if (input.name !== '-') {
    headers['content-disposition'] = `attachment; filename="${filename}"`;
  }
  if (length !== null) headers['content-length'] = String(length);
  const { status, text } = await post(url, headers, body(), target.url);
  if (status >= 200 && status < 300) {
    return { ...(JSON.parse(text) as IngestSummary), warnings: [] };
  }
  let code: AnyErrorCode = 'INTERNAL_SERVER_ERROR';
  let answer = text.trim().slice(0, 500);
  try {
    const { error } = JSON.parse(text) as { error: { code: AnyErrorCode; message: string } };
    code = error.code;
    answer = `${error.code}: ${error.message}`;
  } catch {
    // Not gatewatch's JSON (a proxy's page?): shown as it came.
  }
  throw new UploadError(
    code,
    `the server at ${target.url} answered ${status}: ${answer}`,
    // A refused token or a wrong URL fails every input alike.
    status === 401 || status === 403 || status === 404,
  );
}

/** Most of an answer kept: gatewatch's are small JSON; a proxy's page is cut. */
const MAX_ANSWER = 64 << 10;
/** How long to wait for `100 Continue` before sending anyway (a server that never sends it). */
const CONTINUE_WAIT_MS = 1000;

/**
 * POSTs `body` and resolves to the answer, which counts even when it comes before the body
 * is sent whole: the rest is then not sent (the server has decided).
 */
function post(
  url: URL,
  headers: Record<string, string>,
  body: AsyncIterable<Uint8Array>,
  server: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, { method: 'POST', headers });
    let answered = false;
    let sending = false;
    let unreadable = false;
    request.on('response', (response) => {
      answered = true;
      void readAnswer(response).then((text) => {
        request.destroy();
        resolve({ status: response.statusCode ?? 0, text });
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (answered || unreadable) return;
      const why = error.message || error.code || 'connection failed';
      reject(
        sending
          ? // Cut mid-body: a server over its size limit on a stream of unknown size does
            // this; the next input tells whether the server is still there.
            new UploadError(
              'SERVER_UNREACHABLE',
              `the server at ${server} closed the connection during the upload (${why}); ` +
                'is the input larger than it accepts?',
              false,
            )
          : new UploadError(
              'SERVER_UNREACHABLE',
              `cannot reach the gatewatch server at ${server}: ${why}`,
              true,
            ),
      );
    });
    const fallback = setTimeout(() => start(), CONTINUE_WAIT_MS);
    fallback.unref();
    const start = () => {
      if (sending || answered) return;
      sending = true;
      clearTimeout(fallback);
      sendBody(request, body, () => answered).catch((error: unknown) => {
        unreadable = true;
        request.destroy();
        reject(new GatewatchError('INPUT_UNREADABLE', `cannot read it: ${messageOf(error)}`));
      });
    };
    request.on('continue', start);
    request.flushHeaders();
  });
}

/** Writes `body` with back-pressure, stopping as soon as the server has answered. */
async function sendBody(
  request: ClientRequest,
  body: AsyncIterable<Uint8Array>,
  answered: () => boolean,
): Promise<void> {
  for await (const chunk of body) {
    if (answered() || request.destroyed) return;
    if (!request.write(chunk)) await writable(request);
  }
  if (!answered() && !request.destroyed) request.end();
}

/** Resolves once `request` drains or is closed. */
function writable(request: ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      request.off('drain', done);
      request.off('close', done);
      resolve();
    };
    request.on('drain', done);
    request.on('close', done);
  });
}

/** The answer's body; what arrived when the connection is cut after the status line. */
async function readAnswer(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      if (size < MAX_ANSWER) chunks.push(chunk);
      size += chunk.length;
    }
  } catch {
    // The status is the answer; its text is what came of it.
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER);
}
