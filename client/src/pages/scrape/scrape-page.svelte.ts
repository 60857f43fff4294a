/**
 * The scrape page's flow (scrape-flow.ts) wired to the server: it resolves the input, runs
 * the mutation `scrape` with the tab's token (if any), follows `scrapeTaskUpdated`, and opens
 * the run. Create one while the page initializes; everything stops with the page.
 */
import type { Client, CombinedError } from '@urql/core';
import { untrack } from 'svelte';
import { readTask, RESOLVE_CHANGE, SCRAPE, SCRAPE_TASK_UPDATED } from '../../documents/scrape.js';
import type { AppLocation } from '../../lib/location.svelte.js';
import { hrefOf } from '../../lib/route.js';
import { effectOf, INITIAL, nextState, type FlowEffect, type FlowState } from './scrape-flow.js';
import { authorizationOf, readToken, saveToken } from './token.js';

export class ScrapeFlow {
  state: FlowState = $state.raw(INITIAL);
  /** The token sent with the mutation, from this tab's storage or the field. */
  token: string | null = $state(readToken());
  readonly #client: Client;
  readonly #location: AppLocation;
  readonly #input: string;
  readonly #effect: FlowEffect = $derived(effectOf(this.state));
  // What is done changes with the effect, not with every progress update of the same task.
  readonly #effectKey: string = $derived(JSON.stringify(this.#effect));

  constructor(client: Client, location: AppLocation, input: string) {
    this.#client = client;
    this.#location = location;
    this.#input = input;
    $effect(() => this.#resolve());
    $effect(() => {
      void this.#effectKey;
      return untrack(() => this.#perform(this.#effect));
    });
  }

  /** Scrapes a job of the change (a click in the list). */
  pick(job: string): void {
    this.#dispatch({ type: 'pick', job });
  }

  retry(): void {
    this.#dispatch({ type: 'retry' });
  }

  /** Keeps the token for this tab and tries again with it. */
  useToken(token: string): void {
    this.token = token.trim() || null;
    saveToken(this.token ?? '');
    this.retry();
  }

  #dispatch(event: Parameters<typeof nextState>[1]): void {
    this.state = nextState(this.state, event);
  }

  #resolve(): () => void {
    const subscription = this.#client
      .query(RESOLVE_CHANGE, { input: this.#input }, { requestPolicy: 'network-only' })
      .subscribe((result) => {
        if (result.data)
          this.#dispatch({ type: 'resolved', resolution: result.data.resolveChange });
        else if (result.error)
          this.#dispatch({ type: 'unresolved', message: messageOf(result.error) });
      });
    return () => subscription.unsubscribe();
  }

  #perform(effect: FlowEffect): (() => void) | undefined {
    if (effect === null) return undefined;
    switch (effect.kind) {
      case 'scrape': {
        const headers = authorizationOf(this.token);
        const subscription = this.#client
          .mutation(
            SCRAPE,
            { input: this.#input, job: effect.job },
            { fetchOptions: { headers }, requestPolicy: 'network-only' },
          )
          .subscribe((result) => this.#answered(result.data?.scrape, result.error));
        return () => subscription.unsubscribe();
      }
      case 'watch': {
        const subscription = this.#client
          .subscription(SCRAPE_TASK_UPDATED, { id: effect.taskId })
          .subscribe((result) => this.#answered(result.data?.scrapeTaskUpdated, result.error));
        return () => subscription.unsubscribe();
      }
      case 'open':
        this.#location.navigate(hrefOf({ page: 'run', id: effect.runId }), {
          replace: effect.replace,
        });
        return undefined;
    }
  }

  #answered(
    task: Parameters<typeof readTask>[0] | undefined,
    error: CombinedError | undefined,
  ): void {
    if (error) {
      const code = error.graphQLErrors[0]?.extensions.code;
      this.#dispatch({
        type: 'error',
        code: typeof code === 'string' ? code : null,
        message: messageOf(error),
      });
    } else if (task) {
      this.#dispatch({ type: 'task', task: readTask(task) });
    }
  }
}

/** The server's words for what went wrong, else the network's. */
export function messageOf(error: CombinedError): string {
  return error.graphQLErrors[0]?.message ?? error.networkError?.message ?? error.message;
}
