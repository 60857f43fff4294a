/**
 * The run page's view state, kept in the URL so that every view is a link: the selected test
 * (`test`), the zoom window (`from`/`to`, seconds from the run's start), the search (`q`), the
 * statuses shown (`status`), the attachment tab (`tab`) and the log level (`level`).
 *
 * While the brush is dragged or the wheel turns, the window lives in a draft: the URL is
 * written once the gesture ends (browsers throttle history updates made on every frame).
 */
import type { AppLocation } from '../../lib/location.svelte.js';
import { hrefOf } from '../../lib/route.js';
import { parseLevel, type Level } from './pythonlogging.js';
import {
  findTest,
  formatStatuses,
  formatWindow,
  parseStatuses,
  parseWindow,
  refOf,
  type Bar,
  type Filter,
  type Layout,
  type TestStatus,
  type TimeWindow,
} from './timeline.js';

/** Every parameter of the view, for links that change some and keep the others. */
const PARAMS = ['test', 'from', 'to', 'q', 'status', 'tab', 'level'] as const;

export class RunView {
  readonly #location: AppLocation;
  readonly #id: string;
  #draft: TimeWindow | null = $state.raw(null);
  #commitTimer: ReturnType<typeof setTimeout> | undefined;

  readonly filter: Filter = $derived({
    query: this.#param('q'),
    statuses: parseStatuses(this.#param('status')),
  });
  readonly testRef: string = $derived(this.#param('test'));
  readonly tab: string = $derived(this.#param('tab'));
  readonly level: Level = $derived(parseLevel(this.#param('level')));

  constructor(location: AppLocation, id: string) {
    this.#location = location;
    this.#id = id;
  }

  #param(name: string): string {
    return this.#location.param(name);
  }

  /** The zoom window: the draft while a gesture runs, else the URL's. */
  window(layout: Layout): TimeWindow {
    return this.#draft ?? parseWindow(this.#param('from'), this.#param('to'), layout);
  }

  /** Shows a window now; the URL follows after `settle` ms without another change. */
  preview(window: TimeWindow, layout: Layout, settle = 250): void {
    this.#draft = window;
    clearTimeout(this.#commitTimer);
    this.#commitTimer = setTimeout(() => this.setWindow(window, layout), settle);
  }

  setWindow(window: TimeWindow, layout: Layout): void {
    clearTimeout(this.#commitTimer);
    this.#location.setParams(formatWindow(window, layout));
    this.#draft = null;
  }

  selected(layout: Layout): Bar | null {
    return findTest(layout, this.testRef);
  }

  /** Selects a result (its first attachment tab), optionally moving the window with it. */
  select(bar: Bar | null, layout: Layout, window?: TimeWindow): void {
    clearTimeout(this.#commitTimer);
    this.#draft = null;
    this.#location.setParams({
      test: bar ? refOf(layout, bar) : null,
      tab: null,
      ...(window ? formatWindow(window, layout) : {}),
    });
  }

  setQuery(query: string): void {
    this.#location.setParams({ q: query });
  }

  setStatuses(statuses: ReadonlySet<TestStatus>): void {
    this.#location.setParams({ status: formatStatuses(statuses) });
  }

  setTab(tab: string): void {
    this.#location.setParams({ tab });
  }

  setLevel(level: Level): void {
    this.#location.setParams({ level: level === 'DEBUG' ? null : level });
  }

  /** This view with some parameters changed (a link to another test of the run). */
  hrefWith(changes: Partial<Record<(typeof PARAMS)[number], string | null>>): string {
    const params: Record<string, string | null> = {};
    for (const name of PARAMS) params[name] = this.#param(name);
    return hrefOf({ page: 'run', id: this.#id }, { ...params, ...changes });
  }

  dispose(): void {
    clearTimeout(this.#commitTimer);
  }
}
