/** The server's public URL, for the absolute links it writes (feeds). */
import type { Request } from 'express';

/** A Host header's value: a name or an address, an IPv6 one in brackets, and a port. */
const HOST = /^(?:[\w.-]+|\[[\da-f:.]+\])(?::\d{1,5})?$/i;

/**
 * `baseUrl` (the `server.baseUrl` setting) when set; else the request's protocol and host.
 * Those are the `X-Forwarded-Proto`/`X-Forwarded-Host` of a proxy only when the app trusts
 * proxies (`server.trustProxy`: Express's `trust proxy`); a value that is no protocol or host
 * falls back to the connection's own.
 */
export function publicBaseUrl(req: Request, baseUrl: string | null): string {
  if (baseUrl !== null) return baseUrl;
  const protocol = req.protocol === 'https' ? 'https' : 'http';
  const host = [req.host, req.get('host')].find((h) => h !== undefined && HOST.test(h));
  return `${protocol}://${host ?? 'localhost'}`;
}
