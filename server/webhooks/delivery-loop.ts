/**
 * A process's share of the insights deliveries, started by every server (`createApp`): it
 * looks at the outbox every second, gives new events their deliveries (deliveries.ts), and
 * makes the ones it claims — at most `webhooks.concurrency` at once. A subscription delivery
 * publishes the event on the bus (Redis carries it to every instance's subscribers); a
 * webhook delivery POSTs it, and a failed attempt is tried again after a back-off doubling
 * from `webhooks.backoff`, until `webhooks.maxAttempts`, then given up.
 */
import { SECTIONS } from '../config/settings.js';
import { startClaimLoop } from '../claim-loop.js';
import { GatewatchError } from '../errors.js';
import { holderName } from '../gerrit/lease.js';
import type { RequestGuard } from '../http/transport.js';
import type { Runtime } from '../runtime.js';
import { createHostGuard } from '../scrape/guard.js';
import {
  claimDelivery,
  fanOut,
  heldDelivery,
  type Delivery,
  type HeldDelivery,
} from './deliveries.js';
import { insightEventDelivered } from './insight-event.topics.js';
import { postWebhook, webhookBody, type Attempt } from './webhook-request.js';

/** Looks at the outbox this often (an event is committed by another transaction, unannounced). */
const POLL_MS = 1_000;

/** A delivery is held this much longer than its request may take: past it, another takes it up. */
const LEASE_MARGIN_MS = 30_000;

/** The longest wait between two attempts. */
const MAX_BACKOFF_MS = 3_600_000;

/** Starts delivering under `runtime`, which stops it with the tasks. */
export function startInsightDelivery(runtime: Runtime): void {
  const { db, events, config } = runtime.services;
  const settings = config.webhooks;
  const urls = settings.urls ?? [];
  if (urls.length > 0 && settings.secret === null) {
    throw new GatewatchError(
      'BAD_CONFIG',
      `webhook URLs are configured without a secret to sign them: set ${SECTIONS.webhooks.secret.env} (or webhooks.secret in the config file)`,
    );
  }
  const secret = settings.secret ?? '';
  const guard: RequestGuard | undefined = settings.publicOnly
    ? createHostGuard({ allowHosts: [], seenHosts: urls.map((url) => new URL(url).hostname) })
    : undefined;
  const holder = holderName();
  const leaseMs = settings.timeout + LEASE_MARGIN_MS;

  const deliver = async (delivery: Delivery, held: HeldDelivery, signal: AbortSignal) => {
    const { event, url } = delivery;
    if (url === null) {
      events.publish(insightEventDelivered, {
        id: String(event.id),
        recordedAt: event.recordedAt.toISOString(),
        event: event.payload,
      });
      await held.delivered(null);
      return;
    }
    const body = webhookBody(event);
    if (body.length > settings.maxBodyBytes) {
      const limit = `${SECTIONS.webhooks.maxBodyBytes.env} (${settings.maxBodyBytes} bytes)`;
      await held.giveUp(null, `the event's body of ${body.length} bytes exceeds ${limit}`);
      return;
    }
    let outcome: Attempt;
    try {
      outcome = await postWebhook({ ...delivery, url }, body, {
        secret,
        timeoutMs: settings.timeout,
        ...(guard ? { guard } : {}),
        signal,
      });
    } catch (error) {
      if (!signal.aborted) throw error;
      await held.release();
      return;
    }
    if (outcome.error === null) await held.delivered(outcome.status);
    else if (delivery.attempts >= settings.maxAttempts) {
      await held.giveUp(outcome.status, outcome.error);
    } else {
      const delay = Math.min(settings.backoff * 2 ** (delivery.attempts - 1), MAX_BACKOFF_MS);
      await held.retryLater(outcome.status, outcome.error, delay);
    }
  };

  const loop = startClaimLoop({
    concurrency: settings.concurrency,
    pollMs: POLL_MS,
    beforeRound: async () => {
      await fanOut(db, urls);
    },
    claim: () => claimDelivery(db, holder, leaseMs),
    run: async (delivery, signal) => {
      const held = heldDelivery(db, delivery, holder);
      if (signal.aborted) {
        await held.release();
        return;
      }
      // Claimed once more after its process died each time: given up like a failing one.
      if (delivery.attempts > settings.maxAttempts) {
        const why = `given up: interrupted ${settings.maxAttempts} times (its process stopped)`;
        await held.giveUp(null, why);
        return;
      }
      await deliver(delivery, held, signal);
    },
  });
  runtime.add({ name: 'insights delivery', stage: 'tasks', stop: () => loop.stop() });
}
