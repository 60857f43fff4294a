/**
 * The live page's state: every Gerrit event and CI report the server announces, newest first
 * and bounded; while paused, new ones wait (counted) and join the list on resume. The filters
 * are in the URL (`?project=&ci=&type=`).
 */
import type { Client } from '@urql/core';
import { CI_REPORTED, GERRIT_EVENTS } from '../../documents/live.js';
import { onEvents } from '../../lib/graphql/live.svelte.js';
import { useLocation } from '../../lib/location.svelte.js';
import {
  entryOfEvent,
  entryOfReport,
  MAX_ENTRIES,
  matches,
  prepend,
  type LiveEntry,
  type LiveFilter,
} from './live.js';

/** Create while a component initializes: it subscribes, and stops with the component. */
export class LiveFeed {
  #location = useLocation();
  #entries: LiveEntry[] = $state.raw([]);
  #waiting: LiveEntry[] = $state.raw([]);
  #waitingCount = $state(0);
  #arrived = 0;
  paused = $state(false);

  readonly filter: LiveFilter = $derived({
    project: this.#location.param('project'),
    ci: this.#location.param('ci'),
    type: this.#location.param('type'),
  });
  readonly shown: LiveEntry[] = $derived(this.#entries.filter((e) => matches(e, this.filter)));

  constructor(client: Client) {
    onEvents(
      client,
      GERRIT_EVENTS,
      () => ({ project: null }),
      (data) => this.#add(entryOfEvent(data.gerritEvents, this.#arrived++)),
    );
    onEvents(
      client,
      CI_REPORTED,
      () => ({ project: null }),
      (data) => this.#add(entryOfReport(data.ciReports, this.#arrived++)),
    );
  }

  /** Every entry kept, shown or not (the filters' choices come from them). */
  get entries(): readonly LiveEntry[] {
    return this.#entries;
  }

  /** How many arrived while paused (the newest {@link MAX_ENTRIES} of them are kept). */
  get waiting(): number {
    return this.#waitingCount;
  }

  setFilter(changes: Partial<LiveFilter>): void {
    this.#location.setParams(changes);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.#entries = prepend(this.#entries, this.#waiting);
    this.#waiting = [];
    this.#waitingCount = 0;
    this.paused = false;
  }

  #add(entry: LiveEntry): void {
    if (this.paused) {
      this.#waiting = [...this.#waiting, entry].slice(-MAX_ENTRIES);
      this.#waitingCount++;
    } else this.#entries = prepend(this.#entries, [entry]);
  }
}
