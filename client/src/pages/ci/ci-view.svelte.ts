/**
 * What the CI page shows, read from and written to the URL (`?period=&resolution=&sort=
 * &order=`), so that every view of a CI is a link.
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
import { nextSort } from '../../lib/test-list.js';
import {
  CI_PERIODS,
  CI_RESOLUTIONS,
  defaultJobOrder,
  parseJobSort,
  type JobSort,
  type JobSortKey,
} from './ci-page.js';

export class CiView {
  readonly #location: AppLocation;
  readonly period: Period;
  readonly resolution: Resolution;
  readonly window: { since: string; until: string };
  /** Every bucket of the window, for a chart that shows empty ones. */
  readonly starts: Date[];
  readonly sort: JobSort;

  constructor(location: AppLocation) {
    this.#location = location;
    this.period = $derived.by(() => {
      const period = parsePeriod(location.param('period'), DEFAULT_PERIOD);
      return (CI_PERIODS as readonly Period[]).includes(period) ? period : DEFAULT_PERIOD;
    });
    this.resolution = $derived.by(() => {
      const resolution = parseResolution(
        location.param('resolution'),
        defaultResolution(this.period),
      );
      return (CI_RESOLUTIONS as readonly Resolution[]).includes(resolution)
        ? resolution
        : defaultResolution(this.period);
    });
    this.window = $derived(windowOf(this.period));
    this.starts = $derived(
      bucketStarts(new Date(this.window.since), new Date(this.window.until), this.resolution),
    );
    this.sort = $derived(parseJobSort(location.param('sort'), location.param('order')));
  }

  setPeriod(period: string): void {
    // A resolution picked for another window rarely suits this one: back to its default.
    this.#location.setParams({ period, resolution: null });
  }

  setResolution(resolution: string): void {
    this.#location.setParams({ resolution });
  }

  sortBy(key: JobSortKey): void {
    const { key: sort, order } = nextSort(this.sort, key, defaultJobOrder);
    this.#location.setParams({ sort, order });
  }
}
