/**
 * Live updates: calls `onRun` for every run the server stores that matches the filter (the
 * `runIngested` subscription over graphql-ws). Call while a component initializes; it stops
 * with the component.
 */
import type { Client } from '@urql/core';

const RUN_INGESTED = `subscription ($filter: RunFilter) { runIngested(filter: $filter) { id buildName } }`;

export interface IngestedRun {
  id: string;
  buildName: string | null;
}

export function onRunIngested(
  client: Client,
  filter: () => Record<string, unknown> | null,
  onRun: (run: IngestedRun) => void,
): void {
  $effect(() => {
    const subscription = client
      .subscription<{ runIngested: IngestedRun }>(RUN_INGESTED, { filter: filter() })
      .subscribe((result) => {
        if (result.data) onRun(result.data.runIngested);
      });
    return () => subscription.unsubscribe();
  });
}
