/**
 * A process's share of the insights deliveries, started by every server (`createApp`): it
 * looks at the outbox every second, gives new events their deliveries (deliveries.ts), and
 * makes the ones it claims — at most `webhooks.concurrency` at once. A subscription delivery
 * publishes the event on the bus (Redis carries it to every instance's subscribers); a
 * webhook delivery POSTs it, and a failed attempt is tried again after a back-off doubling
 * from `webhooks.backoff`, until `webhooks.maxAttempts`, then given up.
 */
import { GatewatchError } from '../../errors.js';
import { holderName } from '../../gerrit/lease.js';
import { logInternal } from '../../graphql/errors.js';
import type { RequestGuard } from '../../http/transport.js';
import type { Runtime } from '../../runtime.js';
import { createHostGuard } from '../../scrape/guard.js';
import { SECTIONS } from '../../config/settings.js';
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
  const stopping = new AbortController();
  const running = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let filling: Promise<void> | null = null;
  let again = false;

  const deliver = async (delivery: Delivery, held: HeldDelivery): Promise<void> => {
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
        signal: stopping.signal,
      });
    } catch (error) {
      if (!stopping.signal.aborted) throw error;
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

  const start = async (delivery: Delivery) => {
    const held = heldDelivery(db, delivery, holder);
    if (stopping.signal.aborted) {
      await held.release();
      return;
    }
    // Claimed once more after its process died each time: given up like a failing one.
    if (delivery.attempts > settings.maxAttempts) {
      await held.giveUp(
        null,
        `given up: interrupted ${settings.maxAttempts} times (its process stopped)`,
      );
      return;
    }
    const done = deliver(delivery, held)
      .catch(logInternal)
      .finally(() => {
        running.delete(done);
        wake();
      });
    running.add(done);
  };
  const fill = async () => {
    do {
      again = false;
      await fanOut(db, urls);
      while (!stopping.signal.aborted && running.size < settings.concurrency) {
        const delivery = await claimDelivery(db, holder, leaseMs);
        if (delivery === null) break;
        await start(delivery);
      }
    } while (again && !stopping.signal.aborted);
  };
  const wake = () => {
    if (stopping.signal.aborted) return;
    if (filling) {
      again = true;
      return;
    }
    clearTimeout(timer);
    filling = fill()
      .catch(logInternal)
      .finally(() => {
        filling = null;
        if (!stopping.signal.aborted) timer = setTimeout(wake, POLL_MS);
      });
  };
  wake();

  runtime.add({
    name: 'insights delivery',
    stage: 'tasks',
    stop: async () => {
      stopping.abort();
      clearTimeout(timer);
      await filling;
      await Promise.all(running);
    },
  });
}
