/**
 * The change page in Debian's Chromium against a real server whose Gerrit store was fed a
 * history (test/helpers/ci-page-history.ts) and which ingested a run from one build's logs:
 * the change's facts, its patch sets newest first, every CI's reports (upstream first) with
 * their builds, logs and the linked run, all as the history says; the run page links back to
 * its change and CI; an unknown change says so; phone width, axe, no console errors.
 */
import { beforeAll, describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { verdictLook } from '../../client/src/lib/verdicts.js';
import {
  accessibilityViolations,
  browserIt,
  horizontalOverflow,
  openDashboard,
} from '../helpers/browser.js';
import {
  CHANGES,
  GERRIT,
  LINKED_RUN,
  PROJECT,
  RECHECKS,
  REPORTS,
  reportOk,
  storeHistory,
} from '../helpers/ci-page-history.js';
import { backends } from '../helpers/databases.js';
import { ACME, ALICE, ZUUL } from '../helpers/gerrit-events.js';
import type { StoredRun } from '../helpers/made-runs.js';
import { startServer, type TestServer } from '../helpers/server.js';

const ciName = (account: string) => (account === ZUUL.username ? ZUUL.name! : ACME.name!);

/** What a patch set's section must show, from the history: its CIs and their reports. */
function expectedPatchSet(change: number, patchSet: number) {
  const reports = REPORTS.filter((r) => r.change === change && r.patchSet === patchSet).sort(
    (a, b) => b.hoursAgo - a.hoursAgo,
  );
  const accounts = [...new Set(reports.map((r) => r.ci.username!))].sort(
    (a, b) => Number(b === 'zuul') - Number(a === 'zuul') || ciName(a).localeCompare(ciName(b)),
  );
  return accounts.map((account) => ({
    account,
    verdicts: reports
      .filter((r) => r.ci.username === account)
      .map((r) => (reportOk(r) ? 'SUCCESS' : 'FAILURE')),
    builds: reports
      .filter((r) => r.ci.username === account)
      .flatMap((r) => r.jobs.map((j) => ({ job: j.job, result: j.result, href: j.url }))),
  }));
}

async function shownPatchSet(page: Page, patchSet: number) {
  const section = page.locator(`article.patch-set[data-patch-set="${patchSet}"]`);
  const cis = section.locator('ul.cis > li');
  const shown = [];
  for (let i = 0; i < (await cis.count()); i++) {
    const ci = cis.nth(i);
    shown.push({
      account: (await ci.getAttribute('data-ci'))!,
      verdicts: await ci
        .locator('ol.reports > li > .head .verdict')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-result'))),
      builds: await ci.locator('table.builds tbody tr').evaluateAll((rows) =>
        rows.map((row) => ({
          job: row.getAttribute('data-job'),
          result: row.querySelector('.verdict')!.getAttribute('data-result'),
          href: row.querySelector('th a')!.getAttribute('href'),
        })),
      ),
    });
  }
  return shown;
}

describe('the change page', () => {
  let server: TestServer;
  let run: StoredRun;

  beforeAll(async () => {
    server = await startServer(backends[0]!);
    run = await storeHistory(server);
  });

  browserIt('shows a change, its patch sets newest first and every CI’s reports', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      const change = CHANGES[0]!;
      await page.goto(`${server.url}/changes/${change.number}`);
      await page.getByRole('heading', { level: 1, name: change.subject }).waitFor();

      const facts = page.locator('dl.facts');
      expect(await facts.locator('dd').allInnerTexts()).toEqual(
        expect.arrayContaining([PROJECT, 'master', ALICE.name, 'NEW']),
      );
      expect(await page.getByRole('link', { name: /Open in Gerrit/ }).getAttribute('href')).toBe(
        `${GERRIT.url}/c/${PROJECT}/+/${change.number}`,
      );

      const numbers = change.patchSets.map((_, i) => i + 1).reverse();
      expect(
        await page
          .locator('article.patch-set')
          .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-patch-set')))),
      ).toEqual(numbers);
      for (const number of numbers) {
        expect(await shownPatchSet(page, number)).toEqual(expectedPatchSet(change.number, number));
      }
      // Its rechecks, oldest first: when, who, on which patch set, the reason after the word.
      const rechecks = RECHECKS.filter((r) => r.change === change.number).sort(
        (a, b) => b.hoursAgo - a.hoursAgo,
      );
      const recheckRows = page.locator('table.rechecks tbody tr');
      await expect.poll(() => recheckRows.count()).toBe(rechecks.length);
      for (const [i, recheck] of rechecks.entries()) {
        const cells = (await recheckRows.nth(i).locator('th, td').allInnerTexts()).map((t) =>
          t.trim(),
        );
        expect(cells.slice(1)).toEqual([
          ALICE.name,
          String(recheck.patchSet),
          recheck.text.replace(/^recheck\s*/, ''),
        ]);
      }
      // No run was ingested for it.
      expect(await page.locator('table.runs').count()).toBe(0);
      expect(await page.getByText('No run of this change has been ingested.').count()).toBe(1);

      // A CI's name links to its page; a verdict reads as a word too.
      const acme = page.locator('article.patch-set[data-patch-set="2"] li[data-ci="acme-ci"]');
      expect(await acme.getByRole('link', { name: 'ACME CI' }).getAttribute('href')).toBe(
        '/cis/acme-ci',
      );
      expect(await acme.locator('.head .verdict').first().innerText()).toContain(
        verdictLook('FAILURE').label,
      );

      await browser.screenshot('change-page');
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('links a build to the run ingested from its logs, and the run back', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      const number = Number(LINKED_RUN.metadata.build_change);
      const patchSet = Number(LINKED_RUN.metadata.build_patchset);
      await page.goto(`${server.url}/changes/${number}`);
      const row = page.locator(
        `article.patch-set[data-patch-set="${patchSet}"] li[data-ci="zuul"] tr[data-job="unit"]`,
      );
      const runLink = row.locator('td.run a');
      await runLink.waitFor();
      expect(await runLink.getAttribute('href')).toBe(`/runs/${run.id}`);
      const count = (status: string) => LINKED_RUN.results.filter(([, s]) => s === status).length;
      expect((await runLink.innerText()).replace(/\s+/g, ' ')).toBe(
        `failed: ${count('success')} passed, ${count('fail')} failed`,
      );
      // The runs ingested for it: the linked one.
      const runRows = page.locator('table.runs tbody tr');
      expect(await runRows.count()).toBe(1);
      expect(await runRows.first().getAttribute('data-run')).toBe(run.id);
      expect(await runRows.first().locator('td').first().innerText()).toBe(
        LINKED_RUN.metadata.build_name,
      );
      // Its first patch set had no report.
      expect(await page.locator('article.patch-set[data-patch-set="1"]').innerText()).toContain(
        'No CI reported on this patch set.',
      );

      await runLink.click();
      const link = page.getByTestId('run-change');
      await link.waitFor();
      expect((await link.innerText()).replace(/\s+/g, ' ').trim()).toBe(
        `${number},${patchSet} by ${ZUUL.name}`,
      );
      expect(
        await link.getByRole('link', { name: `${number},${patchSet}` }).getAttribute('href'),
      ).toBe(`/changes/${number}`);
      expect(await link.getByRole('link', { name: ZUUL.name }).getAttribute('href')).toBe(
        '/cis/zuul',
      );
      await link.getByRole('link', { name: `${number},${patchSet}` }).click();
      await page
        .getByRole('heading', { level: 1, name: CHANGES.find((c) => c.number === number)!.subject })
        .waitFor();
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('says when it knows no such change', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/changes/999999`);
      await page.getByRole('heading', { level: 1, name: 'No such change' }).waitFor();
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
      await page.goto(`${server.url}/changes/${CHANGES[0]!.number}`);
      await page.locator('article.patch-set table.builds').first().waitFor();
      expect(await horizontalOverflow(page)).toBe(0);
      await browser.screenshot('change-page-phone');
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
