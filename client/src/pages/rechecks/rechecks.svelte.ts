/**
 * The recheck cost page's view state: its window (`?window=&since=&until=`, a week by
 * default, a chosen range up to the server's 90 days) and project (`?project=`), in the URL.
 */
import {
  ciWindowOf,
  ciWindowParams,
  type CiWindow,
  type CiWindowName,
} from '../../lib/ci-window.js';
import { useLocation } from '../../lib/location.svelte.js';

/** The window the page opens with. */
export const RECHECKS_WINDOW = '7d';

/** Rows of each ranking. */
export const RANKING_ROWS = 20;

/** Create while a component initializes: it reads the app's location from the context. */
export class RechecksView {
  #location = useLocation();
  #now = $state(Date.now());

  readonly window: CiWindow = $derived(
    ciWindowOf((name) => this.#location.param(name), new Date(this.#now), RECHECKS_WINDOW),
  );
  readonly project: string = $derived(this.#location.param('project'));

  setWindow(window: { name: CiWindowName; since?: string; until?: string }): void {
    this.#now = Date.now();
    this.#location.setParams(ciWindowParams(window, RECHECKS_WINDOW));
  }

  setProject(project: string): void {
    this.#location.setParams({ project: project.trim() || null });
  }
}
