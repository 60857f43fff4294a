import { createPubSub } from '@graphql-yoga/subscription';

/**
 * A named kind of event and the type of its payload. Domains declare their topics; the bus
 * carries any of them. Payloads are plain JSON data, so that a bus between processes can carry
 * them as well as the in-process one.
 */
export interface Topic<Payload> {
  readonly name: string;
  /** Carries the payload type only; never read. */
  readonly payload?: Payload;
}

export function topic<Payload>(name: string): Topic<Payload> {
  return { name };
}

/** A server's event bus: what one part publishes reaches every subscriber of the topic. */
export interface Events {
  publish<P>(topic: Topic<P>, payload: P): void;
  subscribe<P>(topic: Topic<P>): AsyncIterable<P>;
  close(): Promise<void>;
}

/** The in-process bus: events reach the subscribers of this bus only. */
export function createEvents(): Events {
  const pubSub = createPubSub<Record<string, [unknown]>>();
  return {
    publish: (topic, payload) => pubSub.publish(topic.name, payload),
    subscribe: <P>(topic: Topic<P>) => pubSub.subscribe(topic.name) as AsyncIterable<P>,
    close: async () => {},
  };
}
