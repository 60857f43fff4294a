/**
 * The home page's view state, all of it in the URL (`?group=&period=&resolution=&where=&job=`),
 * and the time window its queries cover, which moves forward when live runs arrive.
 */
import type { Client } from '@urql/core';
import { onRunIngested } from '../../lib/graphql/live.svelte.js';
import { useLocation } from '../../lib/location.svelte.js';
import { throttled } from '../../lib/throttle.svelte.js';
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
  DEFAULT_GROUP_KEY,
  formatWhere,
  parseWhere,
  withoutKey,
  type MetadataPair,
} from './home.js';

/** Create while a component initializes: it reads the app's location from the context. */
export class HomeView {
  #location = useLocation();
  /** The end of the window: now when the page opened, moved on by live updates. */
  #now = $state(Date.now());

  readonly group: string = $derived(this.#location.param('group') || DEFAULT_GROUP_KEY);
  readonly period: Period = $derived(parsePeriod(this.#location.param('period'), DEFAULT_PERIOD));
  readonly resolution: Resolution = $derived(
    parseResolution(this.#location.param('resolution'), defaultResolution(this.period)),
  );
  readonly where: MetadataPair[] = $derived(parseWhere(this.#location.param('where')));
  /** Text the job names must contain. */
  readonly jobName: string = $derived(this.#location.param('job'));

  readonly window: { since: string; until: string } = $derived(
    windowOf(this.period, new Date(this.#now)),
  );
  /** The runs the page is about: the window, narrowed by `where`. */
  readonly filter = $derived({
    ...this.window,
    ...(this.where.length > 0 ? { metadata: this.where } : {}),
  });

  setGroup(key: string): void {
    this.#location.setParams({ group: key === DEFAULT_GROUP_KEY ? null : key });
  }

  /** A new period brings back the resolution that suits it. */
  setPeriod(period: Period): void {
    this.#now = Date.now();
    this.#location.setParams({
      period: period === DEFAULT_PERIOD ? null : period,
      resolution: null,
    });
  }

  setResolution(resolution: Resolution): void {
    this.#location.setParams({
      resolution: resolution === defaultResolution(this.period) ? null : resolution,
    });
  }

  unfilter(key: string): void {
    this.#location.setParams({ where: formatWhere(withoutKey(this.where, key)) });
  }

  setJobName(text: string): void {
    this.#location.setParams({ job: text });
  }

  /**
   * Keeps the page live: every stored run moves the window's end to now and calls `refetch`,
   * at most once per few seconds however fast runs arrive. Call while a component initializes.
   */
  follow(client: Client, refetch: () => void): void {
    const refresh = throttled(() => {
      this.#now = Date.now();
      refetch();
    });
    // Any run can change the page: the newest run tells how fresh the data is.
    onRunIngested(client, () => null, refresh);
  }
}
