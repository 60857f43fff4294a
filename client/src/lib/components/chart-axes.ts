/**
 * What every chart's axes share: room sized to their labels (never clipped, never wasted) and,
 * on a time axis, labels, ticks and the legend's time in UTC and 24 h as every time on the
 * pages (`lib/format.ts`). `readableAxes` fills in what a chart's own options leave unset.
 */
import type uPlot from 'uplot';
import { formatTime, formatTimeTicks } from '../format.js';

/** uPlot's own axis font, named so that labels can be measured in it. */
export const AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const FONT_SIZE = 12;
/** uPlot's defaults: tick length, gap between tick and label, line height per font size. */
const TICK = 10;
const GAP = 5;
const LINE_GAP = 1.5;
/** Room around the widest label, so that antialiasing never touches the canvas' edge. */
const SLACK = 3;
/** Time ticks are spread wider than uPlot's 50 px: the first label carries a date and `UTC`. */
const TIME_SPACE = 80;

/** The width of `text` in CSS pixels when drawn in `font`. */
export type Measure = (text: string, font: string) => number;

export interface AxisRoom {
  /** A left or right axis: its labels' widths count; else their lines' heights. */
  vertical: boolean;
  tick: number;
  gap: number;
  font: string;
  fontSize: number;
}

/**
 * The size (px across the axis) that holds these labels whole: tick, gap, then the widest line
 * of any label (vertical axis) or as many lines as the tallest label has (horizontal).
 */
export function axisSize(labels: readonly string[], room: AxisRoom, measure: Measure): number {
  const lines = labels.map((label) => String(label).split('\n'));
  const across = room.vertical
    ? Math.max(0, ...lines.flat().map((line) => measure(line, room.font)))
    : Math.max(1, ...lines.map((l) => l.length)) * room.fontSize * LINE_GAP;
  return Math.ceil(room.tick + room.gap + across + SLACK);
}

/** The legend's time of a time series: `2026-11-22 15:09 UTC`. */
const legendTime = (_u: uPlot, value: number | null) =>
  value === null || value === undefined ? '–' : formatTime(new Date(value * 1000).toISOString());

const timeTicks: uPlot.Axis.DynamicValues = (_u, splits, _axis, _space, step) =>
  formatTimeTicks(splits, step);

/**
 * `options` with every axis sized to its labels (unless the chart fixed its size) and, when
 * the x scale is time (uPlot's default), UTC ticks and labels and the legend's time in UTC.
 * `sized` hears each axis' labels and size as they are laid out (what the page publishes).
 */
export function readableAxes(
  options: Partial<uPlot.Options>,
  tools: {
    measure: Measure;
    tzDate: (ts: number) => Date;
    sized?: (axis: number, labels: readonly string[], size: number) => void;
  },
): { options: Partial<uPlot.Options>; xSeries: uPlot.Series } {
  const time = options.scales?.x?.time !== false;
  const axes = (options.axes ?? [{}, {}]).map((axis, index): uPlot.Axis => {
    const side = axis.side ?? (index === 0 ? 2 : 3);
    const room: AxisRoom = {
      vertical: side % 2 === 1,
      tick: axis.ticks?.show === false ? 0 : (axis.ticks?.size ?? TICK),
      gap: axis.gap ?? GAP,
      font: axis.font ?? AXIS_FONT,
      fontSize: FONT_SIZE,
    };
    const isTime = time && (axis.scale ?? (index === 0 ? 'x' : 'y')) === 'x';
    const fixed = axis.size;
    const size: uPlot.Axis.Size = (self, values, axisIndex, cycle) => {
      const labels = (values ?? []).map(String);
      const computed =
        fixed === undefined
          ? axisSize(labels, room, tools.measure)
          : typeof fixed === 'number'
            ? fixed
            : fixed(self, values, axisIndex, cycle);
      if (values) tools.sized?.(axisIndex, labels, computed);
      return computed;
    };
    return {
      font: AXIS_FONT,
      ...(isTime ? { values: timeTicks, space: TIME_SPACE } : {}),
      ...axis,
      size,
    };
  });
  const scales = time && options.scales?.x?.range === undefined ? withTimeRange(options) : {};
  return {
    options: { ...(time ? { tzDate: tools.tzDate } : {}), ...options, ...scales, axes },
    xSeries: time ? { value: legendTime } : {},
  };
}

/**
 * A time x scale that spans its data, or an hour each side of a single instant (uPlot gives
 * one point 86,400,000 s of axis: a day in milliseconds, read as seconds).
 */
function withTimeRange(options: Partial<uPlot.Options>): Pick<uPlot.Options, 'scales'> {
  const range: uPlot.Range.Function = (u, min, max) => {
    const xs = u.data[0];
    const only = xs?.length === 1 ? xs[0] : null;
    return typeof only === 'number' ? [only - 3600, only + 3600] : [min, max];
  };
  return { scales: { ...options.scales, x: { ...options.scales?.x, range } } };
}
