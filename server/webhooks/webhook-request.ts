/**
 * One webhook attempt: the event as a JSON body, signed, POSTed through the project's
 * transport (its time-outs; redirects are not followed, a 3xx is a failure like any non-2xx).
 */
import { createHmac } from 'node:crypto';
import { finished } from 'node:stream/promises';
import { GatewatchError } from '../errors.js';
import { openResponse, type RequestGuard } from '../http/transport.js';
import type { Delivery, OutboxEvent } from './deliveries.js';

/** The `X-Gatewatch-Signature` of `body`: `sha256=` and the hex HMAC-SHA256 under `secret`. */
export function signature(body: Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The body a webhook receives: the event's payload with the outbox id (as text). */
export function webhookBody(event: OutboxEvent): Buffer {
  return Buffer.from(JSON.stringify({ id: String(event.id), ...event.payload }));
}

export interface WebhookOptions {
  readonly secret: string;
  readonly timeoutMs: number;
  readonly guard?: RequestGuard;
  readonly signal: AbortSignal;
}

/** How the attempt went: the status when the receiver answered, and what failed if it did. */
export interface Attempt {
  readonly status: number | null;
  /** null: delivered (a 2xx answer). */
  readonly error: string | null;
}

/** POSTs `body` to the delivery's URL; network errors and time-outs come back as failures. */
export async function postWebhook(
  delivery: Delivery & { readonly url: string },
  body: Buffer,
  options: WebhookOptions,
): Promise<Attempt> {
  const { timeoutMs } = options;
  try {
    const response = await openResponse(new URL(delivery.url), {
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'gatewatch',
        'x-gatewatch-event': delivery.event.payload.kind,
        'x-gatewatch-delivery': delivery.uuid,
        'x-gatewatch-signature': signature(body, options.secret),
      },
      timeouts: { connectMs: timeoutMs, idleMs: timeoutMs, totalMs: timeoutMs },
      ...(options.guard ? { guard: options.guard } : {}),
      signal: options.signal,
    });
    try {
      // The answer's body says nothing gatewatch keeps; it is read so the connection ends.
      await finished(response.body.resume());
    } finally {
      response.close();
    }
    const { status } = response;
    if (status >= 200 && status < 300) return { status, error: null };
    return { status, error: `POST ${delivery.url}: answered ${status}` };
  } catch (error) {
    if (error instanceof GatewatchError) return { status: null, error: error.message };
    throw error;
  }
}
