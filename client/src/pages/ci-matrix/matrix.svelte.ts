/**
 * The CI matrix page's view state, all of it in the URL (`?window=&since=&until=&cis=&highlight=`);
 * a preset window ends when it was chosen (or the page opened).
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
import { formatCis, parseCis, toggleCi } from './matrix.js';
import type { MatrixCi } from '../../documents/matrix.js';

/** The window the matrix opens with, as CI Watch did. */
export const MATRIX_WINDOW = '24h';

/** Create while a component initializes: it reads the app's location from the context. */
export class MatrixView {
  #location = useLocation();
  #now = $state(Date.now());

  readonly window: CiWindow = $derived(
    ciWindowOf((name) => this.#location.param(name), new Date(this.#now), MATRIX_WINDOW),
  );
  /** The accounts whose columns are shown; empty: every CI of the matrix. */
  readonly chosen: string[] = $derived(parseCis(this.#location.param('cis')));
  /** Whether lines are coloured by the upstream CI's vote. */
  readonly highlight: boolean = $derived(this.#location.param('highlight') === '1');

  setWindow(window: { name: CiWindowName; since?: string; until?: string }): void {
    this.#now = Date.now();
    this.#location.setParams(ciWindowParams(window, MATRIX_WINDOW));
  }

  toggleCi(all: readonly MatrixCi[], account: string): void {
    this.#location.setParams({ cis: formatCis(toggleCi(all, this.chosen, account)) });
  }

  setHighlight(on: boolean): void {
    this.#location.setParams({ highlight: on ? '1' : null });
  }

  /**
   * Keeps the matrix live: every report stored and event accepted on the project calls
   * `refresh` with the window as it is now (a preset's end moved to now), at most once per few
   * seconds. The window chosen stays as it was: lines already loaded are kept.
   */
  follow(client: Client, project: () => string, refresh: (window: CiWindow) => void): void {
    const follow = throttled(() =>
      refresh(
        this.window.name === 'custom'
          ? this.window
          : ciWindowOf((name) => this.#location.param(name), new Date(), MATRIX_WINDOW),
      ),
    );
    onCiActivity(client, project, follow);
  }
}
