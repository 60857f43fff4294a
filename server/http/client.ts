/**
 * The one outgoing HTTP client: every request gatewatch makes to another server (Gerrit's
 * REST API, the scraper's log servers) goes through it, so that each has time-outs, a size
 * cap, bounded retries, redirects re-checked by its guard, and errors that name the URL.
 */
import { GatewatchError } from '../errors.js';
import { downloadOnce, type DownloadOptions, type Downloaded } from './download.js';
import {
  asUpstreamError,
  openResponse,
  shown,
  type OpenOptions,
  type RequestGuard,
  type Timeouts,
} from './transport.js';

export type { DownloadOptions, Downloaded } from './download.js';
export type { CheckedAddress, RequestGuard } from './transport.js';

export interface HttpClientOptions {
  /** Sent with every request. Default `gatewatch`. */
  readonly userAgent?: string;
  /** HTTP basic credentials sent with every request. */
  readonly auth?: { readonly user: string; readonly password: string };
  /**
   * Until the response headers arrive (connecting, TLS, the server's first answer), ms.
   * Default 15 s.
   */
  readonly connectTimeoutMs?: number;
  /** Longest silence while the body streams, ms. Default 30 s. */
  readonly idleTimeoutMs?: number;
  /** The whole request, body included, ms. Default 120 s. */
  readonly totalTimeoutMs?: number;
  /** The largest body `get` accepts, bytes. Default 64 MiB. */
  readonly maxBytes?: number;
  /** Further attempts after a network error, a time-out, 429 or 5xx. Default 3. */
  readonly retries?: number;
  /** The first retry's delay before jitter, ms; doubled each time. Default 500. */
  readonly backoffMs?: number;
  /** The longest delay between attempts (a Retry-After included), ms. Default 30 s. */
  readonly maxBackoffMs?: number;
  /** 0 ≤ x < 1, for the jitter. Default `Math.random`. */
  readonly random?: () => number;
  /** Checks every URL requested, redirects included (the scraper's host guard). Default: none. */
  readonly guard?: RequestGuard;
  /** Aborts every request in flight and refuses new ones. */
  readonly signal?: AbortSignal;
}

/** A response read whole (within the cap). */
export interface HttpResponse {
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
}

export interface HttpClient {
  /** GET with retries; an error status (after retries) is an {@link HttpStatusError}. */
  get(url: string, headers?: Record<string, string>): Promise<HttpResponse>;
  /** GET and parse JSON, Gerrit's `)]}'` first line stripped when present. */
  getJson(url: string): Promise<unknown>;
  /**
   * GET streamed to a file (gzip data decompressed on the way), within the caps of `options`,
   * with the same retries as `get`.
   */
  download(url: string, options: DownloadOptions): Promise<Downloaded>;
}

/** An error status, after the retries: `status` tells whether trying later may help. */
export class HttpStatusError extends GatewatchError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super('UPSTREAM_STATUS', message);
  }
}

const DEFAULTS = {
  userAgent: 'gatewatch',
  connectTimeoutMs: 15_000,
  idleTimeoutMs: 30_000,
  totalTimeoutMs: 120_000,
  maxBytes: 64 << 20,
  retries: 3,
  backoffMs: 500,
  maxBackoffMs: 30_000,
  random: Math.random,
} satisfies Required<Omit<HttpClientOptions, 'auth' | 'guard' | 'signal'>>;

type Settings = typeof DEFAULTS & {
  readonly guard?: RequestGuard;
  readonly signal?: AbortSignal;
};

/** Gerrit's guard against cross-site script inclusion, on the first line of every JSON body. */
const XSSI_PREFIX = ")]}'";

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const settings: Settings = { ...DEFAULTS, ...options };
  const baseHeaders: Record<string, string> = { 'user-agent': settings.userAgent };
  if (options.auth) {
    baseHeaders.authorization = basic(options.auth.user, options.auth.password);
  }

  /** `attempt` once per try; network errors, time-outs, 429 and 5xx are retried. */
  async function withRetries<T extends { status: number; headers: Headers }>(
    url: string,
    headers: Record<string, string>,
    attempt: (url: URL, headers: Record<string, string>) => Promise<T>,
    detail: (response: T) => string,
  ): Promise<T> {
    const target = checkedUrl(url);
    const sent = { ...baseHeaders, ...headers };
    // Credentials in the URL travel as basic auth, never in the request line.
    if (target.username !== '' && options.auth === undefined) {
      const user = decodeURIComponent(target.username);
      sent.authorization = basic(user, decodeURIComponent(target.password));
    }
    const bare = new URL(target);
    bare.username = '';
    bare.password = '';
    for (let tries = 0; ; tries++) {
      let response: T;
      try {
        response = await attempt(bare, sent);
      } catch (error) {
        const retryable =
          error instanceof GatewatchError &&
          (error.code === 'UPSTREAM_UNREACHABLE' || error.code === 'UPSTREAM_TIMEOUT');
        if (!retryable || tries >= settings.retries) throw error;
        await delay(backoff(tries, settings));
        continue;
      }
      if (response.status < 400) return response;
      const retryable = response.status === 429 || response.status >= 500;
      if (!retryable || tries >= settings.retries) {
        throw new HttpStatusError(
          response.status,
          `GET ${shown(bare)}: answered ${response.status}${detail(response)}` +
            (tries > 0 ? ` (after ${tries + 1} attempts)` : ''),
        );
      }
      const asked = retryAfter(response.headers.get('retry-after'));
      await delay(
        asked === null ? backoff(tries, settings) : Math.min(asked, settings.maxBackoffMs),
      );
    }
  }

  const get = (url: string, headers: Record<string, string> = {}): Promise<HttpResponse> =>
    withRetries(url, headers, (target, sent) => attemptOnce(target, sent, settings), statusDetail);

  async function getJson(url: string): Promise<unknown> {
    const response = await get(url, { accept: 'application/json' });
    let text = response.body.toString('utf8');
    if (text.startsWith(XSSI_PREFIX)) text = text.slice(text.indexOf('\n') + 1);
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new GatewatchError('UPSTREAM_BAD_BODY', `GET ${shown(url)}: not JSON (${why})`);
    }
  }

  const download = (url: string, downloadOptions: DownloadOptions): Promise<Downloaded> =>
    withRetries(
      url,
      {},
      async (target, sent) =>
        downloadOnce(
          await openResponse(target, {
            headers: sent,
            timeouts: timeoutsOf(settings),
            ...guarded(settings),
          }),
          downloadOptions,
        ),
      () => '',
    );

  return { get, getJson, download };
}

function guarded(settings: Settings): Pick<OpenOptions, 'guard' | 'signal'> {
  return {
    ...(settings.guard ? { guard: settings.guard } : {}),
    ...(settings.signal ? { signal: settings.signal } : {}),
  };
}

function timeoutsOf(settings: Settings): Timeouts {
  return {
    connectMs: settings.connectTimeoutMs,
    idleMs: settings.idleTimeoutMs,
    totalMs: settings.totalTimeoutMs,
  };
}

async function attemptOnce(
  url: URL,
  headers: Record<string, string>,
  settings: Settings,
): Promise<HttpResponse> {
  const name = shown(url);
  const opened = await openResponse(url, {
    headers,
    timeouts: timeoutsOf(settings),
    ...guarded(settings),
  });
  try {
    const declared = Number(opened.headers.get('content-length') ?? NaN);
    if (declared > settings.maxBytes) {
      opened.body.destroy();
      throw tooLarge(name, settings.maxBytes);
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    try {
      for await (const chunk of opened.body as AsyncIterable<Buffer>) {
        bytes += chunk.byteLength;
        if (bytes > settings.maxBytes) {
          opened.body.destroy();
          throw tooLarge(name, settings.maxBytes);
        }
        chunks.push(chunk);
      }
    } catch (error) {
      throw asUpstreamError(error, url);
    }
    return {
      url: opened.url,
      status: opened.status,
      headers: opened.headers,
      body: Buffer.concat(chunks),
    };
  } finally {
    opened.close();
  }
}

function checkedUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new GatewatchError('BAD_ARGUMENT', `${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `${shown(parsed)}: only http: and https: URLs are fetched, not ${parsed.protocol}`,
    );
  }
  return parsed;
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function tooLarge(name: string, cap: number): GatewatchError {
  return new GatewatchError(
    'UPSTREAM_TOO_LARGE',
    `GET ${name}: the body is larger than the cap of ${cap} bytes`,
  );
}

function statusDetail(response: HttpResponse): string {
  const text = response.body.toString('utf8', 0, Math.min(response.body.length, 200)).trim();
  return text === '' ? '' : `: ${text.split('\n')[0]}`;
}

/** Exponential backoff with equal jitter: half the delay fixed, half random. */
function backoff(attempt: number, settings: Settings): number {
  const ceiling = Math.min(settings.maxBackoffMs, settings.backoffMs * 2 ** attempt);
  return ceiling / 2 + (ceiling / 2) * settings.random();
}

/** Retry-After as ms: delay-seconds or an HTTP date; `null` when absent or unreadable. */
function retryAfter(header: string | null): number | null {
  if (header === null || header.trim() === '') return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
