/**
 * `POST /api/runs?KEY=VALUE…[&artifacts=URL]`: CI jobs upload a subunit stream (v1/v2, gzip or
 * not) as a run; needs `Authorization: Bearer TOKEN`. Every query parameter but `artifacts` is
 * run metadata. An optional `Content-Disposition: …; filename="NAME"` names the stored file.
 * Answers 201 with the ingest summary, 200 when the run was already stored. The body is the
 * stream, or a `multipart/form-data` form with parts `stream` and optionally `dstat` (see
 * `upload-form.ts`), the metadata in the query string alike. The body is received whole
 * (into a temporary file) before the ingest starts. Errors go to the app's error handler,
 * which answers `{ error: { code, message } }`.
 */
import { Router, type Request, type Response } from 'express';
import type { Config } from '../config/config.js';
import type { Database } from '../db/orm.js';
import { ApiError, ErrorCode } from '../graphql/errors.js';
import { searchParams } from '../runs/run.routes.js';
import { authenticate } from '../tokens/token.auth.js';
import { checkMetadata, type IngestSummary } from './ingest.js';
import type { IngestService } from './ingest.service.js';
import { ParseFailure } from './pool.js';
import { summaryJson } from './summary.js';
import { receiveBody, tooLarge, type BodyLimits, type ReceivedBody } from './upload-body.js';
import { isForm, splitForm, type UploadForm } from './upload-form.js';

/** What the upload needs. */
export interface UploadDeps {
  readonly config: Config;
  readonly db: Database;
  readonly ingest: IngestService;
}

/** Longest artifacts URL a run can hold (runs.artifacts_url). */
const ARTIFACTS_URL_MAX = 2048;

export function uploadRoutes(deps: UploadDeps): Router {
  const router = Router();
  router.post('/api/runs', (req, res) => upload(deps, req, res));
  return router;
}

async function upload(deps: UploadDeps, req: Request, res: Response): Promise<void> {
  const { server } = deps.config;
  const limits: BodyLimits = {
    maxBytes: server.maxUploadBytes,
    idleTimeoutMs: server.uploadIdleTimeout,
    dir: server.uploadDir,
  };
  let name = uploadName(req);
  let body: ReceivedBody | undefined;
  let form: UploadForm | undefined;
  let summary: IngestSummary;
  try {
    await authenticate(deps.db, req.headers.authorization);
    if (Number(req.headers['content-length'] ?? 0) > limits.maxBytes) {
      throw tooLarge(limits.maxBytes);
    }
    const { metadata, artifactsUrl } = uploadParams(req);
    // Whole before the ingest: its transaction then never waits on the client's network.
    body = await receiveBody(req, limits);
    if (isForm(req.headers)) {
      form = await splitForm(body, req.headers, {
        maxDstatBytes: server.maxUploadDstatBytes,
        dir: server.uploadDir,
      });
      name = form.stream.filename ?? name;
    }
    const dstat = form?.dstat ?? null;
    summary = await deps.ingest.ingest({
      name,
      source: form === undefined ? body.read() : form.stream.read(),
      metadata,
      artifactsUrl,
      dstat:
        dstat === null ? undefined : { name: dstat.filename ?? 'dstat.csv', source: dstat.read() },
    });
  } catch (error) {
    // What is left of the body is not worth reading: close the connection after the answer.
    if (!req.complete) res.set('Connection', 'close');
    throw error instanceof ParseFailure ? error.of(name) : error;
  } finally {
    await form?.remove();
    await body?.remove();
  }
  res.status(summary.duplicate ? 200 : 201).json(summaryJson(summary));
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
