/**
 * GraphQL reads as runes: a query re-runs whenever its variables change, and can be told to
 * refetch (live updates do). Create one while a component initializes. Its answer and
 * variables are typed by the document (see graphql.ts).
 */
import type { AnyVariables, Client, CombinedError, TypedDocumentNode } from '@urql/core';

export interface QueryOptions {
  /**
   * Keep each answer as it came (`$state.raw`) instead of deeply reactive: for large answers
   * read whole, such as a 10,000-result timeline (deep proxies added ~270 ms to the run page's
   * first render, bench `dashboard`). The answer is then replaced, never changed in place.
   */
  raw?: boolean;
}

export class Query<T, Variables extends AnyVariables = AnyVariables> {
  #deep: T | undefined = $state();
  #shallow: T | undefined = $state.raw();
  readonly #raw: boolean;
  error: CombinedError | null = $state(null);
  fetching = $state(true);
  #refresh = $state(0);

  get data(): T | undefined {
    return this.#raw ? this.#shallow : this.#deep;
  }

  set data(value: T | undefined) {
    if (this.#raw) this.#shallow = value;
    else this.#deep = value;
  }

  /**
   * @param variables the query's variables, read reactively; `null` holds the query back
   *   (nothing to ask yet).
   */
  constructor(
    client: Client,
    document: TypedDocumentNode<T, Variables>,
    variables: () => Variables | null,
    options: QueryOptions = {},
  ) {
    this.#raw = options.raw === true;
    $effect(() => {
      const vars = variables();
      const refresh = this.#refresh;
      if (vars === null) return;
      this.fetching = true;
      const subscription = client
        .query<T>(document, vars, { requestPolicy: refresh > 0 ? 'network-only' : undefined })
        .subscribe((result) => {
          this.error = result.error ?? null;
          if (result.data !== undefined) this.data = result.data;
          this.fetching = result.stale === true;
        });
      return () => subscription.unsubscribe();
    });
  }

  /** Asks the server again, keeping what is shown until the answer comes. */
  refetch(): void {
    this.#refresh++;
  }
}
