/**
 * The tests page's view state, all in the URL (`?q=&mode=prefix|contains&pages=`): what the
 * search box holds is committed to the URL once typing pauses.
 */
import { useLocation } from '../../lib/location.svelte.js';
import {
  currentCursor,
  formatCursors,
  nextPage,
  parseCursors,
  parseMode,
  previousPage,
  testFilter,
  type SearchMode,
} from './tests.js';

/** How long typing has to pause (ms) before the search runs. */
const SEARCH_DELAY_MS = 250;

/** Create while a component initializes: it reads the app's location from the context. */
export class TestsView {
  #location = useLocation();
  /** What is being typed, until it is committed to the URL. */
  #typed: string | null = $state(null);
  #timer: ReturnType<typeof setTimeout> | undefined;

  readonly query: string = $derived(this.#location.param('q'));
  readonly mode: SearchMode = $derived(parseMode(this.#location.param('mode')));
  readonly cursors: string[] = $derived(parseCursors(this.#location.param('pages')));
  /** The search box's text. */
  readonly draft: string = $derived(this.#typed ?? this.query);

  /** The `tests` query's variables. */
  readonly variables = $derived({
    filter: testFilter(this.query, this.mode),
    after: currentCursor(this.cursors),
  });

  constructor() {
    $effect(() => () => clearTimeout(this.#timer));
  }

  /** The box's text changed: search for it once typing pauses. */
  type(text: string): void {
    this.#typed = text;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.search(), SEARCH_DELAY_MS);
  }

  /** Searches for what the box holds now, from the first page. */
  search(): void {
    clearTimeout(this.#timer);
    if (this.#typed !== null) this.#location.setParams({ q: this.#typed, pages: null });
    this.#typed = null;
  }

  setMode(mode: SearchMode): void {
    this.search();
    this.#location.setParams({ mode: mode === 'contains' ? null : mode, pages: null });
  }

  next(endCursor: string): void {
    this.#location.setParams({ pages: formatCursors(nextPage(this.cursors, endCursor)) });
  }

  previous(): void {
    this.#location.setParams({ pages: formatCursors(previousPage(this.cursors)) });
  }
}
