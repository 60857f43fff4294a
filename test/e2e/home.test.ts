/**
 * The home page in Chromium against a real server: hand-made runs shortly before the pinned
 * instant (and a real fixture from years before it) are ingested, and what the page shows is checked against what
 * was ingested: totals, the table per project, the failing tests, the jobs, the stale-data
 * warning; its view state lives in the URL; a run uploaded while it is open shows up live.
 */
import { beforeAll, describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { formatAge, formatCount, formatPercent, formatTime } from '../../client/src/lib/format.js';
import { defaultResolution } from '../../client/src/lib/period.js';
import { createToken } from '../../server/tokens/token.service.js';
import {
  accessibilityViolations,
  browserIt,
  horizontalOverflow,
  openDashboard,
  PINNED_NOW,
} from '../helpers/browser.js';
import { backends } from '../helpers/databases.js';
import { ingestMade, model, streamOf, type MadeRun, type StoredRun } from '../helpers/made-runs.js';
import { startServer, type TestServer } from '../helpers/server.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOVA = 'openstack/nova';
const NEUTRON = 'openstack/neutron';
const TEST = 'tempest.api.compute.servers.test_servers.ServersTest';

const ago = (ms: number) => new Date(PINNED_NOW.getTime() - ms);
const traceback = (what: string) =>
  `Traceback (most recent call last):\n  File "test_servers.py", line 42, in ${what}\nAssertionError: ${what} broke`;

const RUNS: MadeRun[] = [
  {
    at: ago(2 * HOUR),
    metadata: { project: NOVA, build_name: 'tempest-full' },
    results: [
      [`${TEST}.test_create`, 'success', 1.5],
      [`${TEST}.test_delete`, 'success', 0.5],
      [`${TEST}.test_resize`, 'skip', 0],
    ],
  },
  {
    at: ago(5 * HOUR),
    metadata: { project: NOVA, build_name: 'tempest-full' },
    results: [
      [`${TEST}.test_create`, 'success', 1.25],
      [`${TEST}.test_delete`, 'fail', 2, traceback('test_delete')],
    ],
  },
  {
    at: ago(26 * HOUR),
    metadata: { project: NOVA, build_name: 'nova-unit' },
    results: [['nova.tests.unit.test_api.ApiTest.test_get', 'success', 0.25]],
  },
  {
    at: ago(30 * HOUR),
    metadata: { build_name: 'tempest-full' },
    results: [[`${TEST}.test_resize`, 'skip', 0]],
  },
  {
    at: ago(3 * DAY),
    metadata: { project: NEUTRON, build_name: 'tempest-full' },
    results: [
      [`${TEST}.test_delete`, 'fail', 3, traceback('test_delete')],
      [`${TEST}.test_create`, 'fail', 1, traceback('test_create')],
    ],
  },
  {
    at: ago(4 * DAY),
    metadata: { project: NEUTRON, build_name: 'neutron-functional' },
    results: [['neutron.tests.functional.test_agent.AgentTest.test_start', 'success', 4]],
  },
  // In the last 30 days, not in the last 7.
  {
    at: ago(20 * DAY),
    metadata: { project: NOVA, build_name: 'tempest-full' },
    results: [[`${TEST}.test_create`, 'fail', 1, traceback('test_create')]],
  },
];

/** The rows of the table under a section heading, each as its cells' text. */
async function tableRows(page: Page, heading: string | RegExp): Promise<string[][]> {
  const section = page.locator('section', { has: page.getByRole('heading', { name: heading }) });
  return section
    .locator('tbody tr')
    .all()
    .then((rows) =>
      Promise.all(
        rows.map(async (row) => (await row.locator('th, td').allInnerTexts()).map((t) => t.trim())),
      ),
    );
}

/** What a counts table row reads, from the model's totals. */
function countsRow(name: string, runs: MadeRun[]): string[] {
  const t = model.totals(runs);
  return [
    name,
    formatCount(t.runCount),
    formatCount(t.passedRuns),
    formatCount(t.failedRuns),
    formatPercent(t.failureRate),
    formatTime(t.lastRunAt),
  ];
}

function totalsText(page: Page) {
  return Promise.all(
    ['run-total', 'passed-total', 'failed-total'].map((id) => page.getByTestId(id).innerText()),
  );
}

const expectedTotals = (runs: MadeRun[]) => {
  const t = model.totals(runs);
  return [t.runCount, t.passedRuns, t.failedRuns].map((n) => formatCount(n));
};

// The page is the same for every database; SQLite stands for both.
describe('the home page', () => {
  let server: TestServer;
  let stored: StoredRun[];
  let token: string;
  const inWeek = () => model.inWindow(stored, ago(7 * DAY));
  const ofProject = (runs: StoredRun[], project: string) =>
    runs.filter((r) => r.metadata.project === project);

  beforeAll(async () => {
    server = await startServer(backends[0]!);
    stored = await ingestMade(server, RUNS);
    // A real stream from years ago: outside every period, and stale on its own.
    await server.ingest('subunit/stestr-failure.subunit', {
      project: 'openstack/old',
      build_name: 'legacy-job',
    });
    token = (await createToken(server.app.services.db, 'e2e-home')).secret;
  });

  browserIt('shows the runs of the last 7 days by project, failing tests and jobs', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      const windows: unknown[] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname !== '/graphql') return;
        const body = request.postDataJSON() as {
          query?: string;
          variables?: { filter?: unknown };
        } | null;
        if (body?.query?.includes('query HomeSeries')) windows.push(body.variables?.filter);
      });
      await page.goto(server.url);
      const week = inWeek();
      await expect.poll(() => totalsText(page), { timeout: 30_000 }).toEqual(expectedTotals(week));
      // The period the page asked for ends at the pinned instant, as the expectations do.
      expect(windows[0]).toEqual({
        since: ago(7 * DAY).toISOString(),
        until: PINNED_NOW.toISOString(),
      });

      expect(await page.getByLabel('Group by').inputValue()).toBe('project');
      expect(await page.getByLabel('Period').inputValue()).toBe('7d');
      expect(await page.getByLabel('Resolution').inputValue()).toBe(defaultResolution('7d'));

      // One row per project, by name, then the runs without a project as "(none)": the rows
      // add up to the totals.
      const noProject = week.filter((r) => r.metadata.project === undefined);
      expect(noProject.length).toBeGreaterThan(0);
      await expect
        .poll(() => tableRows(page, 'By project'))
        .toEqual([
          countsRow(NEUTRON, ofProject(week, NEUTRON)),
          countsRow(NOVA, ofProject(week, NOVA)),
          countsRow('(none)', noProject),
        ]);
      const rowRuns = (await tableRows(page, 'By project')).map((row) => Number(row[1]));
      expect(rowRuns.reduce((a, b) => a + b, 0)).toBe(week.length);
      const none = page.locator('section', {
        has: page.getByRole('heading', { name: 'By project' }),
      });
      expect(await none.getByRole('link', { name: '(none)' }).count()).toBe(0);

      // Both charts, the rate one with a line per project and the runs lacking one.
      const charts = page.locator('section', {
        has: page.getByRole('heading', { name: 'Over time' }),
      });
      expect(await charts.locator('canvas').count()).toBe(2);
      const legend = await charts.locator('.u-legend').allInnerTexts();
      expect(legend[0]).toContain('Passed runs');
      expect(legend[0]).toContain('Failed runs');
      for (const label of ['All', NOVA, NEUTRON, '(none)']) expect(legend[1]).toContain(label);

      const failed = model.failedTests(week, 10);
      expect(failed.length).toBeGreaterThan(0);
      const items = page.locator('ol.failed > li');
      await expect.poll(() => items.count()).toBe(failed.length);
      for (const [i, test] of failed.entries()) {
        const item = items.nth(i);
        const link = item.getByRole('link', { name: test.testId, exact: true });
        expect(await link.getAttribute('href')).toBe(
          `/tests/${test.testId.split('/').map(encodeURIComponent).join('/')}`,
        );
        expect(await item.locator('.count').innerText()).toBe(
          `failed in ${test.failures} ${test.failures === 1 ? 'run' : 'runs'}`,
        );
        const run = item.getByRole('link', { name: `run ${test.runId.slice(0, 8)}` });
        expect(await run.getAttribute('href')).toBe(
          `/runs/${test.runId}?test=${encodeURIComponent(test.testId)}`,
        );
        expect(await item.locator('pre').innerText()).toContain(
          test.traceback!.split('\n').at(-1)!,
        );
      }

      const jobs = [...new Set(week.map((r) => r.metadata.build_name!))].sort();
      await expect
        .poll(() => tableRows(page, 'Jobs'))
        .toEqual(
          jobs.map((job) =>
            countsRow(
              job,
              week.filter((r) => r.metadata.build_name === job),
            ),
          ),
        );
      expect(
        await page
          .getByRole('link', { name: 'neutron-functional', exact: true })
          .getAttribute('href'),
      ).toBe('/jobs/neutron-functional');

      // Fresh data: no warning.
      expect(await page.getByText('Stale data').count()).toBe(0);

      await browser.screenshot('home');
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('keeps period, resolution, grouping and filters in the URL', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(server.url);
      await expect
        .poll(() => totalsText(page), { timeout: 30_000 })
        .toEqual(expectedTotals(inWeek()));

      await page.getByLabel('Period').selectOption('30d');
      expect(new URL(page.url()).searchParams.get('period')).toBe('30d');
      const month = model.inWindow(stored, ago(30 * DAY));
      expect(month.length).toBeGreaterThan(inWeek().length);
      await expect.poll(() => totalsText(page)).toEqual(expectedTotals(month));

      await page.reload();
      expect(await page.getByLabel('Period').inputValue()).toBe('30d');
      // The period's own resolution, as none was chosen.
      expect(await page.getByLabel('Resolution').inputValue()).toBe(defaultResolution('30d'));
      await expect.poll(() => totalsText(page), { timeout: 30_000 }).toEqual(expectedTotals(month));

      await page.getByLabel('Resolution').selectOption('WEEK');
      expect(new URL(page.url()).searchParams.get('resolution')).toBe('WEEK');
      await page.reload();
      expect(await page.getByLabel('Resolution').inputValue()).toBe('WEEK');

      // Grouped by job, a group is a job and opens its page.
      await page.getByLabel('Group by').selectOption('build_name');
      expect(new URL(page.url()).searchParams.get('group')).toBe('build_name');
      const jobs = [...new Set(month.map((r) => r.metadata.build_name!))].sort();
      await expect
        .poll(() => tableRows(page, 'By build_name'))
        .toEqual(
          jobs.map((job) =>
            countsRow(
              job,
              month.filter((r) => r.metadata.build_name === job),
            ),
          ),
        );

      // A project opens the page narrowed to it, grouped by job.
      await page.getByLabel('Group by').selectOption('project');
      const section = page.locator('section', {
        has: page.getByRole('heading', { name: 'By project' }),
      });
      await section.getByRole('link', { name: NOVA, exact: true }).click();
      const url = new URL(page.url());
      expect(url.searchParams.get('where')).toBe(`project:${NOVA}`);
      expect(url.searchParams.get('group')).toBe('build_name');
      expect(url.searchParams.get('period')).toBe('30d');
      const nova = ofProject(month, NOVA);
      await expect.poll(() => totalsText(page)).toEqual(expectedTotals(nova));
      const novaJobs = [...new Set(nova.map((r) => r.metadata.build_name!))].sort();
      await expect
        .poll(() => tableRows(page, 'By build_name'))
        .toEqual(
          novaJobs.map((job) =>
            countsRow(
              job,
              nova.filter((r) => r.metadata.build_name === job),
            ),
          ),
        );

      // The filter survives a reload and goes with its button.
      await page.reload();
      await expect.poll(() => totalsText(page), { timeout: 30_000 }).toEqual(expectedTotals(nova));
      await page.getByRole('button', { name: `Remove the filter project: ${NOVA}` }).click();
      expect(new URL(page.url()).searchParams.get('where')).toBeNull();
      await expect.poll(() => totalsText(page)).toEqual(expectedTotals(month));

      // A job of the table opens the job's page.
      const byJob = page.locator('section', {
        has: page.getByRole('heading', { name: 'By build_name' }),
      });
      await byJob.getByRole('link', { name: 'nova-unit', exact: true }).click();
      expect(new URL(page.url()).pathname).toBe('/jobs/nova-unit');

      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('warns when the newest run is old', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/?where=project:openstack/old`);
      const warning = page.getByRole('status').filter({ hasText: 'Stale data' });
      await warning.waitFor({ timeout: 30_000 });
      const { body } = await server.query<{ freshness: { newestRunAt: string } }>(
        `{ freshness(filter: { metadata: [{ key: "project", value: "openstack/old" }] }) {
          newestRunAt } }`,
      );
      const { newestRunAt } = body.data!.freshness;
      // Its age at the page's now, the pinned instant.
      const ageSeconds = (PINNED_NOW.getTime() - Date.parse(newestRunAt)) / 1000;
      expect(ageSeconds).toBeGreaterThan(24 * 3600);
      const text = await warning.innerText();
      expect(text).toContain(`the newest run is ${formatAge(ageSeconds)} old`);
      expect(text).toContain(formatTime(newestRunAt));
      // Nothing of it in the last 7 days.
      await page.getByText('No runs in this period.').waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('shows an uploaded run without a reload', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      let subscribed = false;
      page.on('websocket', (socket) =>
        socket.on('framesent', ({ payload }) => {
          if (typeof payload === 'string' && JSON.parse(payload).type === 'subscribe') {
            subscribed = true;
          }
        }),
      );
      await page.goto(server.url);
      const before = inWeek();
      await expect
        .poll(() => totalsText(page), { timeout: 30_000 })
        .toEqual(expectedTotals(before));
      await expect.poll(() => subscribed, { timeout: 30_000 }).toBe(true);

      const run: MadeRun = {
        at: ago(60_000),
        metadata: { project: NOVA, build_name: 'tempest-full' },
        results: [[`${TEST}.test_live`, 'fail', 1, traceback('test_live')]],
      };
      const url = new URL('/api/runs', server.url);
      for (const [key, value] of Object.entries(run.metadata)) url.searchParams.set(key, value);
      const response = await fetch(url, {
        method: 'POST',
        body: streamOf(run),
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(201);
      const { run: id } = (await response.json()) as { run: string };
      stored.push({ ...run, id });

      const after = inWeek();
      expect(after.length).toBe(before.length + 1);
      await expect.poll(() => totalsText(page), { timeout: 30_000 }).toEqual(expectedTotals(after));
      await expect
        .poll(() => tableRows(page, 'By project'))
        .toEqual([
          countsRow(NEUTRON, ofProject(after, NEUTRON)),
          countsRow(NOVA, ofProject(after, NOVA)),
          countsRow(
            '(none)',
            after.filter((r) => r.metadata.project === undefined),
          ),
        ]);
      await page
        .locator('ol.failed')
        .getByRole('link', { name: `${TEST}.test_live`, exact: true })
        .waitFor();
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
      await page.goto(server.url);
      await expect
        .poll(() => totalsText(page), { timeout: 30_000 })
        .toEqual(expectedTotals(inWeek()));
      await page.locator('ol.failed > li').first().waitFor();
      await page.locator('section canvas').first().waitFor();
      expect(await horizontalOverflow(page)).toBe(0);
      await browser.screenshot('home-phone');
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
