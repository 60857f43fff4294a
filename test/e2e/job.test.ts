/**
 * The job page in Debian's Chromium against a real server: hand-made runs from the day and a
 * half before the pinned instant (so they fall in the default period), every expected figure
 * computed here from those runs; the tests table sorted by its headers and searched by the
 * server (a substring or a regular expression), also in a job of more than 500 tests; the
 * recent runs with their change, node, duration and logs; a run uploaded while the page is
 * open shows up without a reload.
 */
import { beforeAll, describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { formatCount, formatDuration, formatPercent } from '../../client/src/lib/format.js';
import { createToken } from '../../server/tokens/token.service.js';
import {
  accessibilityViolations,
  browserIt,
  horizontalOverflow,
  openDashboard,
  PINNED_NOW,
} from '../helpers/browser.js';
import { backends } from '../helpers/databases.js';
import {
  ingestMade,
  model,
  streamOf,
  type MadeResult,
  type MadeRun,
  type StoredRun,
} from '../helpers/made-runs.js';
import { startServer, type TestServer } from '../helpers/server.js';

const JOB = 'e2e-gate';
const CREATE = 'e2e.api.compute.test_servers.ServersTest.test_create';
const DELETE = 'e2e.api.compute.test_servers.ServersTest.test_delete';
const ATTACH = 'e2e.api.volume.test_volumes.VolumesTest.test_attach';
const BOOT = 'e2e.scenario.test_boot.BootTest.test_boot_pattern';
const traceback = (error: string) =>
  `Traceback (most recent call last):\n  File "test.py", line 3, in test\n    check()\n${error}\n`;

const hoursAgo = (hours: number) => new Date(PINNED_NOW.getTime() - hours * 3_600_000);
const gate = (hours: number, results: MadeResult[]): MadeRun => ({
  at: hoursAgo(hours),
  metadata: {
    build_name: JOB,
    project: 'openstack/nova',
    build_change: '912345',
    build_patchset: String(Math.round(hours)),
    node_provider: `rax-dfw-${Math.round(hours)}`,
  },
  results,
  artifactsUrl: `https://logs.example.org/45/912345/${Math.round(hours)}/check/${JOB}/`,
});

const RUNS: MadeRun[] = [
  gate(30, [
    [CREATE, 'success', 2],
    [DELETE, 'success', 1],
    [ATTACH, 'success', 3],
    [BOOT, 'skip', 0.1],
  ]),
  gate(20, [
    [CREATE, 'fail', 2.5, traceback('AssertionError: server never became ACTIVE')],
    [DELETE, 'success', 1.2],
    [ATTACH, 'success', 3.5],
    [BOOT, 'success', 10],
  ]),
  gate(10, [
    [CREATE, 'success', 2],
    [DELETE, 'success', 1],
    [ATTACH, 'fail', 4, traceback('TimeoutError: volume stuck attaching')],
    [BOOT, 'success', 11],
  ]),
  gate(5, [
    [CREATE, 'success', 1.5],
    [DELETE, 'success', 1.1],
    [ATTACH, 'success', 3],
    [BOOT, 'success', 9],
  ]),
  gate(3, [
    [CREATE, 'fail', 3, traceback('AssertionError: quota exceeded')],
    [DELETE, 'success', 1],
    [ATTACH, 'success', 3.2],
    [BOOT, 'skip', 0.1],
  ]),
  gate(1, [
    [CREATE, 'success', 2.2],
    [DELETE, 'success', 0.9],
    [ATTACH, 'success', 2.8],
    [BOOT, 'success', 12],
  ]),
  // Another job's run, counted nowhere on this page.
  {
    at: hoursAgo(2),
    metadata: { build_name: 'e2e-other', project: 'openstack/nova' },
    results: [[CREATE, 'fail', 1, traceback('AssertionError: elsewhere')]],
  },
];

interface Row {
  testId: string;
  passes: number;
  failures: number;
  skips: number;
  failureRate: number | null;
  meanDuration: number | null;
}

/** The tests table computed from the runs: per test over every result of the job. */
function expectedRows(runs: MadeRun[]): Row[] {
  const rows = new Map<string, Row & { seconds: number }>();
  for (const [testId, status, seconds] of runs.flatMap((r) => r.results)) {
    const row = rows.get(testId) ?? {
      testId,
      passes: 0,
      failures: 0,
      skips: 0,
      failureRate: null,
      meanDuration: null,
      seconds: 0,
    };
    if (status === 'success') {
      row.passes++;
      row.seconds += seconds;
    } else if (status === 'fail') row.failures++;
    else if (status === 'skip') row.skips++;
    rows.set(testId, row);
  }
  return [...rows.values()].map(({ seconds, ...row }) => ({
    ...row,
    failureRate: model.rate(row.failures, row.passes),
    meanDuration: row.passes === 0 ? null : seconds / row.passes,
  }));
}

const byId = (a: Row, b: Row) => (a.testId < b.testId ? -1 : 1);

/** The value shown under a figure's label in the page's stats. */
async function stat(page: Page, label: string): Promise<string> {
  const dd = page
    .locator('.stat')
    .filter({ has: page.getByText(label, { exact: true }) })
    .locator('dd');
  return (await dd.innerText()).trim();
}

/**
 * Resolves once the page has sent its `runIngested` subscription; the server reads it long
 * before an upload made afterwards has been parsed and stored.
 */
function subscription(page: Page): Promise<void> {
  return new Promise((resolve) => {
    page.on('websocket', (socket) =>
      socket.on('framesent', ({ payload }) => {
        if (
          typeof payload === 'string' &&
          /"subscribe"/.test(payload) &&
          /runIngested/.test(payload)
        ) {
          resolve();
        }
      }),
    );
  });
}

const tableIds = (page: Page) => page.locator('table.tests tbody th.test-id').allInnerTexts();

/** A job of more than one API page of tests: the needles rank after every filler by failures. */
const BIG_JOB = 'e2e-big';
const BIG_FILLERS = 560;
const bigNeedle = (i: number) => `e2e.big.Needle.test_needle_${String(i).padStart(3, '0')}`;
const BIG_RUN: MadeRun = {
  at: hoursAgo(4),
  metadata: { build_name: BIG_JOB },
  results: [
    ...Array.from({ length: BIG_FILLERS }, (_, i): MadeResult => [
      `e2e.big.Filler.test_${String(i).padStart(3, '0')}`,
      i % 2 === 0 ? 'fail' : 'success',
      0.25,
    ]),
    ...Array.from({ length: 3 }, (_, i): MadeResult => [bigNeedle(i), 'success', 0.5]),
  ],
};

describe('the job page', () => {
  let server: TestServer;
  let stored: StoredRun[];
  let jobRuns: StoredRun[];
  let token: string;

  beforeAll(async () => {
    server = await startServer(backends[0]!);
    stored = await ingestMade(server, [...RUNS, BIG_RUN]);
    jobRuns = stored.filter((r) => r.metadata.build_name === JOB);
    token = (await createToken(server.app.services.db, 'e2e-job-uploads')).secret;
  });

  async function upload(run: MadeRun): Promise<string> {
    const url = new URL('/api/runs', server.url);
    for (const [key, value] of Object.entries(run.metadata)) url.searchParams.set(key, value);
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: streamOf(run),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { run: string }).run;
  }

  browserIt('shows the counts, charts, tests, recent runs and failed tests', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/jobs/${JOB}`);
      await page.getByRole('heading', { level: 1, name: JOB }).waitFor();

      const totals = model.totals(jobRuns);
      await expect.poll(() => stat(page, 'Runs')).toBe(formatCount(totals.runCount));
      expect(await stat(page, 'Passed')).toBe(formatCount(totals.passedRuns));
      expect(await stat(page, 'Failed')).toBe(formatCount(totals.failedRuns));
      expect(await stat(page, 'Skipped')).toBe(formatCount(totals.skippedRuns));
      expect(await stat(page, 'Failure rate')).toBe(formatPercent(totals.failureRate));

      // Four charts, each drawn on a canvas.
      await expect.poll(() => page.locator('.charts canvas').count()).toBe(4);

      // Tests table: by failures, most first, ties by test id.
      const rows = expectedRows(jobRuns);
      const byFailures = [...rows].sort((a, b) => b.failures - a.failures || byId(a, b));
      await expect.poll(() => tableIds(page)).toEqual(byFailures.map((r) => r.testId));
      for (const row of rows) {
        const cells = await page
          .locator('table.tests tbody tr')
          .filter({ hasText: row.testId })
          .locator('th, td')
          .allInnerTexts();
        expect(cells).toEqual([
          row.testId,
          formatCount(row.passes),
          formatCount(row.failures),
          formatCount(row.skips),
          formatPercent(row.failureRate),
          formatDuration(row.meanDuration),
        ]);
      }

      // Recent runs, newest first, each linking to its run page, with its change and patch
      // set, duration, node and logs.
      const newestFirst = [...jobRuns].sort((a, b) => b.at.getTime() - a.at.getTime());
      const runLinks = page.locator('table.runs tbody th a');
      await expect.poll(() => runLinks.count()).toBe(jobRuns.length);
      expect(
        await runLinks.evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
      ).toEqual(newestFirst.map((r) => `/runs/${r.id}`));
      const statuses = await page.locator('table.runs tbody .badge').allInnerTexts();
      expect(statuses).toEqual(newestFirst.map((r) => model.status(r)));
      const newest = newestFirst[0]!;
      const cellsOfNewest = (
        await page.locator('table.runs tbody tr').first().locator('td').allInnerTexts()
      ).map((t) => t.trim());
      expect(cellsOfNewest.slice(1)).toEqual([
        `912345,${newest.metadata.build_patchset}`,
        ...(['success', 'fail', 'skip'] as const).map((status) =>
          formatCount(newest.results.filter(([, s]) => s === status).length),
        ),
        formatDuration(model.wallTime(newest)),
        newest.metadata.node_provider,
        'logs',
      ]);
      expect(
        await page
          .locator('table.runs tbody tr')
          .first()
          .getByRole('link', { name: 'logs' })
          .getAttribute('href'),
      ).toBe(newest.artifactsUrl);

      // The tests failing in the last failed runs, most failures first.
      const failed = model.failedTests(jobRuns, 10);
      const failedLinks = page.locator('ul.failed a.test-id');
      await expect.poll(() => failedLinks.allInnerTexts()).toEqual(failed.map((f) => f.testId));
      const firstFailed = page.locator('ul.failed li').first();
      expect(await firstFailed.innerText()).toContain(
        `failed in ${failed[0]!.failures} of those runs`,
      );
      expect(await firstFailed.locator('.meta a').getAttribute('href')).toBe(
        `/runs/${failed[0]!.runId}?test=${encodeURIComponent(failed[0]!.testId)}`,
      );

      // The feed link points at the job's Atom feed, which the server serves.
      const feed = await page
        .getByRole('link', { name: 'Atom feed of failed runs' })
        .getAttribute('href');
      expect(feed).toBe(`/feeds/jobs/${JOB}/failures`);
      const feedResponse = await fetch(new URL(feed!, server.url));
      expect(feedResponse.status).toBe(200);
      expect(feedResponse.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
      // RSS beside it, both also announced in the page's head for feed readers.
      expect(
        await page.getByRole('link', { name: 'RSS feed of failed runs' }).getAttribute('href'),
      ).toBe(`${feed}.rss`);
      const announced = page.locator('head link[rel="alternate"]');
      await expect
        .poll(() => announced.evaluateAll((links) => links.map((l) => l.getAttribute('type'))))
        .toEqual(['application/atom+xml', 'application/rss+xml']);
      expect(await announced.nth(1).getAttribute('href')).toBe(`${feed}.rss`);

      expect(await accessibilityViolations(page)).toEqual([]);
      await browser.screenshot('job');
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);

      // A recent run's link opens its run page, client-side.
      await runLinks.first().click();
      await page.waitForURL(`${server.url}/runs/${newestFirst[0]!.id}`);
    } finally {
      await browser.close();
    }
  });

  browserIt('sorts the tests table by a clicked header and keeps it in the URL', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      const rows = expectedRows(jobRuns);
      await page.goto(`${server.url}/jobs/${JOB}`);
      await expect.poll(() => tableIds(page)).toHaveLength(rows.length);

      const header = (name: string) =>
        page.locator('table.tests thead').getByRole('button', { name: new RegExp(`^${name}`) });

      await header('Test').click();
      const ascending = [...rows].sort(byId).map((r) => r.testId);
      await expect.poll(() => tableIds(page)).toEqual(ascending);
      expect(new URL(page.url()).searchParams.get('sort')).toBe('testId');
      expect(new URL(page.url()).searchParams.get('order')).toBe('asc');
      expect(await page.locator('th[aria-sort="ascending"]').innerText()).toContain('Test');

      await header('Test').click();
      await expect.poll(() => tableIds(page)).toEqual([...ascending].reverse());
      expect(new URL(page.url()).searchParams.get('order')).toBe('desc');

      await header('Mean run time').click();
      const slowest = [...rows]
        .sort((a, b) => (b.meanDuration ?? -1) - (a.meanDuration ?? -1) || byId(a, b))
        .map((r) => r.testId);
      await expect.poll(() => tableIds(page)).toEqual(slowest);
      expect(new URL(page.url()).searchParams.get('sort')).toBe('meanDuration');

      await header('% Failures').click();
      await header('% Failures').click();
      const leastFailing = [...rows]
        .sort((a, b) => (a.failureRate ?? 0) - (b.failureRate ?? 0) || byId(a, b))
        .map((r) => r.testId);
      await expect.poll(() => tableIds(page)).toEqual(leastFailing);
      expect(new URL(page.url()).searchParams.get('sort')).toBe('failureRate');
      expect(new URL(page.url()).searchParams.get('order')).toBe('asc');

      // The sorted view is a link: loading it again shows the same order.
      await page.reload();
      await expect.poll(() => tableIds(page)).toEqual(leastFailing);
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('narrows the counts to the chosen period and resolution, kept in the URL', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/jobs/${JOB}`);
      await expect.poll(() => stat(page, 'Runs')).toBe(formatCount(jobRuns.length));

      await page.getByLabel('Period', { exact: true }).selectOption('1d');
      const lastDay = model.totals(jobRuns.filter((r) => r.at > hoursAgo(24)));
      expect(lastDay.runCount).toBeLessThan(jobRuns.length);
      await expect.poll(() => stat(page, 'Runs')).toBe(formatCount(lastDay.runCount));
      expect(await stat(page, 'Failed')).toBe(formatCount(lastDay.failedRuns));
      expect(await stat(page, 'Failure rate')).toBe(formatPercent(lastDay.failureRate));
      expect(new URL(page.url()).searchParams.get('period')).toBe('1d');
      // A day is shown by the hour unless asked otherwise.
      await page.getByText('Runs per hour', { exact: true }).waitFor();

      await page.getByLabel('Resolution', { exact: true }).selectOption('DAY');
      expect(new URL(page.url()).searchParams.get('resolution')).toBe('DAY');
      await page.getByText('Runs per day', { exact: true }).waitFor();

      await page.reload();
      await expect.poll(() => stat(page, 'Runs')).toBe(formatCount(lastDay.runCount));
      expect(await page.getByLabel('Period', { exact: true }).inputValue()).toBe('1d');
      expect(await page.getByLabel('Resolution', { exact: true }).inputValue()).toBe('DAY');
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('filters the tests by a regular expression and flags an invalid one', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      const ids = expectedRows(jobRuns).map((r) => r.testId);
      await page.goto(`${server.url}/jobs/${JOB}?sort=testId`);
      await expect.poll(() => tableIds(page)).toHaveLength(ids.length);
      await page.getByLabel('regular expression').check();
      expect(new URL(page.url()).searchParams.get('match')).toBe('regex');
      const filter = page.getByLabel('Filter test ids');

      const pattern = 'test_(create|attach)$';
      await filter.fill(pattern);
      const matching = ids.filter((id) => new RegExp(pattern).test(id)).sort();
      expect(matching).toHaveLength(2);
      await expect.poll(() => tableIds(page)).toEqual(matching);
      expect(new URL(page.url()).searchParams.get('filter')).toBe(pattern);
      expect(await page.locator('#test-filter-note').innerText()).toBe(
        `Tests 1–${matching.length} of ${matching.length} whose id matches ${pattern}`,
      );

      await filter.fill('test_(create');
      const alert = page.locator('#test-filter-note [role="alert"]');
      await alert.waitFor();
      expect(await alert.innerText()).toMatch(/^Not a valid regular expression: /);
      expect(await filter.getAttribute('aria-invalid')).toBe('true');
      // Nothing crashed: the table is still there, unfiltered.
      await expect.poll(() => tableIds(page)).toHaveLength(ids.length);

      await filter.fill('^e2e\\.scenario\\.');
      await expect.poll(() => tableIds(page)).toEqual([BOOT]);
      expect(await alert.count()).toBe(0);

      await filter.fill('no-such-test');
      await page.getByText('No test id of this job matches “no-such-test”').waitFor();

      // The filter is in the URL, so a reload keeps it.
      await filter.fill('ServersTest');
      await expect.poll(() => tableIds(page)).toEqual([CREATE, DELETE]);
      await page.reload();
      await expect.poll(() => tableIds(page)).toEqual([CREATE, DELETE]);
      expect(await page.getByLabel('Filter test ids').inputValue()).toBe('ServersTest');
      expect(await page.getByLabel('regular expression').isChecked()).toBe(true);
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('finds tests beyond the first 500 of a big job, page by page', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      const all = BIG_FILLERS + 3;
      await page.goto(`${server.url}/jobs/${BIG_JOB}`);
      // By failures, 100 to a page: the needles (never failing, 'N' after 'F') come last.
      await expect.poll(() => tableIds(page)).toHaveLength(100);
      expect(await page.getByTestId('tests-total').innerText()).toBe(formatCount(all));
      expect((await tableIds(page)).some((id) => id.includes('needle'))).toBe(false);
      const pages = page.getByRole('navigation', { name: 'Pages' });
      expect(await pages.innerText()).toContain(`Page 1 of ${Math.ceil(all / 100)}`);

      await page.getByLabel('Filter test ids').fill('needle');
      const needles = [0, 1, 2].map(bigNeedle);
      await expect.poll(() => tableIds(page)).toEqual(needles);
      expect(await page.getByTestId('tests-total').innerText()).toBe('3');
      expect(await pages.count()).toBe(0);

      // Sorted by the server: fewest failures first, then by id, over every test.
      await page.getByLabel('Filter test ids').fill('');
      await expect.poll(() => tableIds(page)).toHaveLength(100);
      const header = page.locator('table.tests thead').getByRole('button', { name: /^Failures/ });
      await header.click();
      await expect.poll(async () => (await tableIds(page))[0]).toBe('e2e.big.Filler.test_001');

      await pages.getByRole('button', { name: 'Next →' }).click();
      await expect.poll(() => pages.innerText()).toContain('Page 2 of');
      expect(new URL(page.url()).searchParams.get('pages')).not.toBeNull();
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('says so for a job that does not exist', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/jobs/no-such-job`);
      await page.getByRole('heading', { level: 1, name: 'No such job' }).waitFor();
      expect(await page.locator('main').innerText()).toContain('no-such-job');
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('fits a phone screen', async () => {
    const browser = await openDashboard(server.url, { width: 390, height: 844 });
    try {
      const { page } = browser;
      await page.goto(`${server.url}/jobs/${JOB}`);
      await expect.poll(() => stat(page, 'Runs')).toBe(formatCount(jobRuns.length));
      await expect.poll(() => page.locator('.charts canvas').count()).toBe(4);
      await expect.poll(() => tableIds(page)).toHaveLength(expectedRows(jobRuns).length);
      expect(await horizontalOverflow(page)).toBe(0);
      // The tables stack: no header row takes space; a select sorts the tests instead.
      for (const table of ['table.tests', 'table.runs']) {
        const box = await page.locator(`${table} thead`).boundingBox();
        expect(box!.height).toBeLessThanOrEqual(1);
      }
      await page.getByLabel('Sort by').selectOption('testId');
      const ids = expectedRows(jobRuns)
        .map((r) => r.testId)
        .sort();
      await expect.poll(() => tableIds(page)).toEqual(ids);
      await page.getByRole('button', { name: '▲ ascending' }).click();
      await expect.poll(() => tableIds(page)).toEqual([...ids].reverse());
      await browser.screenshot('job-phone');
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  // Last: it adds a run the other tests do not expect.
  browserIt('shows a run uploaded while it is open, without a reload', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      const subscribed = subscription(page);
      await page.goto(`${server.url}/jobs/${JOB}`);
      await expect.poll(() => stat(page, 'Runs')).toBe(formatCount(jobRuns.length));
      const before = model.totals(jobRuns);
      await subscribed;

      const live: MadeRun = gate(0.5, [
        [CREATE, 'fail', 2, traceback('AssertionError: live failure')],
        [DELETE, 'success', 1],
        [ATTACH, 'success', 3],
        [BOOT, 'success', 10],
      ]);
      const id = await upload(live);
      const after = model.totals([...jobRuns, live]);

      await expect.poll(() => stat(page, 'Runs')).toBe(formatCount(after.runCount));
      expect(after.failedRuns).toBe(before.failedRuns + 1);
      await expect.poll(() => stat(page, 'Failed')).toBe(formatCount(after.failedRuns));
      expect(await stat(page, 'Failure rate')).toBe(formatPercent(after.failureRate));
      await expect
        .poll(() => page.locator('table.runs tbody th a').first().getAttribute('href'))
        .toBe(`/runs/${id}`);
      const createRow = page.locator('table.tests tbody tr').filter({ hasText: CREATE });
      const createFailures = expectedRows([...jobRuns, live]).find((r) => r.testId === CREATE)!;
      await expect
        .poll(() => createRow.locator('td').nth(1).innerText())
        .toBe(formatCount(createFailures.failures));
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
