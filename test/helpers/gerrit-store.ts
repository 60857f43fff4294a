/** Stores Gerrit events as the collector hands them over, for tests that need a history. */
import type { GerritEvent } from '../../server/gerrit/events.js';
import type { EventSource } from '../../server/gerrit/sink.js';
import { openGerritStore } from '../../server/gerrit/store.js';
import type { Services } from '../../server/runtime.js';

/** Stores `events` as received from the Gerrit server `name` (https://NAME.example.org). */
export async function storeGerritEvents(
  services: Services,
  events: readonly GerritEvent[],
  options: { source?: EventSource; name?: string } = {},
): Promise<void> {
  const name = options.name ?? 'review';
  const store = await openGerritStore(services, {
    name,
    url: `https://${name}.example.org`,
    cis: [],
    upstream: null,
  });
  await store.accept(events, options.source ?? 'replay');
  await store.close();
}
