/**
 * The one outgoing HTTP client: every request gatewatch makes to another server (Gerrit's
 * REST API, the scraper's log servers) goes through it, so that each has time-outs, a size
 * cap, bounded retries and errors that name the URL.
 */
import { GatewatchError } from '../errors.js';

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
  /** The largest body accepted, bytes. Default 64 MiB. */
  readonly maxBytes?: number;
  /** Further attempts after a network error, a time-out, 429 or 5xx. Default 3. */
  readonly retries?: number;
  /** The first retry's delay before jitter, ms; doubled each time. Default 500. */
  readonly backoffMs?: number;
  /** The longest delay between attempts (a Retry-After included), ms. Default 30 s. */
  readonly maxBackoffMs?: number;
  /** 0 ≤ x < 1, for the jitter. Default `Math.random`. */
  readonly random?: () => number;
}

/** A response read whole (within the cap). */
export interface HttpResponse {
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
}

export interface HttpClient {
  /** GET with retries; an error status (after retries) is an `UPSTREAM_STATUS` error. */
  get(url: string, headers?: Record<string, string>): Promise<HttpResponse>;
  /** GET and parse JSON, Gerrit's `)]}'` first line stripped when present. */
  getJson(url: string): Promise<unknown>;
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
} satisfies Required<Omit<HttpClientOptions, 'auth'>>;

/** Gerrit's guard against cross-site script inclusion, on the first line of every JSON body. */
const XSSI_PREFIX = ")]}'";

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const settings = { ...DEFAULTS, ...options };
  const baseHeaders: Record<string, string> = { 'user-agent': settings.userAgent };
  if (options.auth) {
    baseHeaders.authorization = basic(options.auth.user, options.auth.password);
  }

  async function get(url: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const target = checkedUrl(url);
    const sent = { ...baseHeaders, ...headers };
    // fetch refuses URLs with credentials: they travel as basic auth instead.
    if (target.username !== '' && options.auth === undefined) {
      const user = decodeURIComponent(target.username);
      sent.authorization = basic(user, decodeURIComponent(target.password));
    }
    const bare = new URL(target);
    bare.username = '';
    bare.password = '';
    for (let attempt = 0; ; attempt++) {
      let response: HttpResponse;
      try {
        response = await attemptOnce(bare, sent, settings);
      } catch (error) {
        const retryable =
          error instanceof GatewatchError &&
          (error.code === 'UPSTREAM_UNREACHABLE' || error.code === 'UPSTREAM_TIMEOUT');
        if (!retryable || attempt >= settings.retries) throw error;
        await delay(backoff(attempt, settings));
        continue;
      }
      if (response.status < 400) return response;
      const retryable = response.status === 429 || response.status >= 500;
      if (!retryable || attempt >= settings.retries) {
        throw new GatewatchError(
          'UPSTREAM_STATUS',
          `GET ${shown(bare)}: answered ${response.status}${statusDetail(response)}` +
            (attempt > 0 ? ` (after ${attempt + 1} attempts)` : ''),
        );
      }
      const asked = retryAfter(response.headers.get('retry-after'));
      await delay(
        asked === null ? backoff(attempt, settings) : Math.min(asked, settings.maxBackoffMs),
      );
    }
  }

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

  return { get, getJson };
}

async function attemptOnce(
  url: URL,
  headers: Record<string, string>,
  settings: typeof DEFAULTS,
): Promise<HttpResponse> {
  const controller = new AbortController();
  let timedOut: string | null = null;
  const abortAfter = (ms: number, what: string) =>
    setTimeout(() => {
      timedOut = `${what} time-out of ${ms} ms`;
      controller.abort();
    }, ms);
  const total = abortAfter(settings.totalTimeoutMs, 'total');
  let phase = abortAfter(settings.connectTimeoutMs, 'connect');
  const name = shown(url);
  const failure = (error: unknown): GatewatchError => {
    if (error instanceof GatewatchError) return error;
    if (timedOut !== null) {
      return new GatewatchError(
        'UPSTREAM_TIMEOUT',
        `GET ${name}: no answer within the ${timedOut}`,
      );
    }
    return new GatewatchError('UPSTREAM_UNREACHABLE', `GET ${name}: ${networkCause(error)}`);
  };
  try {
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: controller.signal, redirect: 'follow' });
    } catch (error) {
      throw failure(error);
    }
    clearTimeout(phase);
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > settings.maxBytes) {
      controller.abort();
      throw tooLarge(name, settings.maxBytes);
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    try {
      phase = abortAfter(settings.idleTimeoutMs, 'idle');
      for await (const chunk of response.body ?? []) {
        clearTimeout(phase);
        bytes += chunk.byteLength;
        if (bytes > settings.maxBytes) {
          controller.abort();
          throw tooLarge(name, settings.maxBytes);
        }
        chunks.push(Buffer.from(chunk));
        phase = abortAfter(settings.idleTimeoutMs, 'idle');
      }
    } catch (error) {
      throw failure(error);
    }
    return {
      url: response.url || url.href,
      status: response.status,
      headers: response.headers,
      body: Buffer.concat(chunks),
    };
  } finally {
    clearTimeout(total);
    clearTimeout(phase);
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

/** A URL for a message: credentials in it are hidden. */
function shown(url: string | URL): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.href;
  } catch {
    return String(url);
  }
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

function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}

function statusDetail(response: HttpResponse): string {
  const text = response.body.toString('utf8', 0, Math.min(response.body.length, 200)).trim();
  return text === '' ? '' : `: ${text.split('\n')[0]}`;
}

/** Exponential backoff with equal jitter: half the delay fixed, half random. */
function backoff(attempt: number, settings: typeof DEFAULTS): number {
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
