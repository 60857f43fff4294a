/**
 * dashboard: time to first render of the run page (StackViz) for a 10,000-test run, in
 * Debian's Chromium against `createApp` on a temp SQLite database. A load is timed from
 * navigation start to the page's `run:timeline-drawn` mark, set right after the timeline's
 * first canvas drawing (in the animation frame that paints it), each load in a fresh browser
 * context (empty cache). Baselines from the same run: the same page for a 100-test run, and
 * the page's own timeline query replayed over HTTP without a browser. Also: how long each
 * redraw takes while the brush is dragged across the 10,000-result overview.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Page } from 'playwright-core';
import { createApp, type App } from '../server/app.js';
import { loadConfig } from '../server/config/config.js';
import { chromiumUnavailable, launchChromium, type BenchBrowser } from './browser.js';
import type { Benchmark, BenchContext } from './harness.js';
import { formatBytes, formatCount, formatSeconds, median, timed } from './measure.js';
import { REPO_ROOT } from './paths.js';
import { buildStream, STESTR_PROFILE } from './streams.js';

/** Seconds: a first visit shows the 10,000-result timeline within this. */
const TARGET_FIRST_RENDER = 1.5;
/** Milliseconds: a redraw fits in a 60 Hz frame. */
const TARGET_DRAW_P95 = 16;
const TESTS = 10_000;
const BASELINE_TESTS = 100;

export const dashboard: Benchmark = {
  name: 'dashboard',
  summary:
    `run page time to first render, ${formatCount(TESTS)}-test run, in Chromium ` +
    `(targets: median < ${formatSeconds(TARGET_FIRST_RENDER)}; redraw p95 < ${TARGET_DRAW_P95} ms)`,
  async run(context) {
    const { report } = context;
    const missing =
      chromiumUnavailable() ??
      (existsSync(`${REPO_ROOT}dist/client/index.html`)
        ? null
        : 'no built dashboard in dist/client (npm run build)');
    if (missing) {
      report.skipped(`first render < ${formatSeconds(TARGET_FIRST_RENDER)}`, missing);
      return;
    }
    const loads = context.quick ? 3 : 5;
    const app = await createApp(
      loadConfig({ db: `sqlite:${join(context.tmp, 'dashboard.db')}`, port: '0' }, {}),
    );
    let browser: BenchBrowser | undefined;
    try {
      const big = await ingestGenerated(app, TESTS, 'tempest-large');
      const small = await ingestGenerated(app, BASELINE_TESTS, 'tempest-small');
      report.line(
        `runs: ${formatCount(TESTS)} results on 8 workers (stream ${formatBytes(big.bytes)}), ` +
          `${formatCount(BASELINE_TESTS)} results (${formatBytes(small.bytes)}); ` +
          `${loads} timed loads each after one warm-up, each in a fresh browser context`,
      );
      browser = await launchChromium();
      const bigLoads = await timeLoads(context, browser, app, big.id, TESTS, loads);
      const smallLoads = await timeLoads(context, browser, app, small.id, BASELINE_TESTS, loads);
      const raw = await timeRawQuery(app, bigLoads.timelineRequest, loads);
      const draws = await dragDraws(browser, app, big.id);

      const row = (name: string, values: number[]) => [
        name,
        ms(median(values)),
        ms(Math.min(...values)),
        ms(Math.max(...values)),
      ];
      report.line('');
      report.table(
        ['measure (navigation start →)', 'median ms', 'min ms', 'max ms'],
        [
          row(`${formatCount(TESTS)} results: timeline data in the page`, bigLoads.data),
          row(`${formatCount(TESTS)} results: timeline drawn (first render)`, bigLoads.drawn),
          row(`baseline ${BASELINE_TESTS} results: timeline drawn`, smallLoads.drawn),
          row(
            `baseline: the timeline query alone over HTTP (${formatBytes(raw.bytes)} JSON)`,
            raw.seconds,
          ),
        ],
      );
      report.line('');
      report.line(
        `redraws while the brush is dragged over the ${formatCount(TESTS)}-result overview: ` +
          `${draws.length} drawings, median ${draws.length ? median(draws).toFixed(1) : '–'} ms, ` +
          `p95 ${percentile(draws, 0.95).toFixed(1)} ms, max ${Math.max(0, ...draws).toFixed(1)} ms`,
      );
      const first = median(bigLoads.drawn);
      report.target(
        `run page, ${formatCount(TESTS)} results: first render < ${formatSeconds(TARGET_FIRST_RENDER)}`,
        `median ${formatSeconds(first)} (${BASELINE_TESTS}-result page ${formatSeconds(
          median(smallLoads.drawn),
        )}; the timeline query alone ${formatSeconds(median(raw.seconds))})`,
        first < TARGET_FIRST_RENDER,
      );
      report.check(draws.length > 0, 'no redraw was recorded while dragging the brush');
      report.target(
        `run page, ${formatCount(TESTS)} results: redraw while zooming p95 < ${TARGET_DRAW_P95} ms`,
        `p95 ${percentile(draws, 0.95).toFixed(1)} ms over ${draws.length} drawings`,
        draws.length > 0 && percentile(draws, 0.95) < TARGET_DRAW_P95,
      );
    } finally {
      await browser?.close();
      await app.close();
    }
  },
};

async function ingestGenerated(
  app: App,
  tests: number,
  job: string,
): Promise<{ id: string; bytes: number }> {
  const { bytes } = buildStream({ ...STESTR_PROFILE, tests, seed: tests });
  const summary = await app.services.ingest.ingest({
    name: `generated-${tests}.subunit`,
    source: Readable.from([bytes]),
    metadata: { build_name: job },
  });
  return { id: summary.run, bytes: bytes.length };
}

interface Loads {
  /** Seconds from navigation start, per timed load. */
  data: number[];
  drawn: number[];
  /** The page's own timeline request (JSON body), to replay without a browser. */
  timelineRequest: string;
}

async function timeLoads(
  context: BenchContext,
  browser: BenchBrowser,
  app: App,
  runId: string,
  expected: number,
  loads: number,
): Promise<Loads> {
  const data: number[] = [];
  const drawn: number[] = [];
  let timelineRequest = '';
  for (let i = 0; i <= loads; i++) {
    const { page, close } = await browser.page();
    try {
      page.on('request', (request) => {
        const body = request.postData();
        if (body?.includes('"operationName":"RunTimeline"')) timelineRequest = body;
      });
      await page.goto(`${app.url}/runs/${runId}`);
      const canvas = page.locator('canvas[data-rendered="true"]');
      await canvas.waitFor({ timeout: 60_000 });
      const marks = await page.evaluate(() => ({
        data: performance.getEntriesByName('run:timeline-data')[0]?.startTime ?? NaN,
        drawn: performance.getEntriesByName('run:timeline-drawn')[0]?.startTime ?? NaN,
      }));
      context.report.check(
        Number(await canvas.getAttribute('data-results')) === expected,
        `the timeline of ${runId} does not hold ${expected} results`,
      );
      // The first load warms the server (JIT, SQLite's cache) and is not counted.
      if (i === 0) continue;
      data.push(marks.data / 1000);
      drawn.push(marks.drawn / 1000);
    } finally {
      await close();
    }
  }
  if (timelineRequest === '') throw new Error('the run page sent no RunTimeline query');
  return { data, drawn, timelineRequest };
}

/** The page's timeline request replayed over HTTP, read to the last byte. */
async function timeRawQuery(
  app: App,
  body: string,
  times: number,
): Promise<{ seconds: number[]; bytes: number }> {
  let bytes = 0;
  const post = async () => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();
    if (!response.ok || text.includes('"errors"')) {
      throw new Error(`the timeline query failed: ${text.slice(0, 200)}`);
    }
    bytes = text.length;
  };
  await post();
  const seconds: number[] = [];
  for (let i = 0; i < times; i++) seconds.push(await timed(post));
  return { seconds, bytes };
}

/** Milliseconds of each timeline drawing while the brush sweeps from 5% to 95% of the run. */
async function dragDraws(browser: BenchBrowser, app: App, runId: string): Promise<number[]> {
  const { page, close } = await browser.page();
  try {
    await page.goto(`${app.url}/runs/${runId}`);
    await page.locator('canvas[data-rendered="true"]').waitFor({ timeout: 60_000 });
    const strip = page.getByTestId('overview');
    await strip.scrollIntoViewIfNeeded();
    const box = (await strip.boundingBox())!;
    const plot = await plotOf(page);
    const y = box.y + box.height / 2;
    await page.evaluate(() => performance.clearMeasures('run:timeline-draw'));
    await page.mouse.move(box.x + plot.left + plot.width * 0.05, y);
    await page.mouse.down();
    await page.mouse.move(box.x + plot.left + plot.width * 0.95, y, { steps: 40 });
    await page.mouse.up();
    // The last drawing lands in the frame after the last move.
    await page.evaluate(
      'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))',
    );
    return await page.evaluate(() =>
      performance.getEntriesByName('run:timeline-draw').map((m) => m.duration),
    );
  } finally {
    await close();
  }
}

async function plotOf(page: Page): Promise<{ left: number; width: number }> {
  const canvas = page.locator('canvas[data-lanes]');
  return {
    left: Number(await canvas.getAttribute('data-plot-left')),
    width: Number(await canvas.getAttribute('data-plot-width')),
  };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

function ms(seconds: number): string {
  return (seconds * 1000).toFixed(0);
}
