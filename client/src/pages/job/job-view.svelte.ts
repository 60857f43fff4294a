/**
 * What the job page shows, read from and written to the URL (`?period=&resolution=&sort=
 * &order=&filter=`), so that every view of a job is a link; plus the instant the period ends,
 * which moves forward when a new run arrives.
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
  compilePattern,
  nextSort,
  parseSort,
  type Pattern,
  type Sort,
  type SortKey,
} from './job.js';

export class JobView {
  readonly #location: AppLocation;
  #now = $state(new Date());
  readonly period: Period;
  readonly resolution: Resolution;
  readonly window: { since: string; until: string };
  /** Every bucket of the period, for charts that show empty ones. */
  readonly starts: Date[];
  readonly sort: Sort;
  readonly filter: string;
  readonly pattern: Pattern;

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
    this.pattern = $derived(compilePattern(this.filter));
  }

  setPeriod(period: string): void {
    // A resolution picked for another period rarely suits this one: back to its default.
    this.#location.setParams({ period, resolution: null });
  }

  setResolution(resolution: string): void {
    this.#location.setParams({ resolution });
  }

  sortBy(key: SortKey): void {
    const { key: sort, order } = nextSort(this.sort, key);
    this.#location.setParams({ sort, order });
  }

  setFilter(filter: string): void {
    this.#location.setParams({ filter });
  }

  /** Moves the period's end to now (a new run has arrived). */
  advance(): void {
    this.#now = new Date();
  }
}
