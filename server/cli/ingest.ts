import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { loadConfig, loadUploadTarget, type Config, type UploadTarget } from '../config/config.js';
import { GatewatchError } from '../errors.js';
import { checkMetadata, messageOf, type IngestSummary } from '../ingest/ingest.js';
import type { IngestService } from '../ingest/ingest.service.js';
import { summaryJson } from '../ingest/summary.js';
import { openRuntime } from '../runtime.js';
import { listOption, switchOption, textOption, type CliIo, type Invocation } from '../command.js';
import { createProgress, type Progress } from './progress.js';

/** `gatewatch ingest FILE…`: stores each stream as a run, locally or through a server. */
export async function ingest(invocation: Invocation): Promise<number> {
  const { args, io } = invocation;
  const values = {
    db: textOption(invocation, 'db'),
    server: textOption(invocation, 'server'),
    token: textOption(invocation, 'token'),
    dstat: textOption(invocation, 'dstat'),
    artifacts: textOption(invocation, 'artifacts'),
  };
  if (values.dstat !== undefined && args.length > 1) {
    throw new GatewatchError('BAD_ARGUMENT', '--dstat belongs to one run: give a single input');
  }
  if (args.filter((p) => p === '-').length > 1) {
    throw new GatewatchError('BAD_ARGUMENT', 'stdin (-) can be read only once');
  }
  const metadata = checkMetadata(parseMeta(listOption(invocation, 'meta')));
  if (values.server !== undefined) checkUploadArgs(values, metadata);
  else if (values.token !== undefined) {
    throw new GatewatchError('BAD_ARGUMENT', '--token goes with --server (uploads)');
  }
  const artifactsUrl = values.artifacts === undefined ? undefined : checkUrl(values.artifacts);
  if (values.dstat !== undefined) await inputSize(values.dstat);
  const options: IngestOptions = {
    metadata,
    artifactsUrl,
    dstat: values.dstat,
    json: switchOption(invocation, 'json'),
    io,
  };
  const destination =
    values.server === undefined
      ? { config: loadConfig(invocation.options, io.env) }
      : { target: loadUploadTarget({ server: values.server, token: values.token }, io.env) };
  // An unreadable input is reported and skipped; the others are still stored.
  const inputs: Input[] = [];
  for (const name of args) {
    try {
      inputs.push({ name, size: await inputSize(name) });
    } catch (error) {
      io.stderr.write(`gatewatch ingest: ${messageOf(error)}\n`);
    }
  }
  if (inputs.length === 0) return 1;
  return destination.target !== undefined
    ? uploadAll(destination.target, inputs, options)
    : ingestLocally(destination.config, inputs, options);
}

interface Input {
  name: string;
  size: number;
}

interface IngestOptions {
  metadata: Record<string, string>;
  artifactsUrl?: string;
  dstat?: string;
  json: boolean;
  io: CliIo;
}

async function ingestLocally(
  config: Config,
  inputs: Input[],
  options: IngestOptions,
): Promise<number> {
  const runtime = await openRuntime(config);
  const { ingest, pool } = runtime.services;
  const progress = createProgress(
    options.io.stderr,
    inputs.reduce((total, input) => total + input.size, 0),
    inputs.length,
  );
  let stored = 0;
  try {
    const queue = inputs.map((input) => input.name);
    const next = async (): Promise<void> => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        const outcome = await ingestOne(ingest, progress, name, options);
        progress.fileDone();
        if (outcome === null) continue;
        stored++;
        report(name, outcome, options, progress);
      }
    };
    // As many inputs in flight as the pool has threads: parsing overlaps storing.
    await Promise.all(Array.from({ length: Math.min(pool.threads, queue.length) }, next));
  } finally {
    progress.stop();
    await runtime.stop();
  }
  return stored > 0 ? 0 : 1;
}

function checkUploadArgs(
  values: { db?: string; dstat?: string },
  metadata: Record<string, string>,
): void {
  if (values.db !== undefined) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      '--db and --server exclude each other: store into a database, or upload to a server',
    );
  }
  if (values.dstat !== undefined) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      '--dstat cannot be uploaded with --server: ingest with --db where the database is reachable',
    );
  }
  // The upload's query string carries the metadata, and `artifacts` there is the URL.
  if ('artifacts' in metadata) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      '--meta artifacts=… cannot be uploaded: the server reads "artifacts" as --artifacts',
    );
  }
}

/** Why an upload failed; `fatal` when the next inputs would fail the same way. */
class UploadError extends Error {
  constructor(
    message: string,
    readonly fatal: boolean,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/** Uploads one input after the other: the server's database takes them in turn anyway. */
async function uploadAll(
  target: UploadTarget,
  inputs: Input[],
  options: IngestOptions,
): Promise<number> {
  const progress = createProgress(
    options.io.stderr,
    inputs.reduce((total, input) => total + input.size, 0),
    inputs.length,
  );
  let stored = 0;
  try {
    for (const input of inputs) {
      let summary: IngestSummary;
      try {
        summary = await uploadOne(target, input, progress, options);
      } catch (error) {
        progress.clear();
        options.io.stderr.write(`gatewatch ingest: ${input.name}: ${messageOf(error)}\n`);
        if (error instanceof UploadError && error.fatal) return 1;
        continue;
      } finally {
        progress.fileDone();
      }
      stored++;
      report(input.name, summary, options, progress);
    }
  } finally {
    progress.stop();
  }
  return stored > 0 ? 0 : 1;
}

/** Streams one input to `POST /api/runs`; resolves to the server's summary. */
async function uploadOne(
  target: UploadTarget,
  input: Input,
  progress: Progress,
  options: IngestOptions,
): Promise<IngestSummary> {
  const url = new URL(`${target.url}/api/runs`);
  for (const [key, value] of Object.entries(options.metadata)) url.searchParams.set(key, value);
  if (options.artifactsUrl !== undefined) url.searchParams.set('artifacts', options.artifactsUrl);
  const headers: Record<string, string> = {
    authorization: `Bearer ${target.token}`,
    'content-type': 'application/vnd.subunit',
  };
  if (input.name !== '-') {
    // The size up front lets the server refuse an input over its limit before it is sent.
    headers['content-length'] = String(input.size);
    // A header value is ASCII: other characters of the name only need to stay recognisable.
    const filename = basename(input.name).replace(/[^\x20-\x7e]|["\\]/g, '_');
    headers['content-disposition'] = `attachment; filename="${filename}"`;
  }
  let unreadable: unknown = null;
  async function* body(): AsyncIterable<Uint8Array> {
    try {
      yield* counted(openInput(input.name, options.io), progress);
    } catch (error) {
      unreadable = error;
      throw error;
    }
  }
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body: body(), duplex: 'half' });
  } catch (error) {
    if (unreadable !== null) {
      throw new GatewatchError('INPUT_UNREADABLE', `cannot read it: ${messageOf(unreadable)}`);
    }
    const cause = (error as { cause?: { message?: string; code?: string } }).cause;
    const why = cause?.message || cause?.code || messageOf(error);
    throw new UploadError(`cannot reach the gatewatch server at ${target.url}: ${why}`, true);
  }
  const text = await response.text();
  if (response.ok) return { ...(JSON.parse(text) as IngestSummary), warnings: [] };
  let answer = text.trim().slice(0, 500);
  try {
    const { error } = JSON.parse(text) as { error: { code: string; message: string } };
    answer = `${error.code}: ${error.message}`;
  } catch {
    // Not gatewatch's JSON (a proxy's page?): shown as it came.
  }
  throw new UploadError(
    `the server at ${target.url} answered ${response.status}: ${answer}`,
    // A refused token or a wrong URL fails every input alike.
    response.status === 401 || response.status === 403 || response.status === 404,
  );
}

async function ingestOne(
  ingest: IngestService,
  progress: Progress,
  name: string,
  options: IngestOptions,
): Promise<IngestSummary | null> {
  try {
    return await ingest.ingest({
      name,
      source: counted(openInput(name, options.io), progress),
      metadata: options.metadata,
      artifactsUrl: options.artifactsUrl,
      dstat:
        options.dstat === undefined
          ? undefined
          : { name: options.dstat, source: openInput(options.dstat, options.io) },
    });
  } catch (error) {
    progress.clear();
    options.io.stderr.write(`gatewatch ingest: ${name}: ${messageOf(error)}\n`);
    return null;
  }
}

function report(
  name: string,
  s: IngestSummary,
  { json, io }: IngestOptions,
  progress: Progress,
): void {
  progress.clear();
  for (const warning of s.warnings) io.stderr.write(`gatewatch ingest: ${name}: ${warning}\n`);
  if (json) {
    io.stdout.write(`${JSON.stringify(summaryJson(s))}\n`);
    return;
  }
  const parts = [
    `${s.passes} passed`,
    `${s.failures} failed`,
    `${s.skips} skipped`,
    s.xfails ? `${s.xfails} xfail` : '',
    s.uxsuccesses ? `${s.uxsuccesses} uxsuccess` : '',
    s.incomplete ? `${s.incomplete} incomplete` : '',
    s.parseErrors ? `${s.parseErrors} parse errors` : '',
  ].filter(Boolean);
  const what = s.duplicate ? 'already stored as run' : 'run';
  io.stdout.write(
    `${name}: ${what} ${s.run}: ${s.tests} ${s.tests === 1 ? 'test' : 'tests'} (${parts.join(', ')})\n`,
  );
}

function openInput(name: string, io: CliIo): AsyncIterable<Uint8Array> {
  return name === '-' ? io.stdin : createReadStream(name, { highWaterMark: 1 << 20 });
}

async function* counted(
  source: AsyncIterable<Uint8Array>,
  progress: Progress,
): AsyncIterable<Uint8Array> {
  for await (const chunk of source) {
    progress.advance(chunk.length);
    yield chunk;
  }
}

/** The size of a readable input (0 for stdin); a missing or unreadable file is named. */
async function inputSize(name: string): Promise<number> {
  if (name === '-') return 0;
  try {
    const info = await stat(name);
    if (!info.isFile()) throw new Error('not a regular file');
    return info.size;
  } catch (error) {
    throw new GatewatchError('INPUT_UNREADABLE', `cannot read ${name}: ${messageOf(error)}`);
  }
}

function parseMeta(pairs: string[]): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new GatewatchError('BAD_ARGUMENT', `--meta "${pair}": expected key=value`);
    }
    metadata[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return metadata;
}

function checkUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  throw new GatewatchError('BAD_ARGUMENT', `--artifacts "${url}": expected an http(s) URL`);
}
