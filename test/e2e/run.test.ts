/**
 * The run page (StackViz) in Debian's Chromium against a real server, on real streams: stestr's
 * failing run with a real dstat recording (which does not overlap it: recorded years later),
 * stackviz's tempest run (a python log), a generated 10,000-result run on 8 workers, and a
 * hand-made run timed inside the dstat recording. Every expected figure comes from the API's
 * answer (or from the stream description), never from the page's own code.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect } from 'vitest';
import { buildStream, STESTR_PROFILE } from '../../bench/streams.js';
import { createToken } from '../../server/tokens/token.service.js';
import {
  accessibilityViolations,
  browserIt,
  horizontalOverflow,
  openDashboard,
} from '../helpers/browser.js';
import { backends } from '../helpers/databases.js';
import { streamOf } from '../helpers/made-runs.js';
import { FIXTURES, startServer, type TestServer } from '../helpers/server.js';

const JOB = 'tempest-full';
const DSTAT = 'dstat/dstat-0.8.0-debian.csv';

interface ApiResult {
  seq: number;
  testId: string;
  status: string;
  startTime: string;
  stopTime: string;
  duration: number;
}

interface ApiTimeline {
  start: string;
  stop: string;
  lanes: { worker: number | null; results: ApiResult[] }[];
}

/** A result on the axis the page draws: seconds from the timeline's start. */
interface Placed extends ApiResult {
  lane: number;
  index: number;
  start: number;
  stop: number;
}

/** The canvas' geometry, as the page publishes it in data attributes. */
interface CanvasInfo {
  lanes: number;
  results: number;
  from: number;
  to: number;
  left: number;
  width: number;
  top: number;
  laneHeight: number;
  box: { x: number; y: number };
}

/** What the pixel check uses of a canvas (the tests compile without the DOM's types). */
interface PixelCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  } | null;
}

describe('the run page', () => {
  let server: TestServer;
  let failing: string;
  let tempest: string;
  let big: string;
  let overlapping: string;

  beforeAll(async () => {
    server = await startServer(backends[0]!);
    failing = (
      await server.ingest(
        'subunit/stestr-failure.subunit',
        { build_name: JOB, project: 'openstack/stestr' },
        DSTAT,
      )
    ).run;
    tempest = (await server.ingest('subunit/stackviz-tempest.subunit', { build_name: JOB })).run;
    const generated = buildStream({ ...STESTR_PROFILE, tests: 10_000, seed: 7 });
    big = (
      await server.app.services.ingest.ingest({
        name: 'generated-10000.subunit',
        source: Readable.from([generated.bytes]),
        metadata: { build_name: 'tempest-large' },
      })
    ).run;
    // Four tests back to back on one worker inside the dstat recording's five seconds.
    overlapping = (
      await server.app.services.ingest.ingest({
        name: 'inside-dstat.subunit',
        source: Readable.from([
          streamOf({
            at: new Date('2026-11-22T13:48:29.500Z'),
            metadata: {},
            results: [
              ['e2e.dstat.test_one', 'success', 1],
              ['e2e.dstat.test_two', 'success', 1],
              ['e2e.dstat.test_three', 'fail', 1, 'Traceback: boom\nAssertionError: boom\n'],
              ['e2e.dstat.test_four', 'success', 0.5],
            ],
          }),
        ]),
        metadata: { build_name: 'dstat-inside' },
        dstat: { name: DSTAT, source: createReadStream(`${FIXTURES}${DSTAT}`) },
      })
    ).run;
  });

  async function timelineOf(id: string): Promise<{ timeline: ApiTimeline; placed: Placed[] }> {
    const { body } = await server.query<{ run: { timeline: ApiTimeline } }>(
      `query ($id: ID!) { run(id: $id) { timeline { start stop lanes { worker results {
        seq testId status startTime stopTime duration } } } } }`,
      { id },
    );
    const timeline = body.data!.run.timeline;
    const origin = Date.parse(timeline.start);
    const placed = timeline.lanes.flatMap((lane, laneIndex) =>
      lane.results.map((r, index) => ({
        ...r,
        lane: laneIndex,
        index,
        start: (Date.parse(r.startTime) - origin) / 1000,
        stop: (Date.parse(r.stopTime) - origin) / 1000,
      })),
    );
    return { timeline, placed };
  }

  async function canvasInfo(page: Page): Promise<CanvasInfo> {
    const canvas = page.locator('canvas[data-lanes]');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const data = await canvas.evaluate((el) => ({
      ...(el as unknown as { dataset: Record<string, string> }).dataset,
    }));
    return {
      lanes: Number(data.lanes),
      results: Number(data.results),
      from: Number(data.from),
      to: Number(data.to),
      left: Number(data.plotLeft),
      width: Number(data.plotWidth),
      top: Number(data.top),
      laneHeight: Number(data.laneHeight),
      box,
    };
  }

  /** Where a result's bar is on the screen (its middle). */
  function pointOf(info: CanvasInfo, bar: Placed): { x: number; y: number } {
    const middle = (bar.start + bar.stop) / 2;
    return {
      x: info.box.x + info.left + ((middle - info.from) / (info.to - info.from)) * info.width,
      y: info.box.y + info.top + (bar.lane + 0.5) * info.laneHeight,
    };
  }

  async function open(page: Page, url: string): Promise<void> {
    await page.goto(url);
    await page.locator('canvas[data-rendered="true"]').waitFor();
  }

  const param = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

  /** Pixels of the canvas with exactly this colour. */
  async function pixelsOf(page: Page, rgb: [number, number, number]): Promise<number> {
    return page.locator('canvas[data-lanes]').evaluate((el, [r, g, b]) => {
      const canvas = el as unknown as PixelCanvas;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] === r && data[i + 1] === g && data[i + 2] === b) n++;
      }
      return n;
    }, rgb);
  }

  const visible = async (page: Page) => {
    const el = page.getByTestId('visible-count');
    return {
      shown: Number(await el.getAttribute('data-shown')),
      matching: Number(await el.getAttribute('data-matching')),
    };
  };

  browserIt(
    'shows the summary and failures, draws the lanes, hovers, selects and steps with the keys',
    async () => {
      const browser = await openDashboard(server.url);
      try {
        const { page } = browser;
        const { body } = await server.query<{
          run: {
            status: string;
            tests: number;
            passes: number;
            failures: number;
            skips: number;
            workers: number;
            results: { nodes: { testId: string; tracebackTail: string }[] };
          };
        }>(
          `query ($id: ID!) { run(id: $id) { status tests passes failures skips workers
            results(status: [FAIL, UXSUCCESS]) { nodes { testId tracebackTail(lines: 5) } } } }`,
          { id: failing },
        );
        const run = body.data!.run;
        const { timeline, placed } = await timelineOf(failing);
        await open(page, `${server.url}/runs/${failing}`);

        // Summary: the API's numbers.
        await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('failed');
        for (const key of ['tests', 'passes', 'failures', 'skips'] as const) {
          await expect
            .poll(() => page.locator(`[data-count="${key}"] dd`).textContent())
            .toBe(String(run[key]));
        }
        await expect(
          page.getByRole('link', { name: JOB }).first().getAttribute('href'),
        ).resolves.toBe(`/jobs/${JOB}`);
        await expect(
          page.getByRole('link', { name: /subunit stream/ }).getAttribute('href'),
        ).resolves.toBe(`/api/runs/${failing}/subunit`);
        await expect.poll(() => page.locator(`a[href^="/blob/"]`).count()).toBe(2);
        const failure = run.results.nodes[0]!;
        const failures = page.locator('.failures li');
        await expect.poll(() => failures.count()).toBe(run.failures);
        await expect
          .poll(() => failures.first().locator('pre').textContent())
          .toBe(failure.tracebackTail);

        // The timeline: one lane per worker, every result, both colours present.
        const info = await canvasInfo(page);
        expect(info.lanes).toBe(timeline.lanes.length);
        expect(info.lanes).toBe(run.workers);
        expect(info.results).toBe(run.tests);
        expect(await pixelsOf(page, [0x1f, 0x7a, 0x3a])).toBeGreaterThan(100); // success
        expect(await pixelsOf(page, [0xb3, 0x26, 0x1e])).toBeGreaterThan(10); // fail

        // Hover: the tooltip names the test under the pointer.
        const longest = placed.reduce((a, b) => (b.stop - b.start > a.stop - a.start ? b : a));
        const at = pointOf(info, longest);
        await page.mouse.move(at.x, at.y);
        const tooltip = page.getByRole('tooltip');
        await expect.poll(() => tooltip.textContent()).toContain(longest.testId);
        await expect.poll(() => tooltip.textContent()).toContain('success');

        // Click the failing test: selected in the URL, details with its traceback tab.
        const failed = placed.find((r) => r.status === 'FAIL')!;
        const target = pointOf(info, failed);
        await page.mouse.click(target.x, target.y);
        await expect.poll(() => param(page, 'test')).toBe(failed.testId);
        const details = page.locator('section.details');
        await expect.poll(() => details.locator('h2').textContent()).toContain(failed.testId);
        await expect
          .poll(() => page.getByRole('tab', { selected: true }).textContent())
          .toBe('traceback');
        await expect
          .poll(() => page.getByRole('tabpanel').locator('pre').textContent())
          .toContain(failure.tracebackTail.split('\n').at(-1));
        await expect(
          details.getByRole('link', { name: 'History of this test' }).getAttribute('href'),
        ).resolves.toBe(`/tests/${failed.testId}`);
        await page.mouse.move(0, 0);
        await expect.poll(() => page.getByRole('tooltip').count()).toBe(0);
        await browser.screenshot('run');
        // Other tabs: stdout and stderr, in <pre>.
        const tabs = await page.getByRole('tab').allTextContents();
        expect(tabs).toContain('traceback');
        if (tabs.includes('stdout')) {
          await page.getByRole('tab', { name: 'stdout' }).click();
          await expect.poll(() => param(page, 'tab')).toBe('stdout');
          await expect.poll(() => page.getByRole('tabpanel').locator('pre').count()).toBe(1);
        }

        // ←/→ step through the selected test's worker, as the API orders it.
        const lane = timeline.lanes.reduce((a, b) => (b.results.length > a.results.length ? b : a));
        const laneIndex = timeline.lanes.indexOf(lane);
        const second = placed.find((r) => r.lane === laneIndex && r.index === 1)!;
        const secondAt = pointOf(await canvasInfo(page), second);
        await page.mouse.click(secondAt.x, secondAt.y);
        await expect.poll(() => param(page, 'test')).toBe(second.testId);
        await page.keyboard.press('ArrowRight');
        await expect.poll(() => param(page, 'test')).toBe(lane.results[2]!.testId);
        await page.keyboard.press('ArrowRight');
        await expect.poll(() => param(page, 'test')).toBe(lane.results[3]!.testId);
        await page.keyboard.press('ArrowLeft');
        await page.keyboard.press('ArrowLeft');
        await page.keyboard.press('ArrowLeft');
        await expect.poll(() => param(page, 'test')).toBe(lane.results[0]!.testId);
        await expect
          .poll(() => page.locator('section.details h2').textContent())
          .toContain(lane.results[0]!.testId);

        // dstat: recorded in 2026, the run in 2017: drawn on its own axis, with a note.
        const dstat = page.locator('section.dstat');
        await expect.poll(() => dstat.getAttribute('data-overlaps')).toBe('false');
        await expect
          .poll(() => dstat.getByRole('note').textContent())
          .toContain('does not overlap');
        await expect.poll(() => dstat.locator('figure.chart').count()).toBe(4);

        expect(await accessibilityViolations(page)).toEqual([]);
        expect(browser.problems).toEqual([]);
        expect(browser.blocked).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );

  browserIt(
    'zooms with the brush, filters by search and status, preselects ?test= (10,000 results)',
    async () => {
      const browser = await openDashboard(server.url);
      try {
        const { page } = browser;
        const { timeline, placed } = await timelineOf(big);
        expect(placed).toHaveLength(10_000);
        await open(page, `${server.url}/runs/${big}`);
        let info = await canvasInfo(page);
        expect(info.lanes).toBe(8);
        expect(info.results).toBe(10_000);
        await expect.poll(async () => (await visible(page)).shown).toBe(10_000);

        // Brush: drag across a fifth of the overview strip.
        await page.getByTestId('overview').scrollIntoViewIfNeeded();
        const strip = (await page.getByTestId('overview').boundingBox())!;
        const x0 = info.box.x + info.left + info.width * 0.3;
        const x1 = info.box.x + info.left + info.width * 0.5;
        await page.mouse.move(x0, strip.y + strip.height / 2);
        await page.mouse.down();
        await page.mouse.move(x1, strip.y + strip.height / 2, { steps: 8 });
        await page.mouse.up();
        await expect.poll(() => param(page, 'from')).not.toBeNull();
        const from = Number(param(page, 'from'));
        const to = Number(param(page, 'to'));
        const span = (Date.parse(timeline.stop) - Date.parse(timeline.start)) / 1000;
        expect(from).toBeCloseTo(span * 0.3, 0);
        expect(to).toBeCloseTo(span * 0.5, 0);
        const inWindow = placed.filter((r) => r.stop >= from && r.start <= to);
        await expect.poll(async () => (await visible(page)).shown).toBe(inWindow.length);
        expect(inWindow.length).toBeLessThan(10_000);
        info = await canvasInfo(page);
        expect(info.from).toBe(from);
        expect(info.to).toBe(to);
        await page.mouse.move(0, 0);
        await browser.screenshot('run-zoomed');

        // Search dims what does not match; the count of matches is the API's.
        const query = 'volume';
        await page.getByRole('searchbox', { name: 'Search tests' }).fill(query);
        await expect.poll(() => param(page, 'q')).toBe(query);
        await expect
          .poll(async () => (await visible(page)).matching)
          .toBe(inWindow.filter((r) => r.testId.toLowerCase().includes(query)).length);

        // Status toggles hide: only failures and skips left.
        await page.getByRole('checkbox', { name: /^success/ }).uncheck();
        await expect.poll(() => param(page, 'status')).not.toBeNull();
        await expect
          .poll(async () => (await visible(page)).shown)
          .toBe(inWindow.filter((r) => r.status !== 'SUCCESS').length);
        await page.getByRole('checkbox', { name: /^fail/ }).uncheck();
        await expect
          .poll(async () => (await visible(page)).shown)
          .toBe(inWindow.filter((r) => r.status !== 'SUCCESS' && r.status !== 'FAIL').length);
        expect(await accessibilityViolations(page)).toEqual([]);

        // Whole run again.
        await page.getByRole('button', { name: 'Whole run' }).click();
        await expect.poll(() => param(page, 'from')).toBeNull();

        // A failure picked in the summary is selected in place, its traceback shown.
        const firstFailure = placed
          .filter((r) => r.status === 'FAIL' || r.status === 'UXSUCCESS')
          .sort((a, b) => a.seq - b.seq)[0]!;
        await page.locator('.failures a').first().click();
        await expect.poll(() => param(page, 'test')).toBe(firstFailure.testId);
        await expect
          .poll(() => page.locator('section.details h2').textContent())
          .toContain(firstFailure.testId);
        await expect
          .poll(() => page.getByRole('tab', { selected: true }).textContent())
          .toBe('traceback');

        // ?test= preselects a failing test and zooms around it.
        const failed = placed.filter((r) => r.status === 'FAIL')[5]!;
        await open(page, `${server.url}/runs/${big}?test=${encodeURIComponent(failed.testId)}`);
        await expect
          .poll(() => page.locator('section.details h2').textContent())
          .toContain(failed.testId);
        await expect.poll(() => param(page, 'from')).not.toBeNull();
        info = await canvasInfo(page);
        expect(info.from).toBeLessThanOrEqual(failed.start);
        expect(info.to).toBeGreaterThanOrEqual(failed.stop);
        expect(info.to - info.from).toBeLessThan(span);
        await expect
          .poll(() => page.getByRole('tab', { selected: true }).textContent())
          .toBe('traceback');
        // The arrow keys keep it in view: step to the last test of its worker.
        const lane = timeline.lanes[failed.lane]!;
        await page.getByRole('application').focus();
        await page.keyboard.press('ArrowRight');
        await expect.poll(() => param(page, 'test')).toBe(lane.results[failed.index + 1]!.testId);
        await expect.poll(() => page.getByTestId('no-dstat').count()).toBe(1);

        // A skipped test's reason has its own tab.
        const skips = await server.query<{
          run: {
            results: { nodes: { testId: string; attachments: { name: string; text: string }[] }[] };
          };
        }>(
          `query ($id: ID!) { run(id: $id) { results(status: [SKIP], first: 1) { nodes { testId
            attachments { name text } } } } }`,
          { id: big },
        );
        const skipped = skips.body.data!.run.results.nodes[0]!;
        const reason = skipped.attachments.find((a) => a.name === 'reason')!;
        await open(page, `${server.url}/runs/${big}?test=${encodeURIComponent(skipped.testId)}`);
        await page.getByRole('tab', { name: 'reason' }).click();
        await expect.poll(() => param(page, 'tab')).toBe('reason');
        await expect
          .poll(() => page.getByRole('tabpanel').locator('pre').textContent())
          .toBe(reason.text);
        expect(browser.problems).toEqual([]);
        expect(browser.blocked).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );

  browserIt("filters a test's python log by level", async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      const { body } = await server.query<{
        run: {
          results: { nodes: { testId: string; attachments: { name: string; text: string }[] }[] };
        };
      }>(
        `query ($id: ID!) { run(id: $id) { results { nodes { testId attachments { name text } } } } }`,
        { id: tempest },
      );
      const result = body.data!.run.results.nodes[0]!;
      const log = result.attachments.find((a) => a.name.startsWith('pythonlogging'))!;
      const records = (level: string) =>
        log.text.split('\n').filter((line) => new RegExp(`^\\S+ \\S+ \\d+ ${level} `).test(line));
      await open(page, `${server.url}/runs/${tempest}?test=${encodeURIComponent(result.testId)}`);
      await expect
        .poll(() => page.getByRole('tab', { selected: true }).textContent())
        .toBe(log.name);
      const count = page.getByTestId('log-count');
      const total = records('INFO').length + records('DEBUG').length;
      await expect.poll(() => count.getAttribute('data-total')).toBe(String(total));
      await expect.poll(() => count.getAttribute('data-shown')).toBe(String(total));
      await page.getByLabel('Minimum level').selectOption('INFO');
      await expect.poll(() => param(page, 'level')).toBe('INFO');
      await expect
        .poll(() => count.getAttribute('data-shown'))
        .toBe(String(records('INFO').length));
      const shown = await page.getByRole('tabpanel').locator('pre').textContent();
      for (const line of records('INFO')) expect(shown).toContain(line);
      expect(shown).not.toContain(' DEBUG ');
      await page.getByLabel('Minimum level').selectOption('WARNING');
      await expect
        .poll(() => page.getByRole('tabpanel').textContent())
        .toContain('No records at WARNING or above');
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('draws dstat on the run axis when it overlaps, and follows the zoom', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await open(page, `${server.url}/runs/${overlapping}`);
      const dstat = page.locator('section.dstat');
      await expect.poll(() => dstat.getAttribute('data-overlaps')).toBe('true');
      await expect.poll(() => dstat.getByRole('note').count()).toBe(0);
      await expect.poll(() => dstat.locator('figure.chart').count()).toBe(4);
      const before = await canvasInfo(page);
      expect(Number(await dstat.getAttribute('data-from'))).toBe(before.from);
      expect(Number(await dstat.getAttribute('data-to'))).toBe(before.to);
      await page.getByRole('button', { name: 'Zoom in' }).click();
      await expect.poll(() => param(page, 'from')).not.toBeNull();
      const after = await canvasInfo(page);
      expect(after.to - after.from).toBeCloseTo((before.to - before.from) / 2, 3);
      await expect.poll(() => dstat.getAttribute('data-from')).toBe(String(after.from));
      await expect.poll(() => dstat.getAttribute('data-to')).toBe(String(after.to));
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('says "no such run" for an unknown id', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/runs/00000000-0000-4000-8000-000000000000`);
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('No such run');
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('fits a phone', async () => {
    const browser = await openDashboard(server.url, { width: 390, height: 844 });
    try {
      const { page } = browser;
      const { placed } = await timelineOf(failing);
      const failed = placed.find((r) => r.status === 'FAIL')!;
      await open(page, `${server.url}/runs/${failing}?test=${encodeURIComponent(failed.testId)}`);
      await page.locator('section.details [role="tabpanel"]').waitFor();
      await page.locator('section.dstat figure.chart').first().waitFor();
      expect(await horizontalOverflow(page)).toBe(0);
      await browser.screenshot('run-phone');
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('announces a newer run of the same job without a reload', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await open(page, `${server.url}/runs/${failing}`);
      await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('failed');
      const { secret } = await createToken(server.app.services.db, 'e2e-run-page');
      const response = await fetch(`${server.url}/api/runs?build_name=${JOB}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/octet-stream' },
        body: readFileSync(`${FIXTURES}subunit/stestr-successful.subunit`),
      });
      expect(response.status).toBe(201);
      const { run } = (await response.json()) as { run: string };
      const banner = page.getByRole('status').filter({ hasText: 'A newer run' });
      await expect.poll(() => banner.getByRole('link').getAttribute('href')).toBe(`/runs/${run}`);
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
