/**
 * The tests page's view state, all in the URL (`?q=&mode=prefix|contains|regex&tb=&sort=
 * &order=&pages=`): what the search boxes hold is committed to the URL once typing pauses.
 */
import {
  currentCursor,
  formatCursors,
  nextPage,
  parseCursors,
  previousPage,
} from '../../lib/cursors.js';
import { useLocation } from '../../lib/location.svelte.js';
import {
  checkPattern,
  nextSort,
  parseMode,
  parseSort,
  serverSort,
  testFilter,
  type Pattern,
  type SearchMode,
  type Sort,
  type SortKey,
} from '../../lib/test-list.js';
import { DEFAULT_TESTS_SORT, pageSort } from './tests.js';

/** How long typing has to pause (ms) before the search runs. */
const SEARCH_DELAY_MS = 250;

/** Create while a component initializes: it reads the app's location from the context. */
export class TestsView {
  #location = useLocation();
  /** What is being typed in each box, until it is committed to the URL. */
  #typed: { q: string | null; tb: string | null } = $state({ q: null, tb: null });
  #timer: ReturnType<typeof setTimeout> | undefined;

  readonly query: string = $derived(this.#location.param('q'));
  readonly mode: SearchMode = $derived(parseMode(this.#location.param('mode')));
  /** Text the tracebacks of recent failures must hold. */
  readonly traceback: string = $derived(this.#location.param('tb'));
  readonly pattern: Pattern = $derived(checkPattern(this.query, this.mode));
  readonly sort: Sort = $derived(
    pageSort(
      parseSort(this.#location.param('sort'), this.#location.param('order'), DEFAULT_TESTS_SORT),
    ),
  );
  readonly cursors: string[] = $derived(parseCursors(this.#location.param('pages')));
  /** The test id box's text. */
  readonly draft: string = $derived(this.#typed.q ?? this.query);
  /** The traceback box's text. */
  readonly tracebackDraft: string = $derived(this.#typed.tb ?? this.traceback);

  /** The `tests` query's variables but the page size. */
  readonly variables = $derived.by(() => {
    const ids = this.pattern.ok ? testFilter(this.query, this.mode) : null;
    const filter = this.traceback ? { ...ids, tracebackContains: this.traceback } : ids;
    return { filter, ...serverSort(this.sort), after: currentCursor(this.cursors) };
  });

  constructor() {
    $effect(() => () => clearTimeout(this.#timer));
  }

  /** A box's text changed: search for it once typing pauses. */
  type(box: 'q' | 'tb', text: string): void {
    this.#typed = { ...this.#typed, [box]: text };
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.search(), SEARCH_DELAY_MS);
  }

  /** Searches for what the boxes hold now, from the first page. */
  search(): void {
    clearTimeout(this.#timer);
    const { q, tb } = this.#typed;
    if (q !== null || tb !== null) {
      this.#location.setParams({ q: q ?? this.query, tb: tb ?? this.traceback, pages: null });
    }
    this.#typed = { q: null, tb: null };
  }

  setMode(mode: SearchMode): void {
    this.search();
    this.#location.setParams({ mode: mode === 'contains' ? null : mode, pages: null });
  }

  sortBy(key: SortKey): void {
    const { key: sort, order } = nextSort(this.sort, key);
    this.#location.setParams({ sort, order, pages: null });
  }

  next(endCursor: string): void {
    this.#location.setParams({ pages: formatCursors(nextPage(this.cursors, endCursor)) });
  }

  previous(): void {
    this.#location.setParams({ pages: formatCursors(previousPage(this.cursors)) });
  }
}
