/**
 * The run timeline's geometry without a browser: lanes and the axis, the zoom window and its
 * URL form, what is visible, what the pointer is over, stepping through a worker, filters.
 */
import { describe, expect, it } from 'vitest';
import {
  barAt,
  clampWindow,
  countVisible,
  ensureVisible,
  findTest,
  formatOffset,
  formatStatuses,
  formatWindow,
  fullWindow,
  isFullWindow,
  layoutTimeline,
  matcherOf,
  panWindow,
  parseStatuses,
  parseWindow,
  refOf,
  shownBy,
  stepInLane,
  STATUSES,
  timeTicks,
  visibleRange,
  windowAround,
  zoomWindow,
  type Filter,
  type TestStatus,
} from '../../client/src/pages/run/timeline.js';
import type { TimelineInput, TimelineResult } from '../../client/src/documents/run.js';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

/** A result from `start` to `stop` seconds after T0. */
function result(
  seq: number,
  testId: string,
  start: number,
  stop: number,
  status: TestStatus = 'SUCCESS',
): TimelineResult {
  return { seq, testId, status, startTime: at(start), stopTime: at(stop), duration: stop - start };
}

/** Two workers: w0 runs a, b (fails), c back to back; w1 runs d, then skips e much later. */
const INPUT: TimelineInput = {
  start: at(0),
  stop: at(100),
  lanes: [
    {
      worker: 0,
      results: [
        result(0, 'pkg.A.test_a', 0, 10),
        result(2, 'pkg.A.test_b', 10, 30, 'FAIL'),
        result(4, 'pkg.B.test_c', 30, 31),
      ],
    },
    {
      worker: 1,
      results: [result(1, 'pkg.B.test_d', 1, 50), result(3, 'pkg.C.test_e', 90, 100, 'SKIP')],
    },
  ],
};

const ALL: Filter = { query: '', statuses: new Set(STATUSES) };

describe('the timeline layout', () => {
  const layout = layoutTimeline(INPUT);

  it('places results in seconds from the run start, one lane per worker', () => {
    expect(layout.origin).toBe(T0);
    expect(layout.span).toBe(100);
    expect(layout.count).toBe(5);
    expect(layout.lanes.map((l) => l.label)).toEqual(['w0', 'w1']);
    const b = layout.bySeq.get(2)!;
    expect([b.start, b.stop, b.lane, b.index, b.status]).toEqual([10, 30, 0, 1, 'FAIL']);
    expect(layout.lanes[1]!.bars.map((bar) => bar.seq)).toEqual([1, 3]);
  });

  it('sorts each lane by start and keeps the running reach of stops', () => {
    const shuffled = layoutTimeline({
      start: null,
      stop: null,
      lanes: [{ worker: null, results: [result(1, 'y', 5, 6), result(0, 'x', 0, 20)] }],
    });
    expect(shuffled.lanes[0]!.label).toBe('none');
    expect(shuffled.lanes[0]!.bars.map((b) => b.testId)).toEqual(['x', 'y']);
    expect([...shuffled.lanes[0]!.reach]).toEqual([20, 20]);
  });

  it('derives a missing start or stop from the duration, and counts results with no time', () => {
    const partial = layoutTimeline({
      start: at(0),
      stop: null,
      lanes: [
        {
          worker: 0,
          results: [
            {
              seq: 0,
              testId: 'a',
              status: 'SUCCESS',
              startTime: null,
              stopTime: at(5),
              duration: 2,
            },
            {
              seq: 1,
              testId: 'b',
              status: 'SUCCESS',
              startTime: at(6),
              stopTime: null,
              duration: 1,
            },
            {
              seq: 2,
              testId: 'c',
              status: 'INCOMPLETE',
              startTime: null,
              stopTime: null,
              duration: null,
            },
          ],
        },
      ],
    });
    expect(partial.lanes[0]!.bars.map((b) => [b.start, b.stop])).toEqual([
      [3, 5],
      [6, 7],
    ]);
    expect(partial.untimed).toBe(1);
    expect(partial.count).toBe(2);
  });

  it('gives an empty run a span, so that scales never divide by zero', () => {
    const empty = layoutTimeline({ start: null, stop: null, lanes: [] });
    expect(empty.span).toBeGreaterThan(0);
    expect(empty.count).toBe(0);
  });
});

describe('the zoom window', () => {
  const layout = layoutTimeline(INPUT);

  it('stays inside the run and at least a millisecond wide', () => {
    expect(clampWindow({ from: -10, to: 20 }, layout)).toEqual({ from: 0, to: 30 });
    expect(clampWindow({ from: 90, to: 120 }, layout)).toEqual({ from: 70, to: 100 });
    expect(clampWindow({ from: 5, to: 5 }, layout).to).toBeCloseTo(5.001, 9);
    expect(clampWindow({ from: -50, to: 500 }, layout)).toEqual(fullWindow(layout));
  });

  it('reads and writes its URL form; the whole run writes nothing', () => {
    expect(parseWindow('10', '20.5', layout)).toEqual({ from: 10, to: 20.5 });
    expect(parseWindow('', '', layout)).toEqual({ from: 0, to: 100 });
    expect(parseWindow('x', '20', layout)).toEqual({ from: 0, to: 100 });
    expect(parseWindow('30', '20', layout)).toEqual({ from: 0, to: 100 });
    expect(formatWindow({ from: 10.12345, to: 20 }, layout)).toEqual({ from: '10.123', to: '20' });
    expect(formatWindow(fullWindow(layout), layout)).toEqual({ from: null, to: null });
    expect(isFullWindow({ from: 0, to: 100 }, layout)).toBe(true);
    expect(isFullWindow({ from: 0, to: 99 }, layout)).toBe(false);
  });

  it('zooms around an anchor that stays in place, and pans without leaving the run', () => {
    expect(zoomWindow({ from: 0, to: 100 }, 0.5, 50, layout)).toEqual({ from: 25, to: 75 });
    expect(zoomWindow({ from: 0, to: 100 }, 0.5, 0, layout)).toEqual({ from: 0, to: 50 });
    expect(zoomWindow({ from: 20, to: 40 }, 10, 30, layout)).toEqual({ from: 0, to: 100 });
    expect(panWindow({ from: 20, to: 40 }, 10, layout)).toEqual({ from: 30, to: 50 });
    expect(panWindow({ from: 20, to: 40 }, 100, layout)).toEqual({ from: 80, to: 100 });
  });

  it('frames a test with room around it, and pans only when it is out of view', () => {
    const b = layout.bySeq.get(2)!; // 10…30
    const around = windowAround(b, layout);
    expect(around.from).toBeLessThan(10);
    expect(around.to).toBeGreaterThan(30);
    expect(around.to - around.from).toBe(100); // 5 × 20 s, the whole run
    const e = layout.bySeq.get(3)!; // 90…100
    const inView = { from: 0, to: 95 };
    expect(ensureVisible(inView, e, layout)).toBe(inView);
    const moved = ensureVisible({ from: 0, to: 20 }, e, layout);
    expect(moved.to - moved.from).toBe(20);
    expect(moved.from).toBeLessThanOrEqual(90);
    expect(moved.to).toBeGreaterThanOrEqual(90);
  });

  it('puts a few round ticks on the axis with readable labels', () => {
    const ticks = timeTicks({ from: 0, to: 100 }, 10);
    expect(ticks.map((t) => t.t)).toEqual([0, 15, 30, 45, 60, 75, 90]);
    expect(ticks.map((t) => t.label)).toEqual([
      '0 s',
      '15 s',
      '30 s',
      '45 s',
      '1:00',
      '1:15',
      '1:30',
    ]);
    expect(timeTicks({ from: 0.05, to: 0.3 }, 5).map((t) => t.label)).toEqual([
      '100 ms',
      '200 ms',
      '300 ms',
    ]);
    expect(timeTicks({ from: 0, to: 0 }, 5)).toEqual([]);
    expect(formatOffset(3725)).toBe('1:02:05');
    expect(formatOffset(2.5, 0.5)).toBe('2.5 s');
    // uPlot's quarter steps (the dstat lanes' axis) keep both decimals: not 1.3 s, 2.8 s.
    expect(formatOffset(1.25, 0.25)).toBe('1.25 s');
    expect(formatOffset(2.75, 0.25)).toBe('2.75 s');
  });
});

describe('what is visible, under the pointer, next', () => {
  const layout = layoutTimeline(INPUT);

  it('finds the bars of a lane that may intersect the window by binary search', () => {
    const w0 = layout.lanes[0]!;
    expect(visibleRange(w0, { from: 12, to: 20 })).toEqual([1, 2]);
    expect(visibleRange(w0, { from: 0, to: 100 })).toEqual([0, 3]);
    expect(visibleRange(w0, { from: 40, to: 60 })).toEqual([3, 3]);
    // d (1…50) spans the window although it started long before.
    expect(visibleRange(layout.lanes[1]!, { from: 40, to: 60 })).toEqual([0, 1]);
  });

  it('counts shown results in the window, and those matching the search', () => {
    expect(countVisible(layout, { from: 0, to: 100 }, ALL)).toEqual({ shown: 5, matching: 5 });
    expect(countVisible(layout, { from: 40, to: 60 }, ALL)).toEqual({ shown: 1, matching: 1 });
    const searching: Filter = { query: 'PKG.B', statuses: new Set(STATUSES) };
    expect(countVisible(layout, { from: 0, to: 100 }, searching)).toEqual({
      shown: 5,
      matching: 2,
    });
    const noSuccess: Filter = { query: '', statuses: new Set<TestStatus>(['FAIL', 'SKIP']) };
    expect(countVisible(layout, { from: 0, to: 100 }, noSuccess).shown).toBe(2);
  });

  it('hits the bar under the pointer, else the nearest within the tolerance', () => {
    expect(barAt(layout, 0, 15, 0)?.seq).toBe(2);
    expect(barAt(layout, 1, 60, 0)).toBeNull();
    expect(barAt(layout, 1, 88, 3)?.seq).toBe(3);
    expect(barAt(layout, 1, 70, 3)).toBeNull();
    expect(barAt(layout, 5, 10, 1)).toBeNull();
    // Hidden statuses are not hit.
    expect(barAt(layout, 0, 15, 0, (b) => b.status !== 'FAIL')).toBeNull();
  });

  it("steps through a worker's tests, skipping hidden ones", () => {
    const a = layout.bySeq.get(0)!;
    expect(stepInLane(layout, a, 1)?.seq).toBe(2);
    expect(stepInLane(layout, a, -1)).toBeNull();
    expect(stepInLane(layout, layout.bySeq.get(4)!, -1)?.seq).toBe(2);
    expect(stepInLane(layout, a, 1, (b) => b.status !== 'FAIL')?.seq).toBe(4);
    expect(stepInLane(layout, layout.bySeq.get(4)!, 1)).toBeNull();
  });
});

describe('filters and test references', () => {
  const layout = layoutTimeline(INPUT);

  it('reads statuses from the URL and writes nothing when all are on', () => {
    expect(parseStatuses('')).toEqual(new Set(STATUSES));
    expect(parseStatuses('fail,skip')).toEqual(new Set(['FAIL', 'SKIP']));
    expect(parseStatuses('none')).toEqual(new Set());
    expect(formatStatuses(new Set(STATUSES))).toBeNull();
    expect(formatStatuses(new Set<TestStatus>(['SKIP', 'FAIL']))).toBe('fail,skip');
    expect(parseStatuses(formatStatuses(new Set())!)).toEqual(new Set());
  });

  it('shows by status and matches the search without regard to case', () => {
    const b = layout.bySeq.get(2)!;
    expect(shownBy({ query: '', statuses: new Set(['FAIL']) })(b)).toBe(true);
    expect(shownBy({ query: '', statuses: new Set(['SUCCESS']) })(b)).toBe(false);
    expect(matcherOf({ query: ' a.TEST_B ', statuses: new Set() })(b)).toBe(true);
    expect(matcherOf({ query: 'test_c', statuses: new Set() })(b)).toBe(false);
  });

  it('names a test by its id when unique, else by its seq', () => {
    expect(findTest(layout, 'pkg.A.test_b')?.seq).toBe(2);
    expect(findTest(layout, '3')?.testId).toBe('pkg.C.test_e');
    expect(findTest(layout, 'nope')).toBeNull();
    expect(findTest(layout, '')).toBeNull();
    expect(refOf(layout, layout.bySeq.get(2)!)).toBe('pkg.A.test_b');
    const retried = layoutTimeline({
      start: at(0),
      stop: at(3),
      lanes: [{ worker: 0, results: [result(0, 'flaky', 0, 1, 'FAIL'), result(1, 'flaky', 1, 3)] }],
    });
    expect(refOf(retried, retried.bySeq.get(1)!)).toBe('1');
    expect(findTest(retried, '1')?.status).toBe('SUCCESS');
  });
});
