import type { GerritEvent } from './events.js';

/** Which path delivered an event; recorded for the figures, never part of its identity. */
export type EventSource = 'stream' | 'rest' | 'replay';

export interface AcceptResult {
  /** Events stored for the first time (a comment, patch set or state change not seen before). */
  readonly stored: number;
  /** Events already stored (delivered by the other path, or replayed twice). */
  readonly duplicates: number;
  /** Well-formed events of a type gatewatch does not store (published, counted). */
  readonly other: number;
  /** CI reports derived from the stored comments. */
  readonly reports: number;
}

/**
 * Where a collector puts what it receives from one Gerrit server. The store implements it:
 * idempotent (an event delivered twice, by either path, is stored once), one transaction per
 * batch, and it publishes each newly stored event to the live topics after the commit.
 */
export interface EventSink {
  accept(events: readonly GerritEvent[], source: EventSource): Promise<AcceptResult>;
  /** The newest `createdOn` (epoch seconds) stored for this server: where catch-up starts. */
  lastEventTime(): Promise<number | null>;
}
