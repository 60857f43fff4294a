/**
 * The event bus's Redis side: an event target for `createPubSub` over two connections (a
 * subscribed connection can do nothing but subscribe). Redis trouble never reaches a caller:
 * an outage is logged once, ioredis retries with its backoff, and a publish while Redis is
 * away loses that event (logged) instead of failing or waiting for it.
 */
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import { hidePassword } from '../config/parsers.js';

type EventTarget<TEvent extends CustomEvent> = ReturnType<typeof createRedisEventTarget<TEvent>>;

export interface RedisTarget<TEvent extends CustomEvent> {
  readonly target: EventTarget<TEvent>;
  /** Ends both connections: gracefully when Redis answers, at once when it does not. */
  close(): Promise<void>;
}

export function connectRedisTarget<TEvent extends CustomEvent>(url: string): RedisTarget<TEvent> {
  const shown = hidePassword(url);
  const health = connectionHealth(shown);
  // No retry for a publish: one made while connecting is sent once connected, but while
  // Redis is away it fails at the first failed reconnection (the event is lost and logged)
  // rather than waiting for Redis, to arrive minutes late or pile up.
  const publisher = health.watch(new Redis(url, { maxRetriesPerRequest: 0 }));
  // Subscriptions made while Redis is away wait for it; once it is back, ioredis subscribes
  // again to every channel it had.
  // No ready check: its INFO would come after a SUBSCRIBE queued while connecting, which
  // Redis refuses on a subscribed connection, and ioredis would then drop the connection.
  const subscriber = health.watch(
    new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: false }),
  );
  const shared = createRedisEventTarget<TEvent>({
    publishClient: publisher,
    subscribeClient: subscriber,
  });
  const target: EventTarget<TEvent> = {
    addEventListener: (type, callback) => shared.addEventListener(type, callback),
    removeEventListener: (type, callback) => shared.removeEventListener(type, callback),
    // Not the library's dispatch: it drops the publish promise, whose rejection (Redis away)
    // would be unhandled and end the process.
    dispatchEvent: (event) => {
      publisher.publish(event.type, JSON.stringify(event.detail)).catch((error: unknown) => {
        console.error(
          `gatewatch: an event on ${event.type} is lost: Redis at ${shown}: ${reason(error)}`,
        );
      });
      return true;
    },
  };
  return {
    target,
    close: async () => {
      health.closing();
      await Promise.all([publisher, subscriber].map(end));
    },
  };
}

/**
 * Logs an outage once, when the first connection is lost (at start: cannot connect), and its
 * end once every connection is ready again; the retries in between are silent.
 */
function connectionHealth(shown: string) {
  const down = new Set<Redis>();
  let closing = false;
  return {
    watch(client: Redis): Redis {
      const lost = (why: string) => {
        if (closing || down.has(client)) return;
        if (down.size === 0) {
          console.error(
            `gatewatch: Redis at ${shown} is unreachable (${why}); ` +
              'events reach no other instance until it is back; retrying',
          );
        }
        down.add(client);
      };
      client.on('error', (error: unknown) => lost(reason(error)));
      client.on('close', () => lost('connection closed'));
      client.on('ready', () => {
        if (down.delete(client) && down.size === 0) {
          console.error(`gatewatch: Redis at ${shown} is back`);
        }
      });
      return client;
    },
    closing() {
      closing = true;
    },
  };
}

async function end(client: Redis): Promise<void> {
  // QUIT waits for the replies in flight; with Redis away it would only queue.
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}

/** A connection error's words; Node's AggregateError (every address refused) has none. */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.message || String((error as { code?: unknown }).code ?? error.name);
}
