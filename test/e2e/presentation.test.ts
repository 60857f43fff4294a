/**
 * How the dashboard's numbers, times and layout read (issue 15), in Debian's Chromium against
 * a real server: a run of 12,000 results (one of 412 µs, one failure of 300 µs amid them) made
 * three hours before the pinned instant, a short run inside a real dstat recording, and an
 * empty server. Durations under a millisecond in µs, axes wide enough for their labels, times
 * in UTC and 24 h, one default period, dstat lanes with units and zero-based scales, the
 * selected test's details beside the timeline (stacked on a phone), the metadata open, a short
 * failure visible on the whole-run timeline, and empty pages that say how to add runs.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect } from 'vitest';
import { AXIS_FONT } from '../../client/src/lib/components/chart-axes.js';
import { encodeEvent } from '../../workers/subunit/encode.js';
import type { SubunitEvent } from '../../workers/subunit/types.js';
import {
  accessibilityViolations,
  browserIt,
  horizontalOverflow,
  openDashboard,
  PINNED_NOW,
} from '../helpers/browser.js';
import { backends } from '../helpers/databases.js';
import { FIXTURES, startServer, type TestServer } from '../helpers/server.js';

const JOB = 'look-job';
const MICRO = 'look.unit.test_micro';
const SHORT_FAILURE = 'look.unit.test_short_failure';
const DSTAT = 'dstat/dstat-0.8.0-debian.csv';
const FAIL_RGB: [number, number, number] = [0xb3, 0x26, 0x1e];
/** timeline-draw.ts' MIN_FAILURE_WIDTH (that module needs the DOM's types to compile). */
const MIN_FAILURE_WIDTH = 3;

/** A result: test id, status, microseconds it took, traceback. */
type Timed = [testId: string, status: 'success' | 'fail', micros: number, traceback?: string];

/** Results back to back on one worker from `at`, timed to the microsecond. */
function streamOf(at: Date, results: readonly Timed[]): Buffer {
  let micros = at.getTime() * 1000;
  const stamp = (us: number) => ({
    seconds: Math.floor(us / 1e6),
    nanos: (us % 1e6) * 1000,
  });
  const packets: Buffer[] = [];
  for (const [testId, status, took, traceback] of results) {
    packets.push(
      ...encodeEvent({ testId, status: 'inprogress', timestamp: stamp(micros), runnable: true }),
    );
    micros += took;
    const final: SubunitEvent = {
      testId,
      status,
      timestamp: stamp(micros),
      tags: ['worker-0'],
      runnable: true,
    };
    if (traceback !== undefined) {
      final.mime = 'text/x-traceback; charset=utf8';
      final.file = { name: 'traceback', bytes: Buffer.from(traceback), eof: true };
    }
    packets.push(...encodeEvent(final));
  }
  return Buffer.concat(packets);
}

/** 12,000 results of 100 ms, one of 412 µs near the start, one failure of 300 µs mid-run. */
function bigResults(): Timed[] {
  const results: Timed[] = [];
  for (let i = 0; i < 12_000; i++) {
    if (i === 10) results.push([MICRO, 'success', 412]);
    else if (i === 6000) results.push([SHORT_FAILURE, 'fail', 300, 'AssertionError: short\n']);
    else results.push([`look.unit.test_${String(i).padStart(5, '0')}`, 'success', 100_000]);
  }
  return results;
}

/** What a chart publishes of its axes (see Chart.svelte). */
interface ChartAxes {
  caption: string;
  labels: string[][];
  sizes: number[];
}

async function chartAxes(page: Page, scope = 'figure.chart'): Promise<ChartAxes[]> {
  return page.locator(scope).evaluateAll((figures) =>
    figures.map((figure) => {
      const plot = figure.querySelector('[data-axis-0-size]')!;
      const labels: string[][] = [];
      const sizes: number[] = [];
      for (let i = 0; plot.hasAttribute(`data-axis-${i}-size`); i++) {
        labels.push((plot.getAttribute(`data-axis-${i}-labels`) ?? '').split('|'));
        sizes.push(Number(plot.getAttribute(`data-axis-${i}-size`)));
      }
      return { caption: figure.querySelector('figcaption')!.textContent ?? '', labels, sizes };
    }),
  );
}

/** The widest line of some labels in the axes' font, measured by the page's own canvas. */
async function widest(page: Page, labels: string[]): Promise<number> {
  return page.evaluate(
    ([font, lines]) => {
      // Runs in the page: the tests compile without the DOM's types.
      const doc = (globalThis as unknown as { document: { createElement(t: 'canvas'): unknown } })
        .document;
      const ctx = (
        doc.createElement('canvas') as {
          getContext(k: '2d'): { font: string; measureText(t: string): { width: number } };
        }
      ).getContext('2d');
      ctx.font = font;
      return Math.max(0, ...lines.map((line) => ctx.measureText(line).width));
    },
    [AXIS_FONT, labels.flatMap((l) => l.split('\n'))] as const,
  );
}

/** Pixels with any ink in the two leftmost columns of each chart's canvas (clipped labels). */
async function inkAtLeftEdge(page: Page): Promise<number[]> {
  return page.locator('figure.chart canvas').evaluateAll((canvases) =>
    canvases.map((el) => {
      const canvas = el as unknown as {
        height: number;
        getContext(k: '2d'): {
          getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
        };
      };
      const data = canvas.getContext('2d').getImageData(0, 0, 2, canvas.height).data;
      let ink = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) ink++;
      return ink;
    }),
  );
}

describe('how the dashboard reads', () => {
  let server: TestServer;
  let big: string;
  let inside: string;

  beforeAll(async () => {
    server = await startServer(backends[0]!);
    big = (
      await server.app.services.ingest.ingest({
        name: 'look-12000.subunit',
        source: Readable.from([
          streamOf(new Date(PINNED_NOW.getTime() - 3 * 3_600_000), bigResults()),
        ]),
        metadata: { build_name: JOB, project: 'openstack/look', node_provider: 'e2e-cloud' },
      })
    ).run;
    // Inside the dstat recording's five seconds, as in run.test.ts.
    inside = (
      await server.app.services.ingest.ingest({
        name: 'look-dstat.subunit',
        source: Readable.from([
          streamOf(new Date('2026-11-22T13:48:29.500Z'), [
            ['look.dstat.test_one', 'success', 1_000_000],
            ['look.dstat.test_two', 'fail', 1_500_000, 'AssertionError: boom\n'],
            ['look.dstat.test_three', 'success', 1_000_000],
          ]),
        ]),
        metadata: { build_name: 'look-dstat' },
        dstat: { name: DSTAT, source: createReadStream(`${FIXTURES}${DSTAT}`) },
      })
    ).run;
  });

  browserIt('shows durations under a millisecond in µs', async () => {
    const browser = await openDashboard(server.url, { width: 1400, height: 900 });
    try {
      const { page } = browser;
      await page.goto(`${server.url}/tests/${encodeURIComponent(MICRO)}`);
      await expect
        .poll(() => page.getByRole('definition').filter({ hasText: '412 µs' }).count())
        .toBeGreaterThan(0);
      await page.goto(`${server.url}/runs/${big}?test=${encodeURIComponent(MICRO)}`);
      const details = page.locator('section.details');
      await expect.poll(() => details.locator('h2').textContent()).toContain(MICRO);
      await expect.poll(() => details.textContent()).toContain('412 µs');
      expect(await details.textContent()).not.toContain('0 ms');
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('sizes chart axes to their labels and reads times in UTC, 24 h', async () => {
    const browser = await openDashboard(server.url, { width: 1400, height: 900 });
    try {
      const { page } = browser;
      await page.goto(`${server.url}/jobs/${JOB}`);
      await expect.poll(() => page.locator('.charts canvas').count()).toBe(4);
      // Every axis laid out, the test counts reaching five digits ("10,000" was clipped).
      await expect.poll(async () => (await chartAxes(page, '.charts figure.chart')).length).toBe(4);
      const charts = await chartAxes(page, '.charts figure.chart');
      const counts = charts.find((c) => c.caption.startsWith('Test results'))!;
      expect(counts.labels[1]!.some((label) => label.replace(/\D/g, '').length >= 5)).toBe(true);
      for (const chart of charts) {
        const [x, y] = chart.labels as [string[], string[]];
        expect(chart.sizes[1]).toBeGreaterThanOrEqual((await widest(page, y)) + 15);
        // Time ticks: 24 h clock or dates, the first saying UTC; never am/pm.
        expect(x[0]).toContain('UTC');
        for (const label of x) {
          expect(label).toMatch(/^(\d\d:\d\d(:\d\d)?|\d\d-\d\d|\d{4}-\d\d)(\n|$| UTC)/);
          expect(label).not.toMatch(/am|pm/i);
        }
      }
      // The run time axis and legend in the duration units of the rest of the page.
      const runTime = charts.find((c) => c.caption.startsWith('Run time'))!;
      expect(runTime.labels[1]!.every((label) => / (µs|ms|s|min|h)$/.test(label))).toBe(true);
      expect(await inkAtLeftEdge(page)).toEqual([0, 0, 0, 0]);

      // The legend's time of the point under the pointer, in UTC.
      const chart = page.locator('.charts figure.chart').first();
      const over = (await chart.locator('.u-over').boundingBox())!;
      await page.mouse.move(over.x + over.width / 2, over.y + over.height / 2);
      await expect
        .poll(() => chart.locator('.u-legend .u-series').first().locator('.u-value').textContent())
        .toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
      await page.mouse.move(0, 0);
      await browser.screenshot('look-job');

      // The test page: the same default period as the others, its duration axis in µs.
      await page.goto(`${server.url}/tests/${encodeURIComponent(MICRO)}`);
      expect(await page.getByLabel('Period').inputValue()).toBe('7d');
      await expect.poll(async () => (await chartAxes(page)).length).toBe(2);
      const duration = (await chartAxes(page)).find((c) => c.caption.startsWith('Run time'))!;
      expect(duration.labels[1]!.some((label) => label.endsWith(' µs'))).toBe(true);
      expect(await inkAtLeftEdge(page)).toEqual([0, 0]);
      await browser.screenshot('look-test');

      await page.goto(`${server.url}/`);
      await expect.poll(async () => (await chartAxes(page)).length).toBe(2);
      for (const { labels } of await chartAxes(page)) expect(labels[0]![0]).toContain('UTC');
      await browser.screenshot('look-home');
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('draws a short failure on the whole-run timeline and opens the metadata', async () => {
    const browser = await openDashboard(server.url, { width: 1400, height: 900 });
    try {
      const { page } = browser;
      await page.goto(`${server.url}/runs/${big}`);
      const canvas = page.locator('canvas[data-rendered="true"]');
      await canvas.waitFor();
      // One lane: the failure's pixels on the row through its middle.
      const failing = await canvas.evaluate((el, rgb) => {
        const c = el as unknown as {
          width: number;
          dataset: Record<string, string>;
          getContext(k: '2d'): {
            getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
          };
        };
        const ratio = (globalThis as unknown as { devicePixelRatio: number }).devicePixelRatio;
        const y = Math.round(
          (Number(c.dataset.top) + Number(c.dataset.laneHeight) / 2) * (ratio || 1),
        );
        const row = c.getContext('2d').getImageData(0, y, c.width, 1).data;
        let n = 0;
        for (let i = 0; i < row.length; i += 4) {
          if (row[i] === rgb[0] && row[i + 1] === rgb[1] && row[i + 2] === rgb[2]) n++;
        }
        return n / (ratio || 1);
      }, FAIL_RGB);
      expect(failing).toBeGreaterThanOrEqual(MIN_FAILURE_WIDTH);

      const metadata = page.getByTestId('metadata');
      expect(await metadata.getAttribute('open')).not.toBeNull();
      await expect
        .poll(() => metadata.getByRole('row', { name: /node_provider/ }).isVisible())
        .toBe(true);
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt(
    'puts the details beside the timeline, dstat lanes on zero-based scales with units',
    async () => {
      const browser = await openDashboard(server.url, { width: 1400, height: 900 });
      try {
        const { page } = browser;
        await page.goto(`${server.url}/runs/${inside}?test=look.dstat.test_two`);
        const details = page.locator('section.details');
        await details.locator('[role="tabpanel"]').waitFor();
        const dstat = page.locator('section.dstat');
        await expect.poll(() => dstat.getAttribute('data-overlaps')).toBe('true');
        await expect
          .poll(async () => (await chartAxes(page, 'section.dstat figure.chart')).length)
          .toBe(4);

        const timelineBox = (await page.locator('section.timeline-section').boundingBox())!;
        const detailsBox = (await details.boundingBox())!;
        const dstatBox = (await dstat.boundingBox())!;
        expect(detailsBox.x).toBeGreaterThanOrEqual(timelineBox.x + timelineBox.width);
        expect(detailsBox.y).toBeLessThan(dstatBox.y);
        expect(detailsBox.y).toBeLessThan(timelineBox.y + timelineBox.height);

        for (const lane of await chartAxes(page, 'section.dstat figure.chart')) {
          expect(lane.caption).toMatch(/\((%|[kMGT]?B(\/s)?)\)$/);
          const ticks = lane.labels[1]!;
          expect(ticks.length).toBeGreaterThanOrEqual(2);
          for (const tick of ticks) expect(tick).toMatch(/^\d[\d,]*(\.\d+)?$/);
          expect(Number(ticks[0]!.replace(/,/g, ''))).toBe(0);
        }
        const cpu = (await chartAxes(page, 'section.dstat figure.chart')).find((c) =>
          c.caption.startsWith('CPU'),
        )!;
        expect(cpu.labels[1]!.at(-1)).toBe('100');
        await browser.screenshot('look-run');
        expect(await accessibilityViolations(page)).toEqual([]);
        expect(browser.problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );

  browserIt('stacks the details between the timeline and the dstat lanes on a phone', async () => {
    const browser = await openDashboard(server.url, { width: 390, height: 844 });
    try {
      const { page } = browser;
      await page.goto(`${server.url}/runs/${inside}?test=look.dstat.test_two`);
      const details = page.locator('section.details');
      await details.locator('[role="tabpanel"]').waitFor();
      await page.locator('section.dstat figure.chart').first().waitFor();
      const timelineBox = (await page.locator('section.timeline-section').boundingBox())!;
      const detailsBox = (await details.boundingBox())!;
      const dstatBox = (await page.locator('section.dstat').boundingBox())!;
      expect(detailsBox.y).toBeGreaterThanOrEqual(timelineBox.y + timelineBox.height);
      expect(dstatBox.y).toBeGreaterThanOrEqual(detailsBox.y + detailsBox.height);
      expect(await horizontalOverflow(page)).toBe(0);
      await browser.screenshot('look-run-phone');
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('says how to add runs on every page an empty server shows', async () => {
    const empty = await startServer(backends[0]!);
    const browser = await openDashboard(empty.url, { width: 1400, height: 900 });
    try {
      const { page } = browser;
      const howTo = page.getByTestId('how-to-ingest');
      const expectHowTo = async (job: string) => {
        await howTo.waitFor();
        const text = (await howTo.innerText()).replace(/\s+/g, ' ');
        expect(text).toContain(
          `npx gatewatch ingest --meta build_name=${job} testrepository.subunit`,
        );
        expect(text).toContain('npx gatewatch token create');
        expect(text).toContain(
          `curl -H "Authorization: Bearer $TOKEN" --data-binary @testrepository.subunit "${empty.url}/api/runs?build_name=${job}"`,
        );
      };

      await page.goto(`${empty.url}/`);
      await expectHowTo('tempest-full');
      expect(await howTo.innerText()).toContain('No runs stored yet.');
      await browser.screenshot('look-home-empty');
      expect(await accessibilityViolations(page)).toEqual([]);

      await page.goto(`${empty.url}/tests`);
      await expectHowTo('tempest-full');
      expect(await howTo.innerText()).toContain('No tests stored yet.');
      await browser.screenshot('look-tests-empty');

      await page.goto(`${empty.url}/jobs/nova-next`);
      await expectHowTo('nova-next');
      await browser.screenshot('look-job-unknown');
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
