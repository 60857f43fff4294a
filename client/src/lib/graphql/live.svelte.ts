/**
 * Live updates: calls `onRun` for every run the server stores that matches the filter (the
 * `runIngested` subscription over graphql-ws). Call while a component initializes; it stops
 * with the component.
 */
import type { Client } from '@urql/core';
import { RUN_INGESTED, type IngestedRun } from '../../documents/live.js';
import type { VariablesOf } from './graphql.js';

export function onRunIngested(
  client: Client,
  filter: () => VariablesOf<typeof RUN_INGESTED>['filter'],
  onRun: (run: IngestedRun) => void,
): void {
  $effect(() => {
    const subscription = client
      .subscription(RUN_INGESTED, { filter: filter() })
      .subscribe((result) => {
        if (result.data) onRun(result.data.runIngested);
      });
    return () => subscription.unsubscribe();
  });
}
