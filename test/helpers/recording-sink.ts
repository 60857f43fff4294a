/**
 * An EventSink that records what a collector hands it, for transport tests: idempotent on a
 * simple identity (type, change, patch set, time, author) as the real store is on its own.
 */
import { isStored, type GerritEvent } from '../../server/gerrit/events.js';
import type { AcceptResult, EventSink, EventSource } from '../../server/gerrit/sink.js';

export interface RecordingSink extends EventSink {
  /** Every batch, in the order accepted. */
  readonly batches: { source: EventSource; events: readonly GerritEvent[] }[];
  /** The events stored (first deliveries), by identity. */
  readonly stored: Map<string, GerritEvent>;
  /** Each stored identity's path. */
  readonly sources: Map<string, EventSource>;
  /** Makes the next `count` accepts fail. */
  failNext(count: number): void;
}

export function identity(event: GerritEvent): string {
  if (!isStored(event)) return `${event.type}@${event.createdOn}`;
  const who = event.type === 'comment-added' ? (event.author.username ?? event.author.name) : '';
  return `${event.type}:${event.change.number},${event.patchSet.number}@${event.createdOn}:${who ?? ''}`;
}

export function recordingSink(initial: number | null = null): RecordingSink {
  const stored = new Map<string, GerritEvent>();
  const sources = new Map<string, EventSource>();
  const batches: RecordingSink['batches'] = [];
  let failures = 0;
  let last = initial;
  return {
    batches,
    stored,
    sources,
    failNext(count) {
      failures = count;
    },
    async accept(events, source): Promise<AcceptResult> {
      if (failures > 0) {
        failures -= 1;
        throw new Error('the recording sink was told to fail');
      }
      batches.push({ source, events });
      let fresh = 0;
      let other = 0;
      for (const event of events) {
        if (!isStored(event)) {
          other += 1;
          continue;
        }
        const key = identity(event);
        if (stored.has(key)) continue;
        stored.set(key, event);
        sources.set(key, source);
        fresh += 1;
        last = last === null ? event.createdOn : Math.max(last, event.createdOn);
      }
      return { stored: fresh, duplicates: events.length - fresh - other, other, reports: 0 };
    },
    async lastEventTime() {
      return last;
    },
  };
}
