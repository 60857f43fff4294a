/**
 * The matrix's lines as loaded so far: the first page whenever the project or window changes,
 * the next pages on demand ("Load more", by the API's cursors), and the first page again on
 * live updates, merged so that what was loaded beyond it stays. Each page is one request of
 * the API's default size (larger pages would pass the query cost limit).
 */
import type { Client, CombinedError } from '@urql/core';
import {
  CI_MATRIX,
  type Matrix,
  type MatrixRow,
  type MatrixVariables,
} from '../../documents/matrix.js';
import { appendPage, mergeFirstPage } from './matrix.js';

type Window = Omit<MatrixVariables, 'after'>;

export class MatrixLines {
  readonly #client: Client;
  /** The newest answer (columns, window, total); its rows are those of the page it answered. */
  matrix: Matrix | null = $state.raw(null);
  rows: MatrixRow[] = $state.raw([]);
  error: CombinedError | null = $state.raw(null);
  fetching = $state(true);
  #endCursor: string | null = null;
  #hasNextPage = $state(false);
  #window: Window | null = null;
  /** Answers to an older window are dropped. */
  #generation = 0;

  /** Create while a component initializes: it loads the first page whenever `window()` changes. */
  constructor(client: Client, window: () => Window) {
    this.#client = client;
    $effect(() => {
      this.#window = window();
      const generation = ++this.#generation;
      this.rows = [];
      this.matrix = null;
      void this.#load(generation, null, (_, page) => page, true);
    });
  }

  get hasNextPage(): boolean {
    return this.#hasNextPage;
  }

  loadMore(): void {
    if (this.#endCursor === null || this.fetching) return;
    void this.#load(this.#generation, this.#endCursor, appendPage, true);
  }

  /** Asks the first page again, over `window` when given (a moved end), and merges it. */
  refresh(window?: { since: string; until: string }): void {
    if (this.#window !== null && window) {
      this.#window = { ...this.#window, since: window.since, until: window.until };
    }
    void this.#load(this.#generation, null, mergeFirstPage, false);
  }

  async #load(
    generation: number,
    after: string | null,
    merge: (shown: MatrixRow[], page: MatrixRow[]) => MatrixRow[],
    /** Whether "Load more" goes on after this page (a live refresh of the first page: not). */
    advance: boolean,
  ): Promise<void> {
    if (this.#window === null) return;
    this.fetching = true;
    const result = await this.#client
      .query(CI_MATRIX, { ...this.#window, after }, { requestPolicy: 'network-only' })
      .toPromise();
    if (generation !== this.#generation) return;
    this.fetching = false;
    this.error = result.error ?? null;
    const matrix = result.data?.ciMatrix;
    if (!matrix) return;
    this.matrix = matrix;
    this.rows = merge(this.rows, matrix.rows.nodes);
    if (advance) {
      this.#endCursor = matrix.rows.pageInfo.endCursor ?? null;
      this.#hasNextPage = matrix.rows.pageInfo.hasNextPage;
    }
  }
}
