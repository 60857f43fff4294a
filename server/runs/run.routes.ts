/**
 * The plain HTTP side of runs: users download a run as subunit and the original files as they
 * were stored (uploads are the ingest domain's). Errors go to the app's error handler, which
 * answers `{ error: { code, message } }`.
 */
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createGunzip } from 'node:zlib';
import { Router, type Request, type Response } from 'express';
import type { Database } from '../db/orm.js';
import { ApiError, ErrorCode, logInternal } from '../graphql/errors.js';
import { exportRun } from './run-export.js';
import { findRun } from './run.service.js';

/** What the run endpoints need. */
export interface RunRoutesDeps {
  readonly db: Database;
}

/** The subunit media type, as stored artifacts carry it. */
const SUBUNIT = 'application/vnd.subunit';
/**
 * - `GET /api/runs/:id/subunit[?average=1]`: the run as a subunit v2 stream.
 * - `GET /blob/:id`: an artifact (`Artifact.url`) as stored, gzip-encoded when the client
 *   accepts gzip, else decompressed.
 */
export function runRoutes(deps: RunRoutesDeps): Router {
  const router = Router();
  router.get('/api/runs/:id/subunit', (req, res) => download(deps, req, res));
  router.get('/blob/:id', (req, res) => blob(deps, req, res));
  return router;
}

async function download(deps: RunRoutesDeps, req: Request, res: Response): Promise<void> {
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

async function blob(deps: RunRoutesDeps, req: Request, res: Response): Promise<void> {
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
async function* artifactChunks(deps: RunRoutesDeps, artifactId: number): AsyncIterable<Uint8Array> {
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

/** The request's query parameters, repeated ones included (Express keeps only a parsed object). */
export function searchParams(req: Request): URLSearchParams {
  return new URL(req.originalUrl, 'http://gatewatch').searchParams;
}
