/**
 * A job's artifacts fetched from its log directory: crawled (root and `logs/`), then the
 * subunit stream, the dstat CSV and the console log downloaded to a temporary directory within
 * the scrape's limits, every request (redirects included) through the host guard.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { GatewatchError } from '../errors.js';
import { createHttpClient, HttpStatusError, type HttpClient } from '../http/client.js';
import { crawlJob, type ListedEntry } from './crawl.js';
import { createHostGuard } from './guard.js';

/** Limits of one scrape (the `scrape` settings, documented in the README). */
export interface ScrapeLimits {
  /** Largest subunit stream, as served (compressed or not), bytes. */
  readonly maxStreamBytes: number;
  /** Largest dstat CSV or console log, as served, bytes. */
  readonly maxFileBytes: number;
  /** Largest decompressed size of any one file (gzip bombs), bytes. */
  readonly maxExpandedBytes: number;
  /** Autoindex pages read per job. */
  readonly maxPages: number;
  /** One request, connect to last byte, ms. */
  readonly timeoutMs: number;
  /** Longest silence of a server, before its answer or within it, ms. */
  readonly idleTimeoutMs: number;
}

/** The limits the settings give. */
export function scrapeLimits(config: Config): ScrapeLimits {
  const { scrape } = config;
  return {
    maxStreamBytes: scrape.maxStreamBytes,
    maxFileBytes: scrape.maxFileBytes,
    maxExpandedBytes: scrape.maxExpandedBytes,
    maxPages: scrape.maxPages,
    timeoutMs: scrape.timeout,
    idleTimeoutMs: scrape.idleTimeout,
  };
}

/** A file downloaded to a temporary path (decompressed when it was gzip data). */
export interface FetchedFile {
  readonly url: string;
  /** Its name as listed, e.g. `testrepository.subunit.gz`. */
  readonly name: string;
  readonly path: string;
  /** Bytes on disk (decompressed). */
  readonly bytes: number;
}

export interface JobArtifacts {
  /** The log directory, as given. */
  readonly url: string;
  readonly subunit: FetchedFile | null;
  readonly dstat: FetchedFile | null;
  readonly console: FetchedFile | null;
  /** Removes the temporary directory holding the files; the caller calls it once done. */
  remove(): Promise<void>;
}

export interface FetchProgress {
  (stage: 'crawling' | 'downloading', bytesFetched: number): void;
}

export interface FetchJobArtifactsOptions {
  readonly limits: ScrapeLimits;
  /** Listed hosts (`--allow-host`, config): fetched from even at private or loopback addresses. */
  readonly allowHosts: readonly string[];
  /** Hosts of log URLs the collector stored from configured CIs: allowed at public addresses only. */
  readonly seenHosts: readonly string[];
  readonly onProgress?: FetchProgress;
  readonly signal?: AbortSignal;
}

/** The largest autoindex page read, bytes (a listing of thousands of files is some 1 MiB). */
export const MAX_LISTING_BYTES = 4 << 20;

/**
 * Crawls `url` and downloads the job's artifacts. Throws a GatewatchError whose message a user
 * understands: `HOST_REFUSED` (not allowed, a private address, another scheme), `NO_ARTIFACTS`
 * ("no subunit stream or console log under URL"), `UPSTREAM_TOO_LARGE` ("subunit stream larger
 * than 64 MiB: URL"), `UPSTREAM_STATUS`, `UPSTREAM_TIMEOUT`, `UPSTREAM_UNREACHABLE`,
 * `CORRUPT_INPUT` (bad gzip data). Nothing is left on disk when it throws.
 */
export async function fetchJobArtifacts(
  url: string,
  options: FetchJobArtifactsOptions,
): Promise<JobArtifacts> {
  const root = directoryUrl(url);
  const { limits, onProgress, signal } = options;
  const guard = createHostGuard({ allowHosts: options.allowHosts, seenHosts: options.seenHosts });
  // Retries are the task queue's (with its own backoff): one attempt per request here.
  const http = createHttpClient({
    guard,
    retries: 0,
    connectTimeoutMs: limits.idleTimeoutMs,
    idleTimeoutMs: limits.idleTimeoutMs,
    totalTimeoutMs: limits.timeoutMs,
    maxBytes: MAX_LISTING_BYTES,
    ...(signal ? { signal } : {}),
  });
  onProgress?.('crawling', 0);
  const found = await crawlJob(http, root, limits);
  if (found.subunit === null && found.console === null) {
    throw new GatewatchError('NO_ARTIFACTS', `no subunit stream or console log under ${root}`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'gatewatch-scrape-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  let done = 0;
  const fetch = async (
    entry: ListedEntry | null,
    what: string,
    maxBytes: number,
  ): Promise<FetchedFile | null> => {
    if (entry === null) return null;
    // The kind first: two listed names may reduce to the same safe name.
    const path = join(dir, `${what.split(' ')[0]}-${safeName(entry.name)}`);
    const file = await download(http, entry, what, path, {
      maxBytes,
      maxExpandedBytes: limits.maxExpandedBytes,
      onBytes: (received) => onProgress?.('downloading', done + received),
    });
    done += file.received;
    return file.fetched;
  };
  try {
    const subunit = await fetch(found.subunit, 'subunit stream', limits.maxStreamBytes);
    const dstat = await fetch(found.dstat, 'dstat CSV', limits.maxFileBytes);
    const console = await fetch(found.console, 'console log', limits.maxFileBytes);
    return { url, subunit, dstat, console, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/**
 * Whether a failed fetch may succeed later: the server was unreachable, timed out, or
 * answered 429 or 5xx. Refusals, 4xx, caps and missing artifacts are final.
 */
export function isTransient(error: unknown): error is GatewatchError {
  if (!(error instanceof GatewatchError)) return false;
  if (error.code === 'UPSTREAM_UNREACHABLE' || error.code === 'UPSTREAM_TIMEOUT') return true;
  return error instanceof HttpStatusError && (error.status === 429 || error.status >= 500);
}

async function download(
  http: HttpClient,
  entry: ListedEntry,
  what: string,
  path: string,
  caps: { maxBytes: number; maxExpandedBytes: number; onBytes: (received: number) => void },
): Promise<{ fetched: FetchedFile; received: number }> {
  const answer = await http.download(entry.url, { path, what, ...caps });
  return {
    fetched: { url: entry.url, name: entry.name, path, bytes: answer.bytes },
    received: answer.received,
  };
}

/** `url` as a directory URL (ending in `/`), refused unless http(s). */
function directoryUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new GatewatchError('BAD_ARGUMENT', `${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new GatewatchError(
      'HOST_REFUSED',
      `${parsed.href}: only http: and https: URLs are fetched, not ${parsed.protocol}`,
    );
  }
  parsed.hash = '';
  parsed.search = '';
  if (!parsed.pathname.endsWith('/')) parsed.pathname += '/';
  return parsed.href;
}

/** A listed name as a file name in the temporary directory (listings come from anyone). */
function safeName(name: string): string {
  return name.replace(/[^\w.-]/g, '_').replace(/^\.+/, '_') || 'file';
}
