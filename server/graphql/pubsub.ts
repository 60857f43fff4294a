import { setMaxListeners } from 'node:events';
import { createPubSub } from '@graphql-yoga/subscription';
import type { Config } from '../config/config.js';
import { connectRedisTarget } from './redis-target.js';

/**
 * A named kind of event and the type of its payload. Domains declare their topics; the bus
 * carries any of them. Payloads are plain JSON data: a bus between processes carries them as
 * text, so a subscriber must accept what JSON makes of them (instants as strings).
 */
export interface Topic<Payload> {
  readonly name: string;
  /** Carries the payload type only; never read. */
  readonly payload?: Payload;
}

export function topic<Payload>(name: string): Topic<Payload> {
  return { name };
}

/** A process's event bus: what one part publishes reaches every subscriber of the topic. */
export interface Events {
  /** Tells every subscriber (of every instance, over Redis); never throws. */
  publish<P>(topic: Topic<P>, payload: P): void;
  subscribe<P>(topic: Topic<P>): AsyncIterable<P>;
  /** Ends the Redis connections, if any. */
  close(): Promise<void>;
}

/**
 * An in-process target: every subscriber of a topic is one listener, and a thousand of them
 * are normal, not the leak Node warns of past ten.
 */
function unboundedTarget(): EventTarget {
  const target = new EventTarget();
  setMaxListeners(0, target);
  return target;
}

/**
 * The bus: in-process when `redis.url` is null, else Redis pub/sub on channels named
 * `PREFIX:TOPIC`, so that every instance sharing the Redis and the prefix hears every event.
 * Redis being unreachable never fails a publish: the event is lost and logged, and the
 * connections are retried (see redis-target.ts).
 */
export function createEvents(redis: Config['redis']): Events {
  const connection = redis.url === null ? null : connectRedisTarget(redis.url);
  const pubSub = createPubSub<Record<string, [payload: unknown]>>({
    eventTarget: connection?.target ?? unboundedTarget(),
  });
  const channel = (topic: Topic<unknown>) => `${redis.prefix}:${topic.name}`;
  return {
    publish: (topic, payload) => pubSub.publish(channel(topic), payload),
    subscribe: <P>(topic: Topic<P>) => pubSub.subscribe(channel(topic)) as AsyncIterable<P>,
    close: async () => {
      await connection?.close();
    },
  };
}
