/**
 * The CI matrix page's view state, all of it in the URL (`?window=&since=&until=&cis=&highlight=`)
 * but for how many lines are loaded, and the window's end, which live updates move to now.
 */
import type { Client } from '@urql/core';
import {
  ciWindowOf,
  ciWindowParams,
  type CiWindow,
  type CiWindowName,
} from '../../lib/ci-window.js';
import { onCiActivity } from '../../lib/graphql/live.svelte.js';
import { useLocation } from '../../lib/location.svelte.js';
import { throttled } from '../../lib/throttle.svelte.js';
import { formatCis, MAX_ROWS, PAGE_SIZE, parseCis, toggleCi } from './matrix.js';
import type { MatrixCi } from '../../documents/matrix.js';

/** The window the matrix opens with, as CI Watch did. */
export const MATRIX_WINDOW = '24h';

/** Create while a component initializes: it reads the app's location from the context. */
export class MatrixView {
  #location = useLocation();
  #now = $state(Date.now());
  #rows = $state(PAGE_SIZE);

  readonly window: CiWindow = $derived(
    ciWindowOf((name) => this.#location.param(name), new Date(this.#now), MATRIX_WINDOW),
  );
  /** The accounts whose columns are shown; empty: every CI of the matrix. */
  readonly chosen: string[] = $derived(parseCis(this.#location.param('cis')));
  /** Whether lines are coloured by the upstream CI's vote. */
  readonly highlight: boolean = $derived(this.#location.param('highlight') === '1');

  /** How many lines to ask for. */
  get rows(): number {
    return this.#rows;
  }

  setWindow(window: { name: CiWindowName; since?: string; until?: string }): void {
    this.#now = Date.now();
    this.#rows = PAGE_SIZE;
    this.#location.setParams(ciWindowParams(window, MATRIX_WINDOW));
  }

  toggleCi(all: readonly MatrixCi[], account: string): void {
    this.#location.setParams({ cis: formatCis(toggleCi(all, this.chosen, account)) });
  }

  setHighlight(on: boolean): void {
    this.#location.setParams({ highlight: on ? '1' : null });
  }

  loadMore(): void {
    this.#rows = Math.min(MAX_ROWS, this.#rows + PAGE_SIZE);
  }

  /**
   * Keeps the matrix live: every report stored and event accepted on the project moves a
   * preset window's end to now and calls `refetch`, at most once per few seconds.
   */
  follow(client: Client, project: () => string, refetch: () => void): void {
    const refresh = throttled(() => {
      if (this.window.name !== 'custom') this.#now = Date.now();
      refetch();
    });
    onCiActivity(client, project, refresh);
  }
}
