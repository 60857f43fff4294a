import { createPubSub, map, pipe } from '@graphql-yoga/subscription';
import type { RedisConfig } from '../config.js';
import type { Run } from '../runs/run.type.js';
import { connectRedisTarget } from './redis-target.js';

/** What `runIngested` subscribers receive: the run and its metadata, for filtering. */
export interface RunIngestedEvent {
  run: Run;
  metadata: { key: string; value: string }[];
}

/**
 * A `RunIngestedEvent` as it travels: plain JSON (a Redis message is text), so its instants
 * are ISO strings and are made `Date`s again on receipt.
 */
interface RunIngestedMessage {
  run: Omit<Run, 'runAt' | 'ingestedAt'> & { runAt: string; ingestedAt: string };
  metadata: { key: string; value: string }[];
}

/** An app's event bus. */
export interface Events {
  /** Tells every subscriber (of every instance, over Redis); never throws. */
  publishRunIngested(event: RunIngestedEvent): void;
  runIngested(): AsyncIterable<RunIngestedEvent>;
  /** Ends the Redis connections, if any. */
  close(): Promise<void>;
}

/**
 * The bus of one app: in-process when `redis.url` is null, else Redis pub/sub on channels
 * named `PREFIX:…`, so that every instance sharing the Redis and the prefix hears each run.
 * Redis being unreachable never fails a publish: the event is lost and logged, and the
 * connections are retried (see redis-target.ts).
 */
export function createEvents(redis: RedisConfig): Events {
  const channel = `${redis.prefix}:run-ingested`;
  const connection = redis.url === null ? null : connectRedisTarget(redis.url);
  const pubSub = createPubSub<Record<string, [message: RunIngestedMessage]>>(
    connection ? { eventTarget: connection.target } : undefined,
  );
  return {
    publishRunIngested: (event) => pubSub.publish(channel, toMessage(event)),
    runIngested: () => pipe(pubSub.subscribe(channel), map(fromMessage)),
    close: async () => {
      await connection?.close();
    },
  };
}

function toMessage({ run, metadata }: RunIngestedEvent): RunIngestedMessage {
  return {
    run: { ...run, runAt: run.runAt.toISOString(), ingestedAt: run.ingestedAt.toISOString() },
    metadata,
  };
}

function fromMessage({ run, metadata }: RunIngestedMessage): RunIngestedEvent {
  return {
    run: { ...run, runAt: new Date(run.runAt), ingestedAt: new Date(run.ingestedAt) },
    metadata,
  };
}
