/**
 * The plain HTTP side of runs: CI jobs upload subunit streams, users download a run as subunit
 * and the original files as they were stored. Errors go to the app's error handler, which
 * answers `{ error: { code, message } }`.
 */
import type { IncomingMessage } from 'node:http';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createGunzip } from 'node:zlib';
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../app.js';
import { authenticate } from '../graphql/context.js';
import { ApiError, ErrorCode, logInternal } from '../graphql/errors.js';
import { checkMetadata, ingestRun, type IngestSummary } from '../ingest/ingest.js';
import { ParseFailure } from '../ingest/pool.js';
import { exportRun } from './run-export.js';
import { findRun, metadataByRunId, runOf, type RunRow } from './run.service.js';

/** The subunit media type, as stored artifacts carry it. */
const SUBUNIT = 'application/vnd.subunit';
/** Longest artifacts URL a run can hold (runs.artifacts_url). */
const ARTIFACTS_URL_MAX = 2048;

/**
 * - `POST /api/runs?KEY=VALUE…[&artifacts=URL]`: stores the body (a subunit v1/v2 stream,
 *   gzip or not) as a run; needs `Authorization: Bearer TOKEN`. Every query parameter but
 *   `artifacts` is run metadata. An optional `Content-Disposition: …; filename="NAME"` names
 *   the stored file. Answers 201 with the ingest summary, 200 when the run was already stored.
 *   A dstat file cannot be uploaded: `gatewatch ingest --dstat` attaches one locally.
 * - `GET /api/runs/:id/subunit[?average=1]`: the run as a subunit v2 stream.
 * - `GET /blob/:id`: an artifact (`Artifact.url`) as stored, gzip-encoded when the client
 *   accepts gzip, else decompressed.
 */
export function runRoutes(deps: AppDeps): Router {
  const router = Router();
  router.post('/api/runs', (req, res) => upload(deps, req, res));
  router.get('/api/runs/:id/subunit', (req, res) => download(deps, req, res));
  router.get('/blob/:id', (req, res) => blob(deps, req, res));
  return router;
}

async function upload(deps: AppDeps, req: Request, res: Response): Promise<void> {
  const max = deps.config.server.maxUploadBytes;
  const name = uploadName(req);
  let summary: IngestSummary;
  try {
    await authenticate(deps.db, req.headers.authorization);
    if (Number(req.headers['content-length'] ?? 0) > max) throw tooLarge(max);
    const { metadata, artifactsUrl } = uploadParams(req);
    summary = await ingestRun(deps.db, deps.pool, {
      name,
      source: limited(req, max),
      metadata,
      artifactsUrl,
    });
  } catch (error) {
    // What is left of the body is not worth reading: close the connection after the answer.
    if (!req.complete) res.set('Connection', 'close');
    throw error instanceof ParseFailure ? error.of(name) : error;
  }
  if (!summary.duplicate) await publishIngested(deps, summary.run);
  res.status(summary.duplicate ? 200 : 201).json(summaryJson(summary));
}

/** The request body, failing with PAYLOAD_TOO_LARGE past `max` bytes: the ingest rolls back. */
async function* limited(req: IncomingMessage, max: number): AsyncIterable<Uint8Array> {
  let received = 0;
  // Not destroyed when the ingest stops early: the error still has to be answered.
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > max) throw tooLarge(max);
    yield chunk;
  }
}

function tooLarge(max: number): ApiError {
  return new ApiError(
    ErrorCode.PAYLOAD_TOO_LARGE,
    `the upload is larger than this server accepts (${max} bytes; GATEWATCH_MAX_UPLOAD)`,
  );
}

function uploadParams(req: Request): { metadata: Record<string, string>; artifactsUrl?: string } {
  const params = searchParams(req);
  const metadata = new Map<string, string>();
  for (const [key, value] of params) {
    if (params.getAll(key).length > 1) {
      throw new ApiError(ErrorCode.BAD_USER_INPUT, `query parameter "${key}" is given twice`);
    }
    if (key !== 'artifacts') metadata.set(key, value);
  }
  const artifacts = params.get('artifacts');
  return {
    // fromEntries: a key such as `__proto__` stays a key.
    metadata: checkMetadata(Object.fromEntries(metadata)),
    artifactsUrl: artifacts === null ? undefined : checkArtifactsUrl(artifacts),
  };
}

function checkArtifactsUrl(url: string): string {
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    // reported below
  }
  if ((protocol === 'http:' || protocol === 'https:') && url.length <= ARTIFACTS_URL_MAX) {
    return url;
  }
  throw new ApiError(
    ErrorCode.BAD_USER_INPUT,
    `artifacts "${url.slice(0, 100)}": expected an http(s) URL of at most ${ARTIFACTS_URL_MAX} characters`,
  );
}

/** The file name the client gave (`Content-Disposition`), else `upload`. */
function uploadName(req: Request): string {
  const disposition = req.headers['content-disposition'] ?? '';
  const match = /filename\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(disposition);
  const name = (match?.[1] ?? match?.[2] ?? '').split(/[\\/]/).pop()!.slice(0, 255);
  return name === '' ? 'upload' : name;
}

/** The summary as `gatewatch ingest --json` prints it. */
function summaryJson(s: IngestSummary) {
  return {
    run: s.run,
    tests: s.tests,
    passes: s.passes,
    failures: s.failures,
    skips: s.skips,
    xfails: s.xfails,
    uxsuccesses: s.uxsuccesses,
    incomplete: s.incomplete,
    parseErrors: s.parseErrors,
    duplicate: s.duplicate,
  };
}

/** Tells `runIngested` subscribers about a stored run. */
async function publishIngested(deps: AppDeps, uuid: string): Promise<void> {
  try {
    const row: RunRow | undefined = await deps.db.knex('runs').where('uuid', uuid).first();
    // Deleted in the meantime: nothing to tell.
    if (!row) return;
    const metadata = (await metadataByRunId(deps.db.knex, [row.id])).get(row.id) ?? [];
    deps.events.publishRunIngested({ run: runOf(row), metadata });
  } catch (error) {
    // The run is stored: an error answer would have the client upload it again for nothing.
    logInternal(error);
  }
}

async function download(deps: AppDeps, req: Request, res: Response): Promise<void> {
  const average = searchParams(req).get('average');
  if (average !== null && !['0', '1', 'true', 'false'].includes(average)) {
    throw new ApiError(ErrorCode.BAD_USER_INPUT, `average "${average}": expected 1 or 0`);
  }
  const em = deps.db.em();
  const run = await findRun(em, String(req.params.id));
  const packets = exportRun(em, run, { average: average === '1' || average === 'true' });
  await send(res, batched(packets), {
    'Content-Type': SUBUNIT,
    'Content-Disposition': `attachment; filename="${run.uuid}.subunit"`,
  });
}

/** Packets are small: one write per packet would mean one chunk (and syscall) per packet. */
async function* batched(packets: AsyncIterable<Buffer>): AsyncIterable<Uint8Array> {
  const BATCH = 64 * 1024;
  let pending: Buffer[] = [];
  let bytes = 0;
  for await (const packet of packets) {
    pending.push(packet);
    bytes += packet.length;
    if (bytes >= BATCH) {
      yield Buffer.concat(pending, bytes);
      pending = [];
      bytes = 0;
    }
  }
  if (bytes > 0) yield Buffer.concat(pending, bytes);
}

interface ArtifactRow {
  id: number;
  name: string;
  content_type: string;
  size: number | string;
  stored_size: number | string;
  sha256: string;
}

async function blob(deps: AppDeps, req: Request, res: Response): Promise<void> {
  const id = String(req.params.id);
  const artifact: ArtifactRow | undefined = /^\d{1,15}$/.test(id)
    ? await deps.db.knex('artifacts').where('id', Number(id)).first()
    : undefined;
  if (!artifact) throw new ApiError(ErrorCode.NOT_FOUND, `no artifact with id ${id}`);
  const gzip = req.acceptsEncodings('gzip') === 'gzip';
  const etag = `"${artifact.sha256}"`;
  // Named as a download of the content, which is never gzip once the client decoded it.
  const filename = (artifact.name.split(/[\\/]/).pop() ?? '').replace(/\.gz$/, '') || 'artifact';
  const headers = {
    'Content-Type': artifact.content_type,
    'Content-Length': String(gzip ? artifact.stored_size : artifact.size),
    // Header values are ASCII here; the rest of a name only needs to stay recognisable.
    'Content-Disposition': `attachment; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"`,
    ETag: etag,
    Vary: 'Accept-Encoding',
    ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
  };
  if (matches(req.headers['if-none-match'], etag)) {
    res.set({ ETag: etag, Vary: 'Accept-Encoding' }).status(304).end();
    return;
  }
  if (req.method === 'HEAD') {
    res.set(headers).end();
    return;
  }
  // Same settings as the parser's: a truncated stream is served as far as it goes.
  const decode = gzip ? undefined : createGunzip({ finishFlush: constants.Z_SYNC_FLUSH });
  await send(res, artifactChunks(deps, artifact.id), headers, decode);
}

/** Whether an `If-None-Match` value names this ETag (the content is the same). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  return (ifNoneMatch ?? '')
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

/** The stored gzip bytes of an artifact, one chunk row (a few MiB) in memory at a time. */
async function* artifactChunks(deps: AppDeps, artifactId: number): AsyncIterable<Uint8Array> {
  const ids: number[] = await deps.db
    .knex('artifact_chunks')
    .where('artifact_id', artifactId)
    .orderBy('seq')
    .pluck('id');
  for (const id of ids) {
    const row: { data: Uint8Array | ArrayBuffer } | undefined = await deps.db
      .knex('artifact_chunks')
      .select('data')
      .where('id', id)
      .first();
    if (row) yield row.data instanceof Uint8Array ? row.data : new Uint8Array(row.data);
  }
}

/**
 * Streams a body with back-pressure. The first chunk is awaited before the status and
 * `headers` are set, so that a failure up to there still gets a proper error answer; a later
 * one can only cut the response short, and is logged unless the client went away.
 */
async function send(
  res: Response,
  source: AsyncIterable<Uint8Array>,
  headers: Record<string, string>,
  decode?: Transform,
): Promise<void> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  async function* body() {
    try {
      for (let next = first; !next.done; next = await iterator.next()) yield next.value;
    } finally {
      await iterator.return?.();
    }
  }
  res.set(headers);
  const input = Readable.from(body(), { objectMode: false });
  try {
    await (decode ? pipeline(input, decode, res) : pipeline(input, res));
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_STREAM_PREMATURE_CLOSE') logInternal(error);
  }
}

function searchParams(req: Request): URLSearchParams {
  return new URL(req.originalUrl, 'http://gatewatch').searchParams;
}
