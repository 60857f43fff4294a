/**
 * The test page in Debian's Chromium against a real server: one test's results in hand-made
 * runs of the two days before the pinned instant (in the default period), its totals, recent failures with the end
 * of their tracebacks and its jobs computed here from those runs; a failing run uploaded while
 * the page is open shows up without a reload.
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

const TEST = 'e2e.api.network.test_ports.PortsTest.test_update_port';
const OTHER = 'e2e.api.network.test_ports.PortsTest.test_list_ports';
/** Eight lines: the page shows the last five. */
const traceback = (error: string) =>
  [
    'Traceback (most recent call last):',
    '  File "test_ports.py", line 40, in test_update_port',
    '    self.update()',
    '  File "test_ports.py", line 12, in update',
    '    self.wait_for_status("ACTIVE")',
    '  File "waiters.py", line 88, in wait_for_status',
    '    raise exceptions.TimeoutException(message)',
    error,
    '',
  ].join('\n');

const hoursAgo = (hours: number) => new Date(PINNED_NOW.getTime() - hours * 3_600_000);
const made = (hours: number, job: string | null, results: MadeResult[]): MadeRun => ({
  at: hoursAgo(hours),
  metadata: job === null ? { project: 'openstack/neutron' } : { build_name: job },
  results,
});

const RUNS: MadeRun[] = [
  made(40, 'e2e-net', [
    [TEST, 'success', 1.5],
    [OTHER, 'success', 1],
  ]),
  made(30, 'e2e-net', [
    [TEST, 'fail', 2, traceback('TimeoutException: port 1 stuck in BUILD')],
    [OTHER, 'success', 1],
  ]),
  made(20, 'e2e-net', [[TEST, 'success', 1.7]]),
  made(12, 'e2e-multi', [[TEST, 'skip', 0.01]]),
  made(6, 'e2e-multi', [
    [OTHER, 'fail', 1, traceback('TimeoutException: not this test')],
    [TEST, 'fail', 3, traceback('TimeoutException: port 2 stuck in DOWN')],
  ]),
  made(2, null, [[TEST, 'success', 1.2]]),
  made(1, 'e2e-net', [[TEST, 'success', 1.6]]),
];

/** The test's figures over some runs, as the page shows them. */
function figures(runs: MadeRun[]) {
  const results = runs.flatMap((r) => r.results).filter(([id]) => id === TEST);
  const count = (status: string) => results.filter(([, s]) => s === status).length;
  const successes = results.filter(([, s]) => s === 'success').map(([, , seconds]) => seconds);
  const sorted = [...successes].sort((a, b) => a - b);
  const mean = successes.reduce((a, b) => a + b, 0) / successes.length;
  return {
    runs: results.length,
    successes: count('success'),
    failures: count('fail'),
    skips: count('skip'),
    failureRate: model.rate(count('fail'), count('success')),
    meanDuration: mean,
    // Nearest rank.
    p95: sorted[Math.ceil(0.95 * sorted.length) - 1]!,
  };
}

/** The failing results of the test, newest run first, with their traceback's last 5 lines. */
function failures(runs: StoredRun[]) {
  return [...runs]
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .flatMap((run) =>
      run.results
        .filter(([id, status]) => id === TEST && status === 'fail')
        .map(([, , , text]) => ({
          run,
          tail: text!.trimEnd().split('\n').slice(-5).join('\n'),
        })),
    );
}

async function stat(page: Page, label: string): Promise<string> {
  const dd = page
    .locator('.stat')
    .filter({ has: page.getByText(label, { exact: true }) })
    .locator('dd');
  return (await dd.innerText()).trim();
}

/** Resolves once the page has sent its `runIngested` subscription. */
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

const pagePath = `/tests/${TEST}`;

describe('the test page', () => {
  let server: TestServer;
  let stored: StoredRun[];
  let token: string;

  beforeAll(async () => {
    server = await startServer(backends[0]!);
    stored = await ingestMade(server, RUNS);
    token = (await createToken(server.app.services.db, 'e2e-test-uploads')).secret;
  });

  browserIt('shows the totals, charts, recent failures with tracebacks and jobs', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(`${server.url}${pagePath}`);
      await page.getByRole('heading', { level: 1, name: TEST }).waitFor();

      const expected = figures(RUNS);
      await expect.poll(() => stat(page, 'Runs')).toBe(formatCount(expected.runs));
      expect(await stat(page, 'Successes')).toBe(formatCount(expected.successes));
      expect(await stat(page, 'Failures')).toBe(formatCount(expected.failures));
      expect(await stat(page, 'Skips')).toBe(formatCount(expected.skips));
      expect(await stat(page, 'Failure rate')).toBe(formatPercent(expected.failureRate));
      expect(await stat(page, 'Mean duration')).toBe(formatDuration(expected.meanDuration));

      // The daily chart and the run time scatter, with the mean and p95 of the period.
      await expect.poll(() => page.locator('.charts canvas').count()).toBe(2);
      const note = page.locator('.charts .note');
      expect(await note.innerText()).toBe(
        `Mean ${formatDuration(expected.meanDuration)}, p95 ${formatDuration(expected.p95)} over ${expected.successes} successful results.`,
      );

      // Recent failures: newest first, linking to the run with the test selected, with the
      // traceback's last lines.
      const failed = failures(stored);
      const items = page.locator('ol.failures > li');
      await expect.poll(() => items.count()).toBe(failed.length);
      for (const [i, { run, tail }] of failed.entries()) {
        const item = items.nth(i);
        expect(await item.locator('a').first().getAttribute('href')).toBe(
          `/runs/${run.id}?test=${encodeURIComponent(TEST)}`,
        );
        expect(
          await item.getByRole('link', { name: run.metadata.build_name }).getAttribute('href'),
        ).toBe(`/jobs/${run.metadata.build_name}`);
        expect(await item.locator('pre').innerText()).toBe(tail);
      }

      // The jobs it runs in: runs without a job first, then by name.
      const jobRows = page.locator('table.jobs tbody tr');
      const byJob = (job: string | undefined) =>
        figures(RUNS.filter((r) => r.metadata.build_name === job));
      const jobs: [string, ReturnType<typeof figures>][] = [
        ['(no job)', byJob(undefined)],
        ['e2e-multi', byJob('e2e-multi')],
        ['e2e-net', byJob('e2e-net')],
      ];
      await expect.poll(() => jobRows.count()).toBe(jobs.length);
      for (const [i, [name, job]] of jobs.entries()) {
        expect(await jobRows.nth(i).locator('td').allInnerTexts()).toEqual([
          name,
          formatCount(job.runs),
          formatCount(job.successes),
          formatCount(job.failures),
          formatCount(job.skips),
          formatPercent(job.failureRate),
        ]);
      }
      expect(await jobRows.nth(2).getByRole('link').getAttribute('href')).toBe('/jobs/e2e-net');

      expect(await accessibilityViolations(page)).toEqual([]);
      await browser.screenshot('test');
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);

      // A failure's link opens the run page with the test selected, client-side.
      await items.first().locator('a').first().click();
      await page.waitForURL(
        `${server.url}/runs/${failed[0]!.run.id}?test=${encodeURIComponent(TEST)}`,
      );
    } finally {
      await browser.close();
    }
  });

  browserIt('keeps the period in the URL', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(`${server.url}${pagePath}`);
      await expect.poll(() => page.locator('.charts canvas').count()).toBe(2);
      // The last six hours (from the run 6 h before now on) hold the two newest runs' successes.
      await page.getByLabel('Period', { exact: true }).selectOption('6h');
      expect(new URL(page.url()).searchParams.get('period')).toBe('6h');
      const recent = figures(RUNS.filter((r) => r.at >= hoursAgo(6)));
      await expect
        .poll(() => page.locator('.charts .note').innerText())
        .toMatch(new RegExp(`over ${recent.successes} successful results`));
      await page.reload();
      expect(await page.getByLabel('Period', { exact: true }).inputValue()).toBe('6h');
      await expect
        .poll(() => page.locator('.charts .note').innerText())
        .toMatch(new RegExp(`over ${recent.successes} successful results`));
      // The totals cover every run whatever the period.
      expect(await stat(page, 'Runs')).toBe(formatCount(figures(RUNS).runs));
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('says so for a test that does not exist', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/tests/e2e.no.such.Test.test_nothing`);
      await page.getByRole('heading', { level: 1, name: 'No such test' }).waitFor();
      expect(await page.locator('main').innerText()).toContain('e2e.no.such.Test.test_nothing');
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
      await page.goto(`${server.url}${pagePath}`);
      await expect.poll(() => stat(page, 'Runs')).toBe(formatCount(figures(RUNS).runs));
      await expect.poll(() => page.locator('.charts canvas').count()).toBe(2);
      await expect
        .poll(() => page.locator('ol.failures pre').count())
        .toBe(failures(stored).length);
      expect(await horizontalOverflow(page)).toBe(0);
      await browser.screenshot('test-phone');
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  // Last: it adds a run the other tests do not expect.
  browserIt('shows a failure uploaded while it is open, without a reload', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      const subscribed = subscription(page);
      await page.goto(`${server.url}${pagePath}`);
      await expect.poll(() => stat(page, 'Failures')).toBe(formatCount(figures(RUNS).failures));
      await subscribed;

      const live = made(0.5, 'e2e-net', [
        [TEST, 'fail', 2.5, traceback('TimeoutException: port 3 stuck live')],
      ]);
      const url = new URL('/api/runs', server.url);
      url.searchParams.set('build_name', 'e2e-net');
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: streamOf(live),
      });
      expect(response.status).toBe(201);
      const { run: id } = (await response.json()) as { run: string };

      const after = figures([...RUNS, live]);
      await expect.poll(() => stat(page, 'Failures')).toBe(formatCount(after.failures));
      expect(await stat(page, 'Runs')).toBe(formatCount(after.runs));
      expect(await stat(page, 'Failure rate')).toBe(formatPercent(after.failureRate));
      const first = page.locator('ol.failures > li').first();
      await expect
        .poll(() => first.locator('a').first().getAttribute('href'))
        .toBe(`/runs/${id}?test=${encodeURIComponent(TEST)}`);
      expect(await first.locator('pre').innerText()).toContain('port 3 stuck live');
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
