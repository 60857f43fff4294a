/**
 * The run timeline's geometry, without the DOM: results laid out in one lane per worker on a
 * time axis of seconds from the run's start, the zoom window, what is visible in it, what the
 * pointer is over, stepping through a worker's tests, and search / status filtering.
 */
import { decimalsOf } from '../../lib/format.js';
import type { Scalar } from '../../lib/graphql/graphql.js';
import type { TimelineInput, TimelineResult } from '../../documents/run.js';

export type TestStatus = Scalar<'TestStatus'>;
/** Every status, in the order the page lists them. */
export const STATUSES = [
  'SUCCESS',
  'FAIL',
  'SKIP',
  'XFAIL',
  'UXSUCCESS',
  'INCOMPLETE',
] as const satisfies readonly TestStatus[];

/** A result placed on the axis: `start`/`stop` in seconds from the run's start. */
export interface Bar {
  seq: number;
  testId: string;
  status: TestStatus;
  start: number;
  stop: number;
  duration: number | null;
  /** Index of its lane in `Layout.lanes`, and its index in that lane. */
  lane: number;
  index: number;
}

export interface Lane {
  worker: number | null;
  label: string;
  /** By start time. */
  bars: Bar[];
  /** `reach[i]`: the latest stop among bars 0…i (never decreasing, so it can be searched). */
  reach: Float64Array;
}

export interface Layout {
  /** Epoch milliseconds of second 0. */
  origin: number;
  /** Seconds from the first start to the last stop (never 0). */
  span: number;
  lanes: Lane[];
  bySeq: Map<number, Bar>;
  /** Results drawn. */
  count: number;
  /** Results without any time: not drawn. */
  untimed: number;
  /** How many results carry each test id (retries carry one several times). */
  idCount: Map<string, number>;
}

/** A zoom window, seconds from the run's start. */
export interface TimeWindow {
  from: number;
  to: number;
}

/** The narrowest window: a millisecond. */
export const MIN_WINDOW = 0.001;

export function layoutTimeline(input: TimelineInput): Layout {
  const times: { result: TimelineResult; begin: number; end: number }[][] = [];
  let first = Infinity;
  let last = -Infinity;
  let untimed = 0;
  for (const lane of input.lanes) {
    const placed = [];
    for (const result of lane.results) {
      const start = result.startTime === null ? NaN : Date.parse(result.startTime);
      const stop = result.stopTime === null ? NaN : Date.parse(result.stopTime);
      const length = (result.duration ?? 0) * 1000;
      const begin = Number.isNaN(start) ? stop - length : start;
      const end = Number.isNaN(stop) ? start + length : stop;
      if (Number.isNaN(begin) || Number.isNaN(end)) {
        untimed++;
        continue;
      }
      placed.push({ result, begin, end: Math.max(begin, end) });
      first = Math.min(first, begin);
      last = Math.max(last, end);
    }
    times.push(placed);
  }
  const declared = input.start === null ? NaN : Date.parse(input.start);
  const origin = Number.isNaN(declared) ? (Number.isFinite(first) ? first : 0) : declared;
  const end = Number.isFinite(last) ? last : origin;
  const layout: Layout = {
    origin,
    span: Math.max(MIN_WINDOW, (end - origin) / 1000),
    lanes: [],
    bySeq: new Map(),
    count: 0,
    untimed,
    idCount: new Map(),
  };
  input.lanes.forEach((lane, laneIndex) => {
    const placed = times[laneIndex]!.sort(
      (a, b) => a.begin - b.begin || a.result.seq - b.result.seq,
    );
    const bars = placed.map(({ result, begin, end }, index): Bar => {
      const bar = {
        seq: result.seq,
        testId: result.testId,
        status: result.status,
        start: (begin - origin) / 1000,
        stop: (end - origin) / 1000,
        duration: result.duration,
        lane: laneIndex,
        index,
      };
      layout.bySeq.set(bar.seq, bar);
      layout.idCount.set(bar.testId, (layout.idCount.get(bar.testId) ?? 0) + 1);
      return bar;
    });
    const reach = new Float64Array(bars.length);
    bars.forEach((bar, i) => (reach[i] = Math.max(bar.stop, i > 0 ? reach[i - 1]! : -Infinity)));
    layout.lanes.push({ worker: lane.worker, label: laneLabel(lane.worker), bars, reach });
    layout.count += bars.length;
  });
  return layout;
}

function laneLabel(worker: number | null): string {
  return worker === null ? 'none' : `w${worker}`;
}

export function fullWindow(layout: Layout): TimeWindow {
  return { from: 0, to: layout.span };
}

/** The window kept inside the run and at least {@link MIN_WINDOW} wide. */
export function clampWindow(window: TimeWindow, layout: Layout): TimeWindow {
  const width = Math.min(layout.span, Math.max(MIN_WINDOW, window.to - window.from));
  const from = Math.min(Math.max(0, window.from), layout.span - width);
  return { from, to: from + width };
}

export function isFullWindow(window: TimeWindow, layout: Layout): boolean {
  return window.from <= 0 && window.to >= layout.span;
}

/** The window of the URL's `from`/`to`; the whole run when absent or unreadable. */
export function parseWindow(from: string, to: string, layout: Layout): TimeWindow {
  const a = from === '' ? NaN : Number(from);
  const b = to === '' ? NaN : Number(to);
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= a) return fullWindow(layout);
  return clampWindow({ from: a, to: b }, layout);
}

/** `from`/`to` as the URL keeps them (ms precision); nothing for the whole run. */
export function formatWindow(
  window: TimeWindow,
  layout: Layout,
): { from: string | null; to: string | null } {
  if (isFullWindow(window, layout)) return { from: null, to: null };
  return { from: trim(window.from), to: trim(window.to) };
}

function trim(seconds: number): string {
  return String(Math.round(seconds * 1000) / 1000);
}

/** Zoomed by `factor` (< 1 zooms in) around `anchor`, which stays where it is on screen. */
export function zoomWindow(
  window: TimeWindow,
  factor: number,
  anchor: number,
  layout: Layout,
): TimeWindow {
  const width = Math.min(layout.span, Math.max(MIN_WINDOW, (window.to - window.from) * factor));
  const share = (anchor - window.from) / (window.to - window.from);
  const from = anchor - share * width;
  return clampWindow({ from, to: from + width }, layout);
}

/** Moved by `delta` seconds, same width, kept inside the run. */
export function panWindow(window: TimeWindow, delta: number, layout: Layout): TimeWindow {
  return clampWindow({ from: window.from + delta, to: window.to + delta }, layout);
}

/** A window that shows `bar` with room around it: the view a link to one test opens. */
export function windowAround(bar: Bar, layout: Layout): TimeWindow {
  const width = Math.max((bar.stop - bar.start) * 5, layout.span / 20, MIN_WINDOW);
  const middle = (bar.start + bar.stop) / 2;
  return clampWindow({ from: middle - width / 2, to: middle + width / 2 }, layout);
}

/** The window, panned (same width) only if needed so that `bar` starts inside it. */
export function ensureVisible(window: TimeWindow, bar: Bar, layout: Layout): TimeWindow {
  if (bar.stop >= window.from && bar.start <= window.to) return window;
  const width = window.to - window.from;
  const from = bar.start < window.from ? bar.start - width * 0.1 : bar.stop - width * 0.9;
  return clampWindow({ from, to: from + width }, layout);
}

/** Indexes `[first, end)` of the lane's bars that may intersect the window. */
export function visibleRange(lane: Lane, window: TimeWindow): [number, number] {
  // First bar whose running reach passes `from`; bars before it all stop earlier.
  let lo = 0;
  let hi = lane.bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lane.reach[mid]! < window.from) lo = mid + 1;
    else hi = mid;
  }
  const first = lo;
  // First bar starting after `to`.
  hi = lane.bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lane.bars[mid]!.start <= window.to) lo = mid + 1;
    else hi = mid;
  }
  return [first, lo];
}

export function intersects(bar: Bar, window: TimeWindow): boolean {
  return bar.stop >= window.from && bar.start <= window.to;
}

/**
 * The bar of a lane under time `t`, or else the nearest one within `tolerance` seconds (tiny
 * tests are narrower than a pixel), among the bars `shown` accepts.
 */
export function barAt(
  layout: Layout,
  laneIndex: number,
  t: number,
  tolerance: number,
  shown: (bar: Bar) => boolean = () => true,
): Bar | null {
  const lane = layout.lanes[laneIndex];
  if (!lane) return null;
  const [first, end] = visibleRange(lane, { from: t - tolerance, to: t + tolerance });
  let best: Bar | null = null;
  let bestDistance = Infinity;
  for (let i = first; i < end; i++) {
    const bar = lane.bars[i]!;
    if (!shown(bar)) continue;
    const distance = t < bar.start ? bar.start - t : t > bar.stop ? t - bar.stop : 0;
    if (distance <= tolerance && distance < bestDistance) {
      best = bar;
      bestDistance = distance;
    }
  }
  return best;
}

/** The previous (-1) or next (+1) bar of the same worker that `shown` accepts, if any. */
export function stepInLane(
  layout: Layout,
  bar: Bar,
  direction: -1 | 1,
  shown: (bar: Bar) => boolean = () => true,
): Bar | null {
  const bars = layout.lanes[bar.lane]!.bars;
  for (let i = bar.index + direction; i >= 0 && i < bars.length; i += direction) {
    if (shown(bars[i]!)) return bars[i]!;
  }
  return null;
}

/** What the search box and the status toggles ask for. */
export interface Filter {
  /** Case-insensitive substring of the test id; '' matches everything. */
  query: string;
  statuses: ReadonlySet<TestStatus>;
}

/** The `status` URL parameter (comma-separated, lower case); '' or nothing valid → all. */
export function parseStatuses(param: string): Set<TestStatus> {
  const wanted = param
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s): s is TestStatus => (STATUSES as readonly string[]).includes(s));
  return new Set(param === '' ? STATUSES : wanted);
}

/** The `status` parameter of a set of statuses: nothing when all are on. */
export function formatStatuses(statuses: ReadonlySet<TestStatus>): string | null {
  if (STATUSES.every((s) => statuses.has(s))) return null;
  const on = STATUSES.filter((s) => statuses.has(s));
  // An empty set would read back as "all": `none` is not a status, so it reads back as none.
  return on.length === 0 ? 'none' : on.map((s) => s.toLowerCase()).join(',');
}

/** Shown at all: its status is toggled on. */
export function shownBy(filter: Filter): (bar: Bar) => boolean {
  return (bar) => filter.statuses.has(bar.status);
}

/** Matches the search (drawn at full strength; shown results that do not are dimmed). */
export function matcherOf(filter: Filter): (bar: Bar) => boolean {
  const query = filter.query.trim().toLowerCase();
  if (query === '') return () => true;
  return (bar) => bar.testId.toLowerCase().includes(query);
}

/** Shown results intersecting the window, and how many of them match the search. */
export function countVisible(
  layout: Layout,
  window: TimeWindow,
  filter: Filter,
): { shown: number; matching: number } {
  const shown = shownBy(filter);
  const matches = matcherOf(filter);
  let count = 0;
  let matching = 0;
  for (const lane of layout.lanes) {
    const [first, end] = visibleRange(lane, window);
    for (let i = first; i < end; i++) {
      const bar = lane.bars[i]!;
      if (!intersects(bar, window) || !shown(bar)) continue;
      count++;
      if (matches(bar)) matching++;
    }
  }
  return { shown: count, matching };
}

/** The bar a `?test=` value names: a test id, else a result's `seq`. */
export function findTest(layout: Layout, ref: string): Bar | null {
  if (ref === '') return null;
  for (const lane of layout.lanes) {
    for (const bar of lane.bars) if (bar.testId === ref) return bar;
  }
  return /^\d+$/.test(ref) ? (layout.bySeq.get(Number(ref)) ?? null) : null;
}

/** The `?test=` value of a bar: its test id when that names it alone, else its seq. */
export function refOf(layout: Layout, bar: Bar): string {
  const unique = layout.idCount.get(bar.testId) === 1 && !/^\d+$/.test(bar.testId);
  return unique ? bar.testId : String(bar.seq);
}

/** Round steps for ticks, seconds. */
const STEPS = [
  0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900,
  1800, 3600, 7200, 10800, 21600, 43200, 86400,
];

/** At most `max` round instants in the window, each with its label. */
export function timeTicks(window: TimeWindow, max: number): { t: number; label: string }[] {
  const width = window.to - window.from;
  if (!(width > 0) || max < 1) return [];
  // n ticks span at least (n - 1) steps.
  const fits = (s: number) => width / s <= Math.max(1, max - 1);
  const step = STEPS.find(fits) ?? Math.ceil(width / Math.max(1, max - 1) / 86400) * 86400;
  const ticks = [];
  const first = Math.ceil(window.from / step - 1e-9) || 0; // never -0
  for (let k = first; k * step <= window.to + 1e-9; k++) {
    ticks.push({ t: k * step, label: formatOffset(k * step, step) });
  }
  return ticks;
}

/** Seconds from the run's start as `850 ms`, `12.5 s`, `4:05`, `1:02:00`. */
export function formatOffset(seconds: number, step = 1): string {
  const rounded = Math.round(seconds / step) * step;
  if (step < 1 && rounded < 1) return `${Math.round(rounded * 1000)} ms`;
  if (rounded < 60) {
    const digits = step >= 1 ? 0 : decimalsOf(step);
    return `${rounded.toFixed(digits)} s`;
  }
  const whole = Math.round(rounded);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
