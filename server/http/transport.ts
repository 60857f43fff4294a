/**
 * One outgoing request over `node:http`/`node:https`: a GET for the client in `client.ts`, or
 * a POST of a body (the webhooks). Redirects of a GET are followed by hand (each one checked
 * by the request's guard before it is connected to); a POST's are answers like any other. A
 * connect/idle/total time-out, and a fixed DNS answer when the guard has resolved the host
 * itself (so that the address checked is the address connected to).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { GatewatchError } from '../errors.js';

/** An address a guard resolved and checked. */
export interface CheckedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/**
 * Decides, before each connection (the first request and every redirect), whether a URL may
 * be fetched. It throws (a GatewatchError) to refuse; it resolves to the address to connect to,
 * or `null` to let the system resolve the host (an IP literal needs no lookup).
 */
export interface RequestGuard {
  check(url: URL): Promise<CheckedAddress | null>;
}

export interface Timeouts {
  /** Until the response headers arrive, ms. */
  readonly connectMs: number;
  /** Longest silence of the socket once connected, ms. */
  readonly idleMs: number;
  /** The whole exchange, redirects and body included, ms. */
  readonly totalMs: number;
}

/** Redirects followed per request, each checked again. */
export const MAX_REDIRECTS = 5;

export interface OpenOptions {
  readonly headers: Readonly<Record<string, string>>;
  /** Sent with a POST (the request is a GET without one). */
  readonly body?: Buffer;
  readonly timeouts: Timeouts;
  readonly guard?: RequestGuard;
  /** Aborting it cuts the request with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** An answer whose body is still to be read; `close()` stops its timers (always call it). */
export interface OpenedResponse {
  /** The URL that answered (after redirects). */
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  /** Errors while it streams (a time-out, a cut connection) are GatewatchErrors. */
  readonly body: IncomingMessage;
  close(): void;
}

/** GET `target`, following up to {@link MAX_REDIRECTS} redirects, or POST `options.body` to it. */
export async function openResponse(target: URL, options: OpenOptions): Promise<OpenedResponse> {
  const { timeouts, body } = options;
  const method = body === undefined ? 'GET' : 'POST';
  let current: { destroy(error: Error): void } | null = null;
  let timedOut: GatewatchError | null = null;
  const expire = (what: string, ms: number, url: URL) => {
    timedOut = new GatewatchError(
      'UPSTREAM_TIMEOUT',
      `${method} ${shown(url)}: no answer within the ${what} time-out of ${ms} ms`,
    );
    current?.destroy(timedOut);
  };
  let url = target;
  const total = setTimeout(() => expire('total', timeouts.totalMs, url), timeouts.totalMs);
  const { signal } = options;
  const abort = () => current?.destroy(signal!.reason as Error);
  signal?.addEventListener('abort', abort);
  const close = () => {
    clearTimeout(total);
    signal?.removeEventListener('abort', abort);
  };
  let headers = { ...options.headers };
  try {
    for (let hop = 0; ; hop++) {
      signal?.throwIfAborted();
      const address = options.guard ? await options.guard.check(url) : null;
      if (timedOut !== null) throw timedOut;
      signal?.throwIfAborted();
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
        const request = send(url, {
          method,
          headers:
            body === undefined ? headers : { ...headers, 'content-length': String(body.length) },
          // A guarded request opens its own connection: a pooled one may lead elsewhere.
          ...(address === null ? {} : { lookup: fixedLookup(address), agent: false }),
        });
        current = request;
        const connect = setTimeout(
          () => expire('connect', timeouts.connectMs, url),
          timeouts.connectMs,
        );
        request.setTimeout(timeouts.idleMs, () => expire('idle', timeouts.idleMs, url));
        request.on('response', (answer) => {
          clearTimeout(connect);
          current = answer;
          resolve(answer);
        });
        request.on('error', (error) => {
          clearTimeout(connect);
          reject(asUpstreamError(error, url, method));
        });
        request.end(body);
      });
      const location = response.headers.location;
      const status = response.statusCode ?? 0;
      const redirected = status >= 300 && status < 400 && status !== 304;
      if (redirected && location !== undefined && body === undefined) {
        response.resume();
        const next = redirectTarget(location, url, hop);
        // Credentials are for the server they were given for, not for wherever it points.
        if (next.origin !== url.origin) headers = withoutAuthorization(headers);
        url = next;
        continue;
      }
      response.on('error', () => undefined);
      return {
        url: url.href,
        status,
        headers: toHeaders(response),
        body: response,
        close,
      };
    }
  } catch (error) {
    close();
    throw error;
  }
}

/** A network error (refused, reset, a time-out's abort) as the GatewatchError it stands for. */
export function asUpstreamError(
  error: unknown,
  url: URL | string,
  method = 'GET',
): GatewatchError | Error {
  if (error instanceof GatewatchError) return error;
  // An abort is the caller's, not the server's: it goes back as the caller gave it.
  if (error instanceof Error && error.name === 'AbortError') return error;
  return new GatewatchError(
    'UPSTREAM_UNREACHABLE',
    `${method} ${shown(url)}: ${networkCause(error)}`,
  );
}

/** A URL for a message: credentials in it are hidden. */
export function shown(url: string | URL): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.href;
  } catch {
    return String(url);
  }
}

function redirectTarget(location: string, from: URL, hop: number): URL {
  if (hop >= MAX_REDIRECTS) {
    throw new GatewatchError(
      'UPSTREAM_STATUS',
      `GET ${shown(from)}: more than ${MAX_REDIRECTS} redirects`,
    );
  }
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new GatewatchError(
      'UPSTREAM_BAD_BODY',
      `GET ${shown(from)}: redirected to ${JSON.stringify(location)}, which is not a URL`,
    );
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new GatewatchError(
      'HOST_REFUSED',
      `GET ${shown(from)}: redirected to ${next.protocol} (only http: and https: are fetched)`,
    );
  }
  return next;
}

function fixedLookup({ address, family }: CheckedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'),
  );
}

function toHeaders(response: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

function networkCause(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (code) return `${code}${message && message !== code ? ` (${message})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
