import { randomUUID } from 'node:crypto';
import { createPubSub } from '@graphql-yoga/subscription';
import type { Run } from '../runs/run.type.js';

/** What `runIngested` subscribers receive: the run and its metadata, for filtering. */
export interface RunIngestedEvent {
  run: Run;
  metadata: { key: string; value: string }[];
}

/**
 * One process-wide bus (type-graphql's schema, built once, needs it); each server publishes
 * under its own id so that two servers in one process (the tests) never hear each other.
 */
export const pubSub = createPubSub<{ RUN_INGESTED: [server: string, event: RunIngestedEvent] }>();

/** A server's events. */
export interface Events {
  publishRunIngested(event: RunIngestedEvent): void;
  runIngested(): AsyncIterable<RunIngestedEvent>;
}

export function createEvents(): Events {
  const server = randomUUID();
  return {
    publishRunIngested: (event) => pubSub.publish('RUN_INGESTED', server, event),
    runIngested: () => pubSub.subscribe('RUN_INGESTED', server),
  };
}
