/**
 * What the job page shows, read from and written to the URL (`?period=&resolution=&sort=
 * &order=&filter=&match=&pages=`), so that every view of a job is a link; plus the instant the
 * period ends, which moves forward when a new run arrives.
 */
import { bucketStarts } from '../../lib/buckets.js';
import type { AppLocation } from '../../lib/location.svelte.js';
import {
  defaultResolution,
  DEFAULT_PERIOD,
  parsePeriod,
  parseResolution,
  windowOf,
  type Period,
  type Resolution,
} from '../../lib/period.js';
import {
  currentCursor,
  formatCursors,
  nextPage,
  parseCursors,
  previousPage,
} from '../../lib/cursors.js';
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

/** Tests per page of the tests table. */
export const TESTS_PAGE_SIZE = 100;

/** How long typing has to pause (ms) before the tests are searched. */
const SEARCH_DELAY_MS = 250;

export class JobView {
  readonly #location: AppLocation;
  #now = $state(new Date());
  /** What the filter box holds while typing, until it is committed to the URL. */
  #typed: string | null = $state(null);
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly period: Period;
  readonly resolution: Resolution;
  readonly window: { since: string; until: string };
  /** Every bucket of the period, for charts that show empty ones. */
  readonly starts: Date[];
  readonly sort: Sort;
  /** The search text, and how it matches test ids (`?match=`, contains by default). */
  readonly filter: string;
  /** The filter box's text. */
  readonly draft: string;
  readonly mode: SearchMode;
  readonly pattern: Pattern;
  /** The cursors of the tests table's pages before the one shown. */
  readonly cursors: string[];
  /** The variables of the tests table's query but the job and the window. */
  readonly testsQuery: {
    filter: ReturnType<typeof testFilter>;
    orderBy: ReturnType<typeof serverSort>['orderBy'];
    direction: ReturnType<typeof serverSort>['direction'];
    first: number;
    after: string | null;
  };

  constructor(location: AppLocation) {
    this.#location = location;
    this.period = $derived(parsePeriod(location.param('period'), DEFAULT_PERIOD));
    this.resolution = $derived(
      parseResolution(location.param('resolution'), defaultResolution(this.period)),
    );
    this.window = $derived(windowOf(this.period, this.#now));
    this.starts = $derived(
      bucketStarts(new Date(this.window.since), new Date(this.window.until), this.resolution),
    );
    this.sort = $derived(parseSort(location.param('sort'), location.param('order')));
    this.filter = $derived(location.param('filter'));
    this.draft = $derived(this.#typed ?? this.filter);
    this.mode = $derived(parseMode(location.param('match')));
    this.pattern = $derived(checkPattern(this.filter, this.mode));
    this.cursors = $derived(parseCursors(location.param('pages')));
    this.testsQuery = $derived({
      // An expression JavaScript cannot compile is not sent: the page says why instead.
      filter: this.pattern.ok ? testFilter(this.filter, this.mode) : null,
      ...serverSort(this.sort),
      first: TESTS_PAGE_SIZE,
      after: currentCursor(this.cursors),
    });
    $effect(() => () => clearTimeout(this.#timer));
  }

  setPeriod(period: string): void {
    // A resolution picked for another period rarely suits this one: back to its default.
    this.#location.setParams({ period, resolution: null });
  }

  setResolution(resolution: string): void {
    this.#location.setParams({ resolution });
  }

  /** Another order or search starts the table at its first page. */
  sortBy(key: SortKey): void {
    const { key: sort, order } = nextSort(this.sort, key);
    this.#location.setParams({ sort, order, pages: null });
  }

  /** The filter box's text changed: search for it once typing pauses. */
  type(text: string): void {
    this.#typed = text;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.setFilter(text), SEARCH_DELAY_MS);
  }

  setFilter(filter: string): void {
    clearTimeout(this.#timer);
    this.#typed = null;
    this.#location.setParams({ filter, pages: null });
  }

  setMode(mode: SearchMode): void {
    this.#location.setParams({ match: mode === 'contains' ? null : mode, pages: null });
  }

  nextTests(endCursor: string): void {
    this.#location.setParams({ pages: formatCursors(nextPage(this.cursors, endCursor)) });
  }

  previousTests(): void {
    this.#location.setParams({ pages: formatCursors(previousPage(this.cursors)) });
  }

  /** Moves the period's end to now (a new run has arrived). */
  advance(): void {
    this.#now = new Date();
  }
}
