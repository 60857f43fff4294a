// PLACEHOLDER — replaced at merge (the store is written in wt-g-store). This stand-in keeps
// nothing: it counts what it is given so that `collect` runs and its options can be tested.
import type { Services } from '../runtime.js';
import { isStored } from './events.js';
import type { EventSink } from './sink.js';

export interface StoreServer {
  readonly name: string;
  readonly url: string;
  readonly cis: readonly string[];
  readonly upstream: string | null;
}

export interface GerritStore extends EventSink {
  close(): Promise<void>;
}

export async function openGerritStore(
  _services: Services,
  _server: StoreServer,
): Promise<GerritStore> {
  let last: number | null = null;
  return {
    async accept(events) {
      const stored = events.filter(isStored).length;
      for (const event of events) last = Math.max(last ?? 0, event.createdOn);
      return { stored, duplicates: 0, other: events.length - stored, reports: 0 };
    },
    async lastEventTime() {
      return last;
    },
    async close() {},
  };
}
