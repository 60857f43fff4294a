/**
 * What the test page shows, read from and written to the URL (`?period=`), and the instant
 * the period ends, which moves forward when a new run arrives.
 */
import { bucketStarts } from '../../lib/buckets.js';
import type { AppLocation } from '../../lib/location.svelte.js';
import { DEFAULT_PERIOD, parsePeriod, windowOf, type Period } from '../../lib/period.js';

export class TestView {
  readonly #location: AppLocation;
  #now = $state(new Date());
  readonly period: Period;
  readonly window: { since: string; until: string };
  /** Every day of the period, for the daily chart. */
  readonly days: Date[];

  constructor(location: AppLocation) {
    this.#location = location;
    this.period = $derived(parsePeriod(location.param('period'), DEFAULT_PERIOD));
    this.window = $derived(windowOf(this.period, this.#now));
    this.days = $derived(
      bucketStarts(new Date(this.window.since), new Date(this.window.until), 'DAY'),
    );
  }

  setPeriod(period: string): void {
    this.#location.setParams({ period });
  }

  /** Moves the period's end to now (a new run has arrived). */
  advance(): void {
    this.#now = new Date();
  }
}
