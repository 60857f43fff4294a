/**
 * Live updates over graphql-ws: each helper calls back for every event of a subscription.
 * Call while a component initializes; it stops with the component, and subscribes again when
 * the variables it reads change.
 */
import type { AnyVariables, Client, TypedDocumentNode } from '@urql/core';
import {
  CI_REPORTED,
  GERRIT_EVENTS,
  RUN_INGESTED,
  type IngestedRun,
} from '../../documents/live.js';
import type { VariablesOf } from './graphql.js';

/** Calls `onEvent` with every event of the subscription `document`. */
export function onEvents<T, Variables extends AnyVariables>(
  client: Client,
  document: TypedDocumentNode<T, Variables>,
  variables: () => Variables,
  onEvent: (event: T) => void,
): void {
  $effect(() => {
    const subscription = client.subscription(document, variables()).subscribe((result) => {
      if (result.data) onEvent(result.data);
    });
    return () => subscription.unsubscribe();
  });
}

/** Calls `onActivity` for every CI report stored and every Gerrit event accepted on a project. */
export function onCiActivity(
  client: Client,
  project: () => string | null,
  onActivity: () => void,
): void {
  onEvents(client, CI_REPORTED, () => ({ project: project() }), onActivity);
  onEvents(client, GERRIT_EVENTS, () => ({ project: project() }), onActivity);
}

/** Calls `onRun` for every run the server stores that matches the filter. */
export function onRunIngested(
  client: Client,
  filter: () => VariablesOf<typeof RUN_INGESTED>['filter'],
  onRun: (run: IngestedRun) => void,
): void {
  onEvents(
    client,
    RUN_INGESTED,
    () => ({ filter: filter() }),
    (data) => onRun(data.runIngested),
  );
}
