/**
 * A webhook receiver on 127.0.0.1, port 0, as an operator would run one: it verifies each
 * request's X-Gatewatch-Signature against the raw body with the shared secret, and answers
 * as the test scripts it per attempt (accept, an error status, or a hang past any time-out).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How to answer the n-th request (from 1) to a path. */
export type Answer = number | 'hang';

export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Whether the signature is the body's HMAC-SHA256 under the secret. */
  readonly signed: boolean;
  readonly answer: Answer;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  readonly received: readonly Received[];
  /** Requests to `path` so far. */
  to(path: string): Received[];
  close(): Promise<void>;
}

/** The check a receiver makes, as README "Webhooks" tells: constant-time, on the raw bytes. */
export function verifySignature(body: Buffer, header: string | undefined, secret: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startWebhookReceiver(
  secret: string,
  answer: (path: string, attempt: number) => Answer,
): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const body = Buffer.concat(chunks);
      const attempt = received.filter((r) => r.path === path).length + 1;
      const given = answer(path, attempt);
      const signature = req.headers['x-gatewatch-signature'];
      received.push({
        path,
        headers: req.headers,
        body,
        signed: verifySignature(
          body,
          typeof signature === 'string' ? signature : undefined,
          secret,
        ),
        answer: given,
      });
      if (given === 'hang') hanging.add(res);
      else res.writeHead(given, { 'content-type': 'text/plain' }).end(`answered ${given}\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    to: (path) => received.filter((r) => r.path === path),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
