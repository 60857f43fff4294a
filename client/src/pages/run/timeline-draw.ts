/**
 * Drawing the timeline and its overview on a 2D canvas: only the bars inside the window, one
 * path per colour (a few fills per frame whatever the number of results), a time axis with a
 * few round ticks.
 */
import { STATUS_COLORS } from '../../lib/colors.js';
import {
  intersects,
  matcherOf,
  shownBy,
  timeTicks,
  visibleRange,
  type Bar,
  type Filter,
  type Layout,
  type TestStatus,
  type TimeWindow,
} from './timeline.js';

/** Bar colours: each at least 4.5:1 against white, as app.css's status colours. */
export const STATUS_COLOR: Record<TestStatus, string> = {
  SUCCESS: STATUS_COLORS.pass,
  FAIL: STATUS_COLORS.fail,
  SKIP: STATUS_COLORS.skip,
  XFAIL: '#1b6f7a',
  UXSUCCESS: '#7b2d8e',
  INCOMPLETE: '#5b6570',
};

export const STATUS_LABEL: Record<TestStatus, string> = {
  SUCCESS: 'success',
  FAIL: 'fail',
  SKIP: 'skip',
  XFAIL: 'expected failure',
  UXSUCCESS: 'unexpected success',
  INCOMPLETE: 'incomplete',
};

const TEXT = '#1d232b';
const MUTED = '#5b6570';
const STRIPE = '#f3f5f7';
const GRID = '#d5dbe1';
const FONT = '11px system-ui, -apple-system, "Segoe UI", sans-serif';
/** Alpha of shown results that do not match the search. */
const DIMMED = 0.18;

/**
 * Results that must never be lost among their passing neighbours: drawn over them and, when
 * the window makes them thinner, {@link MIN_FAILURE_WIDTH} pixels wide around their middle.
 */
const FAILING: ReadonlySet<TestStatus> = new Set(['FAIL', 'UXSUCCESS']);
export const MIN_FAILURE_WIDTH = 3;

/** A bar's `[x, width]` in pixels from its ends: a failure at least {@link MIN_FAILURE_WIDTH}. */
function barSpan(status: TestStatus, x0: number, x1: number): [number, number] {
  if (FAILING.has(status) && x1 - x0 < MIN_FAILURE_WIDTH) {
    return [Math.round((x0 + x1 - MIN_FAILURE_WIDTH) / 2), MIN_FAILURE_WIDTH];
  }
  return [x0, Math.max(1, x1 - x0)];
}

/** Where things are on the main canvas, in CSS pixels. */
export interface Geometry {
  width: number;
  height: number;
  /** The plot starts after the lane labels. */
  left: number;
  plotWidth: number;
  top: number;
  laneHeight: number;
  /** Bottom of the last lane; the axis is below. */
  lanesBottom: number;
}

export const GUTTER = 64;
const LANE_HEIGHT = 18;
const AXIS_HEIGHT = 22;
const TOP = 4;

export function geometryOf(width: number, lanes: number): Geometry {
  const lanesBottom = TOP + Math.max(1, lanes) * LANE_HEIGHT;
  return {
    width,
    height: lanesBottom + AXIS_HEIGHT,
    left: GUTTER,
    plotWidth: Math.max(1, width - GUTTER - 8),
    top: TOP,
    laneHeight: LANE_HEIGHT,
    lanesBottom,
  };
}

export function xOf(t: number, window: TimeWindow, geometry: Geometry): number {
  return geometry.left + ((t - window.from) / (window.to - window.from)) * geometry.plotWidth;
}

export function timeAt(x: number, window: TimeWindow, geometry: Geometry): number {
  return window.from + ((x - geometry.left) / geometry.plotWidth) * (window.to - window.from);
}

/** Sizes the canvas for the device's pixels; returns a context drawing in CSS pixels. */
export function prepare(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
): CanvasRenderingContext2D | null {
  const ratio = globalThis.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(width * ratio));
  const h = Math.max(1, Math.round(height * ratio));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d', { alpha: false });
  if (!ctx) return null;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  return ctx;
}

/** Paths of bar rectangles, one per colour and strength, filled at the end. */
class Batches {
  readonly #paths = new Map<string, Path2D>();

  add(status: TestStatus, dim: boolean, x: number, y: number, w: number, h: number): void {
    const key = `${status}${dim ? ':dim' : ''}`;
    let path = this.#paths.get(key);
    if (!path) this.#paths.set(key, (path = new Path2D()));
    path.rect(x, y, w, h);
  }

  /** Fills every path, failures last (over anything they touch). */
  fill(ctx: CanvasRenderingContext2D): void {
    const batches = [...this.#paths].map(([key, path]) => {
      const [status, dim] = key.split(':') as [TestStatus, string | undefined];
      return { status, dim, path };
    });
    batches.sort((a, b) => Number(FAILING.has(a.status)) - Number(FAILING.has(b.status)));
    for (const { status, dim, path } of batches) {
      ctx.globalAlpha = dim ? DIMMED : 1;
      ctx.fillStyle = STATUS_COLOR[status];
      ctx.fill(path);
    }
    ctx.globalAlpha = 1;
  }
}

export interface TimelineScene {
  layout: Layout;
  window: TimeWindow;
  filter: Filter;
  selected: Bar | null;
  hovered: Bar | null;
  geometry: Geometry;
}

/** Draws the lanes of the window; returns how many bars it drew. */
export function drawTimeline(ctx: CanvasRenderingContext2D, scene: TimelineScene): number {
  const { layout, window, filter, geometry: g } = scene;
  const shown = shownBy(filter);
  const matches = matcherOf(filter);
  const scale = g.plotWidth / (window.to - window.from);
  const right = g.left + g.plotWidth;
  ctx.font = FONT;
  ctx.textBaseline = 'middle';

  layout.lanes.forEach((lane, i) => {
    const y = g.top + i * g.laneHeight;
    if (i % 2 === 1) {
      ctx.fillStyle = STRIPE;
      ctx.fillRect(g.left, y, g.plotWidth, g.laneHeight);
    }
    ctx.fillStyle = MUTED;
    ctx.textAlign = 'right';
    ctx.fillText(lane.label, g.left - 6, y + g.laneHeight / 2);
  });

  const ticks = timeTicks(window, Math.max(2, Math.floor(g.plotWidth / 90)));
  ctx.fillStyle = GRID;
  for (const tick of ticks) {
    ctx.fillRect(Math.round(xOf(tick.t, window, g)), g.top, 1, g.lanesBottom - g.top);
  }

  const batches = new Batches();
  let drawn = 0;
  layout.lanes.forEach((lane, i) => {
    const y = g.top + i * g.laneHeight + 2;
    const h = g.laneHeight - 4;
    const [first, end] = visibleRange(lane, window);
    for (let b = first; b < end; b++) {
      const bar = lane.bars[b]!;
      if (!shown(bar)) continue;
      const x0 = Math.max(g.left, Math.round(g.left + (bar.start - window.from) * scale));
      const x1 = Math.min(right, Math.round(g.left + (bar.stop - window.from) * scale));
      if (x1 < g.left || x0 > right) continue;
      // At least a pixel wide; wide bars keep a pixel of gap to their neighbour.
      const [x, w] = barSpan(bar.status, x0, x1);
      batches.add(bar.status, !matches(bar), x, y, w >= 4 ? w - 1 : w, h);
      drawn++;
    }
  });
  batches.fill(ctx);

  outline(ctx, scene, scene.hovered, 1, MUTED);
  outline(ctx, scene, scene.selected, 2, TEXT);

  // The axis.
  ctx.fillStyle = GRID;
  ctx.fillRect(g.left, g.lanesBottom, g.plotWidth, 1);
  ctx.fillStyle = MUTED;
  ctx.textAlign = 'center';
  for (const tick of ticks) {
    const x = xOf(tick.t, window, g);
    ctx.fillRect(Math.round(x), g.lanesBottom, 1, 4);
    ctx.fillText(tick.label, Math.min(Math.max(x, g.left + 14), right - 14), g.lanesBottom + 13);
  }
  return drawn;
}

function outline(
  ctx: CanvasRenderingContext2D,
  scene: TimelineScene,
  bar: Bar | null,
  lineWidth: number,
  color: string,
): void {
  const { window, geometry: g } = scene;
  if (!bar || !intersects(bar, window)) return;
  const x0 = Math.max(g.left - 2, xOf(bar.start, window, g));
  const x1 = Math.min(g.left + g.plotWidth + 2, xOf(bar.stop, window, g));
  const y = g.top + bar.lane * g.laneHeight + 1;
  ctx.lineWidth = lineWidth;
  ctx.strokeStyle = color;
  ctx.strokeRect(
    Math.round(x0) - 1.5,
    y - 0.5,
    Math.max(1, Math.round(x1) - Math.round(x0)) + 3,
    g.laneHeight - 1,
  );
}

/** The whole run in a strip: every shown result, lanes squeezed to the strip's height. */
export function drawOverview(
  ctx: CanvasRenderingContext2D,
  layout: Layout,
  filter: Filter,
  width: number,
  height: number,
): void {
  const shown = shownBy(filter);
  const matches = matcherOf(filter);
  const plotWidth = Math.max(1, width - GUTTER - 8);
  const scale = plotWidth / layout.span;
  const laneHeight = (height - 4) / Math.max(1, layout.lanes.length);
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  ctx.fillStyle = MUTED;
  ctx.fillText('whole run', GUTTER - 6, height / 2);
  const batches = new Batches();
  layout.lanes.forEach((lane, i) => {
    const y = 2 + i * laneHeight;
    const h = Math.max(1, laneHeight - (laneHeight >= 4 ? 1 : 0));
    for (const bar of lane.bars) {
      if (!shown(bar)) continue;
      const [x, w] = barSpan(
        bar.status,
        Math.round(GUTTER + bar.start * scale),
        Math.round(GUTTER + bar.stop * scale),
      );
      batches.add(bar.status, !matches(bar), x, y, w, h);
    }
  });
  batches.fill(ctx);
}
