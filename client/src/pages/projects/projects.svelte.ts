/**
 * The projects page's view state: its window, in the URL (`?window=&since=&until=`), whose end
 * live updates move to now.
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

/** The window the page opens with: a week shows who stopped reporting without noise. */
export const PROJECTS_WINDOW = '7d';

/** Create while a component initializes: it reads the app's location from the context. */
export class ProjectsView {
  #location = useLocation();
  #now = $state(Date.now());

  readonly window: CiWindow = $derived(
    ciWindowOf((name) => this.#location.param(name), new Date(this.#now), PROJECTS_WINDOW),
  );

  setWindow(window: { name: CiWindowName; since?: string; until?: string }): void {
    this.#now = Date.now();
    this.#location.setParams(ciWindowParams(window, PROJECTS_WINDOW));
  }

  /** Keeps the page live: every report stored (on any project) refetches, throttled. */
  follow(client: Client, refetch: () => void): void {
    const refresh = throttled(() => {
      if (this.window.name !== 'custom') this.#now = Date.now();
      refetch();
    });
    onCiActivity(client, () => null, refresh);
  }
}
