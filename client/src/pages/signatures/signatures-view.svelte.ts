/**
 * The signatures page's view state, all in the URL (`?job=&since=7d&pages=`), so every view of
 * the clusters is a link.
 */
import {
  currentCursor,
  formatCursors,
  nextPage,
  parseCursors,
  previousPage,
} from '../../lib/cursors.js';
import { useLocation } from '../../lib/location.svelte.js';
import type { Period } from '../../lib/period.js';
import { PAGE_SIZE, parseSince, sinceOf } from './signatures.js';

/** Create while a component initializes: it reads the app's location from the context. */
export class SignaturesView {
  #location = useLocation();

  readonly job: string = $derived(this.#location.param('job'));
  readonly since: Period | null = $derived(parseSince(this.#location.param('since')));
  readonly cursors: string[] = $derived(parseCursors(this.#location.param('pages')));

  /** The page query's variables. */
  readonly variables = $derived({
    job: this.job || null,
    since: sinceOf(this.since),
    after: currentCursor(this.cursors),
    first: PAGE_SIZE,
  });

  /** A new filter starts from the first page. */
  setJob(job: string): void {
    this.#location.setParams({ job: job.trim(), pages: null });
  }

  setSince(since: string): void {
    this.#location.setParams({ since, pages: null });
  }

  next(endCursor: string): void {
    this.#location.setParams({ pages: formatCursors(nextPage(this.cursors, endCursor)) });
  }

  previous(): void {
    this.#location.setParams({ pages: formatCursors(previousPage(this.cursors)) || null });
  }
}
