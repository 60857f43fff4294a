/**
 * The CI page in Debian's Chromium against a real server whose Gerrit store was fed a history
 * (test/helpers/ci-page-history.ts): every figure (reports, builds, success rate, coverage,
 * missed, last report), latency, agreement with upstream, the jobs table and the missed patch
 * sets are worked out here from the history's description by the README's definitions; the
 * jobs table sorts by its headers, the window follows the select and the URL; recent reports
 * carry their comments; unknown CI, upstream CI, phone width, axe, no console errors.
 */
import { beforeAll, describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import {
  formatAge,
  formatCount,
  formatDuration,
  formatPercent,
} from '../../client/src/lib/format.js';
import {
  accessibilityViolations,
  browserIt,
  horizontalOverflow,
  openDashboard,
} from '../helpers/browser.js';
import {
  CHANGES,
  GERRIT,
  PROJECT,
  REPORTS,
  reportOk,
  storeHistory,
  type ReportDesc,
} from '../helpers/ci-page-history.js';
import { backends } from '../helpers/databases.js';
import { ACME, zuulReport } from '../helpers/gerrit-events.js';
import { startServer, type TestServer } from '../helpers/server.js';

const HOUR = 3600;
const ps = (change: number, patchSet: number) => `${change},${patchSet}`;
const createdAgo = (change: number, patchSet: number) =>
  CHANGES.find((c) => c.number === change)!.patchSets[patchSet - 1]!;
/** The ⌈q·n⌉-th smallest (nearest rank). */
const nearestRank = (sorted: number[], q: number) =>
  sorted.length === 0 ? null : sorted[Math.ceil(q * sorted.length) - 1]!;

/** What the CI page must show for `account` over the `hours` before the pinned instant. */
function expectedRecord(account: string, hours: number) {
  const inWindow = (r: ReportDesc) => r.hoursAgo < hours;
  const mine = REPORTS.filter((r) => r.ci.username === account && inWindow(r));
  const upstream = REPORTS.filter((r) => r.ci.username === 'zuul' && inWindow(r));
  // Eligible: created in the window and not replaced within 3 h (every change is in PROJECT,
  // which the CI covers once it reported in the window).
  const eligible = CHANGES.flatMap((c) =>
    c.patchSets
      .map((created, i) => ({
        change: c.number,
        patchSet: i + 1,
        created,
        next: c.patchSets[i + 1],
      }))
      .filter((p) => p.created < hours && (p.next === undefined || p.created - p.next > 3)),
  );
  const reportedOn = new Set(mine.map((r) => ps(r.change, r.patchSet)));
  const missed = eligible
    .filter((p) => !reportedOn.has(ps(p.change, p.patchSet)))
    .sort((a, b) => a.created - b.created);
  const latencies = [...reportedOn]
    .map((key) => {
      const [change, patchSet] = key.split(',').map(Number) as [number, number];
      const first = Math.max(
        ...mine.filter((r) => ps(r.change, r.patchSet) === key).map((r) => r.hoursAgo),
      );
      return (createdAgo(change, patchSet) - first) * HOUR;
    })
    .sort((a, b) => a - b);
  const newest = (reports: ReportDesc[], key: string) =>
    reports
      .filter((r) => ps(r.change, r.patchSet) === key)
      .sort((a, b) => a.hoursAgo - b.hoursAgo)[0];
  const agreement = {
    bothPassed: 0,
    bothFailed: 0,
    failedWhereUpstreamPassed: 0,
    passedWhereUpstreamFailed: 0,
  };
  for (const key of reportedOn) {
    const theirs = newest(upstream, key);
    if (!theirs) continue;
    const ok = reportOk(newest(mine, key)!);
    const upOk = reportOk(theirs);
    if (ok && upOk) agreement.bothPassed++;
    else if (!ok && !upOk) agreement.bothFailed++;
    else if (!ok) agreement.failedWhereUpstreamPassed++;
    else agreement.passedWhereUpstreamFailed++;
  }
  const compared = Object.values(agreement).reduce((a, b) => a + b, 0);
  const builds = mine.flatMap((r) => r.jobs.map((j) => ({ ...j, report: r })));
  const jobs = [...new Set(builds.map((b) => b.job))].map((job) => {
    const of = builds
      .filter((b) => b.job === job)
      .sort((a, b) => b.report.hoursAgo - a.report.hoursAgo);
    const failures = of.filter((b) => b.result !== 'SUCCESS').length;
    let flips = 0;
    for (const change of new Set(of.map((b) => b.report.change))) {
      // Each patch set by its newest build of the job, in patch set order.
      const results = [
        ...new Set(of.filter((b) => b.report.change === change).map((b) => b.report.patchSet)),
      ]
        .sort((a, b) => a - b)
        .map(
          (n) =>
            of.filter((b) => b.report.change === change && b.report.patchSet === n).at(-1)!.result,
        );
      for (let i = 1; i < results.length; i++) if (results[i] !== results[i - 1]) flips++;
    }
    return {
      job,
      builds: of.length,
      failures,
      failureRate: failures / of.length,
      flips,
      last: of.at(-1)!.result,
    };
  });
  const unstableFirst = [...jobs].sort(
    (a, b) => b.flips - a.flips || b.failureRate - a.failureRate || a.job.localeCompare(b.job),
  );
  const lastAgo = Math.min(...mine.map((r) => r.hoursAgo));
  const successes = mine.filter(reportOk).length;
  return {
    reports: mine.length,
    builds: builds.length,
    successRate: mine.length === 0 ? null : successes / mine.length,
    eligible: eligible.length,
    coverage: eligible.length === 0 ? null : (eligible.length - missed.length) / eligible.length,
    missed,
    lastReportAge: lastAgo * HOUR,
    latency: {
      median: nearestRank(latencies, 0.5),
      p95: nearestRank(latencies, 0.95),
      n: latencies.length,
    },
    agreement: {
      ...agreement,
      patchSets: compared,
      rate:
        compared === 0
          ? null
          : (agreement.failedWhereUpstreamPassed + agreement.passedWhereUpstreamFailed) / compared,
    },
    jobs: unstableFirst,
    newestReports: [...mine].sort((a, b) => a.hoursAgo - b.hoursAgo),
  };
}

async function stat(page: Page, label: string): Promise<string> {
  const dd = page
    .locator('.stat')
    .filter({ has: page.getByText(label, { exact: true }) })
    .locator('dd');
  return (await dd.innerText()).trim();
}

async function facts(page: Page, testId: string): Promise<string[]> {
  return (await page.getByTestId(testId).locator('dd').allInnerTexts()).map((t) => t.trim());
}

const jobNames = (page: Page) => page.locator('table.jobs tbody th.job').allInnerTexts();

describe('the CI page', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(backends[0]!);
    await storeHistory(server);
  });

  browserIt(
    'shows a CI’s figures, latency, agreement, jobs, missed patch sets and reports',
    async () => {
      const browser = await openDashboard(server.url);
      try {
        const { page } = browser;
        const want = expectedRecord(ACME.username!, 7 * 24);
        await page.goto(`${server.url}/cis/${ACME.username}`);
        await page.getByRole('heading', { level: 1, name: ACME.name }).waitFor();

        await expect.poll(() => stat(page, 'Reports')).toBe(formatCount(want.reports));
        expect(await stat(page, 'Builds')).toBe(formatCount(want.builds));
        expect(await stat(page, 'Success rate')).toBe(formatPercent(want.successRate));
        expect(await stat(page, 'Missed')).toBe(formatCount(want.missed.length));
        expect(await stat(page, 'Last report')).toBe(`${formatAge(want.lastReportAge)} ago`);
        const coverage = (await page.getByTestId('coverage').innerText()).replace(/\s+/g, ' ');
        expect(coverage).toContain(formatPercent(want.coverage));
        expect(coverage).toContain(
          `reported on ${want.eligible - want.missed.length} of ${want.eligible} eligible patch sets`,
        );
        await expect.poll(() => page.locator('figure.chart canvas').count()).toBeGreaterThan(0);

        expect(await facts(page, 'latency')).toEqual([
          formatDuration(want.latency.median),
          formatDuration(want.latency.p95),
          formatCount(want.latency.n),
        ]);
        expect(await facts(page, 'agreement')).toEqual([
          formatCount(want.agreement.bothPassed),
          formatCount(want.agreement.bothFailed),
          formatCount(want.agreement.failedWhereUpstreamPassed),
          formatCount(want.agreement.passedWhereUpstreamFailed),
          formatPercent(want.agreement.rate),
        ]);
        // The history makes each of the four counts happen.
        expect(
          Object.values(want.agreement)
            .slice(0, 4)
            .every((n) => n === 1),
        ).toBe(true);

        // Jobs, the unstable first, with their figures.
        expect(await jobNames(page)).toEqual(want.jobs.map((j) => j.job));
        for (const job of want.jobs) {
          const row = page.locator(`table.jobs tbody tr[data-job="${job.job}"]`);
          expect(await row.locator('td[data-col="builds"]').innerText()).toBe(
            formatCount(job.builds),
          );
          expect(
            (await row.locator('td[data-col="failureRate"]').innerText()).replace(/\s+/g, ' '),
          ).toBe(`${formatPercent(job.failureRate)} (${job.failures} failed)`);
          expect(await row.locator('td[data-col="flips"]').innerText()).toBe(
            formatCount(job.flips),
          );
          expect(
            await row.locator('td[data-col="lastResult"] .verdict').getAttribute('data-result'),
          ).toBe(job.last);
        }

        // Missed patch sets, newest first, linked to the change page and to Gerrit.
        const missed = page.locator('ul.missed > li');
        expect(
          await missed.evaluateAll((els) => els.map((e) => e.getAttribute('data-patch-set'))),
        ).toEqual(want.missed.map((p) => ps(p.change, p.patchSet)));
        for (const [i, p] of want.missed.entries()) {
          const item = missed.nth(i);
          expect(
            await item.getByRole('link', { name: ps(p.change, p.patchSet) }).getAttribute('href'),
          ).toBe(`/changes/${p.change}`);
          expect(await item.getByRole('link', { name: 'in Gerrit' }).getAttribute('href')).toBe(
            `${GERRIT.url}/c/${PROJECT}/+/${p.change}/${p.patchSet}`,
          );
        }

        // Recent reports, newest first, each with its patch set, verdict and comment.
        const reports = page.locator('ol.reports > li');
        await expect.poll(() => reports.count()).toBe(want.newestReports.length);
        for (const [i, r] of want.newestReports.entries()) {
          const item = reports.nth(i);
          expect(
            await item.getByRole('link', { name: ps(r.change, r.patchSet) }).getAttribute('href'),
          ).toBe(`/changes/${r.change}`);
          expect(await item.locator('.head .verdict').getAttribute('data-result')).toBe(
            reportOk(r) ? 'SUCCESS' : 'FAILURE',
          );
          expect(await item.locator('pre').textContent()).toBe(
            zuulReport(r.patchSet, reportOk(r), r.jobs),
          );
        }

        await browser.screenshot('ci-page');
        expect(await accessibilityViolations(page)).toEqual([]);
        expect(browser.problems).toEqual([]);
        expect(browser.blocked).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );

  browserIt('sorts its jobs by any header and follows the window chosen', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      const week = expectedRecord(ACME.username!, 7 * 24);
      await page.goto(`${server.url}/cis/${ACME.username}`);
      await expect.poll(() => jobNames(page)).toEqual(week.jobs.map((j) => j.job));

      await page.locator('table.jobs thead').getByRole('button', { name: 'Job' }).click();
      const byName = week.jobs.map((j) => j.job).sort();
      await expect.poll(() => jobNames(page)).toEqual(byName);
      expect(new URL(page.url()).searchParams.get('sort')).toBe('job');
      await page.locator('table.jobs thead').getByRole('button', { name: 'Job' }).click();
      await expect.poll(() => jobNames(page)).toEqual([...byName].reverse());
      expect(
        await page.locator('table.jobs thead th[aria-sort="descending"]').innerText(),
      ).toContain('Job');

      // The last 24 hours: fewer reports, read from the URL after a reload too.
      const day = expectedRecord(ACME.username!, 24);
      expect(day.reports).toBeLessThan(week.reports);
      await page.getByLabel('Period').selectOption('1d');
      await expect.poll(() => stat(page, 'Reports')).toBe(formatCount(day.reports));
      expect(new URL(page.url()).searchParams.get('period')).toBe('1d');
      await page.reload();
      await expect.poll(() => stat(page, 'Reports')).toBe(formatCount(day.reports));
      expect(await stat(page, 'Builds')).toBe(formatCount(day.builds));
      expect(await jobNames(page)).toEqual([...day.jobs.map((j) => j.job)].sort().reverse());
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('says the upstream CI is what the others are compared with', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/cis/zuul`);
      await page.getByText('This is the upstream CI: the others are compared with it.').waitFor();
      expect(await stat(page, 'Reports')).toBe(formatCount(expectedRecord('zuul', 7 * 24).reports));
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('says when it knows no such CI', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/cis/nobody-ci`);
      await page.getByRole('heading', { level: 1, name: 'No such CI' }).waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('fits a phone screen', async () => {
    const browser = await openDashboard(server.url, { width: 390, height: 844 });
    try {
      const { page } = browser;
      await page.goto(`${server.url}/cis/${ACME.username}`);
      await page.locator('table.jobs tbody tr').first().waitFor();
      expect(await horizontalOverflow(page)).toBe(0);
      await browser.screenshot('ci-page-phone');
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
