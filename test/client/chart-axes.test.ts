/** Chart axes: room sized to their labels, and time axes in UTC and 24 h. */
import type uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import {
  AXIS_FONT,
  axisSize,
  readableAxes,
  type Measure,
} from '../../client/src/lib/components/chart-axes.js';

/** A monospaced stand-in for the canvas: 7 px a character, whatever the font. */
const measure: Measure = (text) => text.length * 7;
const tzDate = (ts: number) => new Date(ts * 1000);
const room = { tick: 10, gap: 5, font: AXIS_FONT, fontSize: 12 };

/** Calls an axis' size as uPlot does once the labels are known. */
function sizeOf(axis: uPlot.Axis, labels: string[], index: number): number {
  const size = axis.size as Exclude<uPlot.Axis.Size, number>;
  return size({} as uPlot, labels, index, 1);
}

describe('chart axes', () => {
  it('make a vertical axis as wide as its widest label, tick and gap', () => {
    // "10,000" and "0.0015 s" were clipped by uPlot's fixed 50 px.
    expect(axisSize(['0', '5,000', '10,000'], { ...room, vertical: true }, measure)).toBe(
      10 + 5 + 6 * 7 + 3,
    );
    expect(axisSize(['1.5 ms'], { ...room, vertical: true }, measure)).toBe(10 + 5 + 42 + 3);
    // Each line of a label on its own.
    expect(axisSize(['12:00\n2026-05-13 UTC'], { ...room, vertical: true }, measure)).toBe(
      10 + 5 + 14 * 7 + 3,
    );
  });

  it('make a horizontal axis as tall as its labels have lines', () => {
    expect(axisSize(['12:00', '14:00'], { ...room, vertical: false }, measure)).toBe(
      10 + 5 + 18 + 3,
    );
    expect(
      axisSize(['12:00\n2026-05-13 UTC', '14:00'], { ...room, vertical: false }, measure),
    ).toBe(10 + 5 + 36 + 3);
  });

  it('size every axis a chart leaves unsized, and keep a size it fixed', () => {
    const heard: [number, string[], number][] = [];
    const { options } = readableAxes(
      { axes: [{}, { size: 64 }, { side: 1, scale: 'y2' }] },
      { measure, tzDate, sized: (axis, labels, size) => heard.push([axis, [...labels], size]) },
    );
    const axes = options.axes!;
    expect(sizeOf(axes[0]!, ['12:00'], 0)).toBe(36);
    expect(sizeOf(axes[1]!, ['100,000,000'], 1)).toBe(64);
    expect(sizeOf(axes[2]!, ['10,000'], 2)).toBe(60);
    expect(heard).toEqual([
      [0, ['12:00'], 36],
      [1, ['100,000,000'], 64],
      [2, ['10,000'], 60],
    ]);
  });

  it('put a time x axis and the legend in UTC, 24 h', () => {
    const { options, xSeries } = readableAxes({}, { measure, tzDate });
    expect(options.tzDate).toBe(tzDate);
    const values = options.axes![0]!.values as uPlot.Axis.DynamicValues;
    const at = Date.parse('2026-05-13T13:00:00Z') / 1000;
    expect(values({} as uPlot, [at, at + 3600], 0, 80, 3600)).toEqual([
      '13:00\n2026-05-13 UTC',
      '14:00',
    ]);
    const legend = xSeries.value as (u: uPlot, v: number | null) => string;
    expect(legend({} as uPlot, at)).toBe('2026-05-13 13:00 UTC');
    expect(legend({} as uPlot, null)).toBe('–');
  });

  it('give a single instant an hour each side, and keep a range a chart set', () => {
    const { options } = readableAxes({ scales: { y: { range: [0, 1] } } }, { measure, tzDate });
    const range = options.scales!.x!.range as uPlot.Range.Function;
    const plot = (xs: number[]) => ({ data: [xs] }) as unknown as uPlot;
    expect(range(plot([7200]), 7200, 7200 + 86_400_000, 'x')).toEqual([3600, 10800]);
    expect(range(plot([0, 7200]), 0, 7200, 'x')).toEqual([0, 7200]);
    expect(range(plot([]), null!, null!, 'x')).toEqual([null, null]);
    expect(options.scales!.y!.range).toEqual([0, 1]);
    const own: uPlot.Range.MinMax = [1, 2];
    const kept = readableAxes({ scales: { x: { range: own } } }, { measure, tzDate }).options;
    expect(kept.scales!.x!.range).toBe(own);
  });

  it('leave the x axis of a chart that is not over time as it is', () => {
    const ticks = () => ['a'];
    const { options, xSeries } = readableAxes(
      { scales: { x: { time: false } }, axes: [{ values: ticks }, {}] },
      { measure, tzDate },
    );
    expect(options.tzDate).toBeUndefined();
    expect(options.axes![0]!.values).toBe(ticks);
    expect(xSeries).toEqual({});
  });
});
