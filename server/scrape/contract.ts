/**
 * CONTRACT (session 5) between the scraper's halves — fetching (input forms, log layouts,
 * resolution, host guard, crawl, download) and tasks (the durable queue, ingest, GraphQL, CLI).
 * The fetching half implements these in its own modules and this file goes once both are in.
 */
import type { GatewatchError } from '../errors.js';

/** What a pasted text is (server/scrape/input.ts: `parseInput(text)`; refusals name the forms understood). */
export type ScrapeInput =
  | {
      readonly kind: 'change';
      readonly change: number;
      readonly patchSet: number | null;
      /** The Gerrit URL's origin when a URL was pasted (chooses the configured server). */
      readonly origin: string | null;
    }
  | {
      readonly kind: 'log-url';
      /** The job's log directory, normalised to end with `/`. */
      readonly url: string;
      /** What the Zuul v2/v3 or periodic layout says, where it says it. */
      readonly change: number | null;
      readonly patchSet: number | null;
      readonly pipeline: string | null;
      readonly job: string | null;
      readonly project: string | null;
    };

/** Limits of one scrape (settings, documented in the README). */
export interface ScrapeLimits {
  /** Largest subunit stream, compressed or not, bytes. */
  readonly maxStreamBytes: number;
  /** Largest dstat CSV or console log, bytes. */
  readonly maxFileBytes: number;
  /** Largest decompressed size of any one file (gzip bombs), bytes. */
  readonly maxExpandedBytes: number;
  /** Autoindex pages read per job. */
  readonly maxPages: number;
  /** One request, connect to last byte, ms. */
  readonly timeoutMs: number;
}

/** A file downloaded to a temporary path (decompressed when it was `.gz`); the caller removes it. */
export interface FetchedFile {
  readonly url: string;
  /** Its name as listed, e.g. `testrepository.subunit.gz`. */
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
}

export interface JobArtifacts {
  /** The log directory, as given. */
  readonly url: string;
  readonly subunit: FetchedFile | null;
  readonly dstat: FetchedFile | null;
  readonly console: FetchedFile | null;
}

export interface FetchProgress {
  (stage: 'crawling' | 'downloading', bytesFetched: number): void;
}

/**
 * server/scrape/artifacts.ts: `fetchJobArtifacts(url, options)` crawls the directory (root and
 * `logs/`), downloads the stream, dstat CSV and console log within the limits, every request
 * through the host guard. Throws a GatewatchError whose message a user understands;
 * `isTransient(error)` tells the queue whether a retry may help (network, time-out, 5xx, 429).
 * "no subunit stream or console log under URL" when neither is found.
 */
export interface FetchJobArtifactsOptions {
  readonly limits: ScrapeLimits;
  /** Listed hosts (`--allow-host`, config): fetched from even when they resolve to private or loopback addresses. */
  readonly allowHosts: readonly string[];
  /** Hosts of log URLs the collector stored from configured CIs: allowed only at public addresses. */
  readonly seenHosts: readonly string[];
  readonly onProgress?: FetchProgress;
  readonly signal?: AbortSignal;
}

export type IsTransient = (error: unknown) => error is GatewatchError;
