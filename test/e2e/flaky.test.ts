/**
 * The Flaky tests page in Debian's Chromium against a real server fed the insight history's
 * real stestr streams (test/helpers/insight-history.ts; the verdicts themselves are derived
 * from the history in test/insights/flaky.test.ts): the rows equal `flakyTests`, headers sort
 * them, the filters narrow them and live in the URL, each row's evidence links its runs and
 * patch sets and its history is shown; axe clean, no console errors, phone width.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { sortVerdicts, type FlakySort } from '../../client/src/pages/flaky/flaky.js';
import { hrefOf } from '../../client/src/lib/route.js';
import {
  accessibilityViolations,
  browserIt,
  horizontalOverflow,
  openDashboard,
} from '../helpers/browser.js';
import { backends } from '../helpers/databases.js';
import { ingestInsightHistory } from '../helpers/insight-history.js';
import { startServer, type TestServer } from '../helpers/server.js';

const sqlite = backends.find((b) => b.name === 'sqlite')!;

interface ApiVerdict {
  testId: string;
  scope: string;
  verdict: string;
  runs: number;
  failures: number;
  firstSeen: string;
  lastSeen: string;
  evidence: { runs: { run: string }[]; patchSets: { change: number }[] };
  history: { to: string }[];
}

describe('the Flaky tests page', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(sqlite);
    await ingestInsightHistory(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  async function verdicts(filter: Record<string, string> = {}): Promise<ApiVerdict[]> {
    const { body } = await server.query<{ flakyTests: { nodes: ApiVerdict[] } }>(
      `query ($filter: FlakyFilter) { flakyTests(filter: $filter, first: 200) { nodes {
        testId scope verdict runs failures firstSeen lastSeen
        evidence { runs { run } patchSets { change } } history { to } } } }`,
      { filter },
    );
    expect(body.errors).toBeUndefined();
    return body.data!.flakyTests.nodes;
  }

  const keysOn = (page: Page) =>
    page
      .locator('table.verdicts tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')));
  const keysOf = (rows: readonly ApiVerdict[]) => rows.map((r) => `${r.testId} ${r.scope}`);

  browserIt('lists every verdict, sorts by a header and narrows by job in the URL', async () => {
    const all = await verdicts();
    expect(all.length).toBeGreaterThan(2);
    expect(new Set(all.map((v) => v.verdict))).toEqual(new Set(['FLAKY', 'BROKEN']));
    const session = await openDashboard(server.url);
    try {
      const { page } = session;
      await page.goto(`${server.url}/flaky`);
      await page.locator('table.verdicts tbody tr').first().waitFor();
      const latestFirst: FlakySort = { key: 'lastSeen', order: 'desc' };
      expect(await keysOn(page)).toEqual(keysOf(sortVerdicts(all, latestFirst)));

      await page.getByRole('button', { name: 'Failures' }).click();
      await page.waitForURL(/sort=failures&order=desc/);
      expect(await keysOn(page)).toEqual(
        keysOf(sortVerdicts(all, { key: 'failures', order: 'desc' })),
      );
      await page.getByRole('button', { name: 'Failures' }).click();
      await page.waitForURL(/order=asc/);
      expect(await keysOn(page)).toEqual(
        keysOf(sortVerdicts(all, { key: 'failures', order: 'asc' })),
      );

      const job = all.find((v) => v.scope.startsWith('job:'))!.scope.slice(4);
      await page.getByLabel('Job', { exact: true }).fill(job);
      await page.getByLabel('Job', { exact: true }).press('Enter');
      await page.waitForURL(new RegExp(`job=${encodeURIComponent(job)}`));
      const onJob = await verdicts({ job });
      await expect
        .poll(() => keysOn(page))
        .toEqual(keysOf(sortVerdicts(onJob, { key: 'failures', order: 'asc' })));
      expect(onJob.every((v) => v.scope === `job:${job}`)).toBe(true);
      expect(await accessibilityViolations(page)).toEqual([]);
      await session.screenshot('flaky');
      expect(session.problems).toEqual([]);
      expect(session.blocked).toEqual([]);
    } finally {
      await session.close();
    }
  });

  browserIt("opens a verdict's evidence and history, linked", async () => {
    const [first] = sortVerdicts(await verdicts(), { key: 'lastSeen', order: 'desc' });
    const session = await openDashboard(server.url);
    try {
      const { page } = session;
      await page.goto(`${server.url}/flaky`);
      const row = page.locator(`tr[data-key="${first!.testId} ${first!.scope}"]`);
      await row.getByText('Evidence and history').click();
      const runLinks = await row
        .locator('ul.runs a')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      expect(runLinks).toEqual(first!.evidence.runs.map((r) => hrefOf({ page: 'run', id: r.run })));
      const changeLinks = await row
        .locator('ul.patch-sets a')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      expect(changeLinks).toEqual(
        first!.evidence.patchSets.map((p) => hrefOf({ page: 'change', number: p.change })),
      );
      expect(await row.locator('ol.history li').count()).toBe(first!.history.length);
      expect(await row.locator('td[data-verdict]').getAttribute('data-verdict')).toBe(
        first!.verdict,
      );
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });

  browserIt('is usable at phone width', async () => {
    const session = await openDashboard(server.url, { width: 390, height: 844 });
    try {
      const { page } = session;
      await page.goto(`${server.url}/flaky`);
      await page.locator('table.verdicts tbody tr').first().waitFor();
      expect(await horizontalOverflow(page)).toBe(0);
      await session.screenshot('flaky-phone');
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
