/**
 * The recheck cost page in Debian's Chromium against a real server holding the recheck
 * history (test/helpers/recheck-history.ts: Zuul reports with durations whose builds link to
 * the insight history's real stestr runs, recheck comments, two known-issue rules): the
 * totals, the rankings by test and by signature and the most rechecked changes equal the
 * oracle's (test/helpers/recheck-oracle.ts), each row linked; the window and project in the
 * URL; axe clean, no console errors, phone width.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { formatHours } from '../../client/src/lib/format.js';
import { hrefOf } from '../../client/src/lib/route.js';
import {
  accessibilityViolations,
  browserIt,
  horizontalOverflow,
  openDashboard,
} from '../helpers/browser.js';
import { backends } from '../helpers/databases.js';
import { expectedCost } from '../helpers/recheck-oracle.js';
import { PROJECT, storeRecheckHistory, WINDOW } from '../helpers/recheck-history.js';
import { startServer, type TestServer } from '../helpers/server.js';

const sqlite = backends.find((b) => b.name === 'sqlite')!;
const minute = (date: Date) => date.toISOString().slice(0, 16);
const PATH = `/rechecks?window=custom&since=${minute(WINDOW.since)}&until=${minute(WINDOW.until)}`;

describe('the recheck cost page', () => {
  let server: TestServer;
  const expected = expectedCost();

  beforeAll(async () => {
    server = await startServer(sqlite);
    await storeRecheckHistory(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  browserIt('shows the totals and the rankings the history gives, each linked', async () => {
    const session = await openDashboard(server.url);
    try {
      const { page } = session;
      await page.goto(`${server.url}${PATH}`);
      const totals = page.getByTestId('recheck-totals');
      await totals.waitFor();
      const text = (await totals.textContent())!.replace(/\s+/g, ' ');
      expect(text).toContain(`${expected.rechecks} rechecks on ${expected.changes} changes`);
      expect(text).toContain(
        `${expected.reruns} re-runs took ${formatHours(expected.rerunNodeHours)}`,
      );
      expect(await page.getByTestId('attributed').textContent()).toBe(
        formatHours(expected.attributedNodeHours),
      );
      expect(text).toContain(`in ${expected.attributedReruns} re-run`);

      const rows = async (table: string) =>
        page
          .getByTestId(table)
          .locator('tbody tr')
          .evaluateAll((trs) =>
            trs.map((tr) => ({
              key: tr.getAttribute('data-key'),
              href: tr.querySelector('th a')!.getAttribute('href'),
              cells: [...tr.querySelectorAll('td')].map((td) => td.lastChild?.textContent ?? ''),
            })),
          );
      expect(expected.byTest.length).toBeGreaterThan(1);
      expect(await rows('by-test')).toEqual(
        expected.byTest.map((t) => ({
          key: t.testId,
          href: hrefOf({ page: 'test', testId: t.testId }),
          cells: [
            t.flakyScopes.length > 0 ? `flaky on ${t.flakyScopes.join(', ')}` : 'known issue',
            String(t.reruns),
            formatHours(t.nodeHours),
          ],
        })),
      );
      const bySignature = await rows('by-signature');
      expect(bySignature.map((r) => [r.key, r.href, r.cells.slice(1)])).toEqual(
        expected.bySignature.map((s) => [
          s.fingerprint,
          hrefOf({ page: 'signature', fingerprint: s.fingerprint }),
          [String(s.reruns), formatHours(s.nodeHours)],
        ]),
      );
      expect(await rows('top-changes')).toEqual(
        expected.topChanges.map((c) => ({
          key: String(c.change),
          href: hrefOf({ page: 'change', number: c.change }),
          cells: [PROJECT, String(c.rechecks), String(c.reruns), formatHours(c.nodeHours)],
        })),
      );
      expect(await accessibilityViolations(page)).toEqual([]);
      await session.screenshot('rechecks');
      expect(session.problems).toEqual([]);
      expect(session.blocked).toEqual([]);
    } finally {
      await session.close();
    }
  });

  browserIt('keeps the project in the URL; another project has nothing', async () => {
    const session = await openDashboard(server.url);
    try {
      const { page } = session;
      await page.goto(`${server.url}${PATH}`);
      await page.getByTestId('recheck-totals').waitFor();
      await page.getByLabel('Project').fill('acme/other');
      await page.getByLabel('Project').press('Enter');
      await page.waitForURL(/project=acme%2Fother/);
      await page.getByText('No recheck comment in this window.').waitFor();
      expect(
        (await page.getByTestId('recheck-totals').textContent())!.replace(/\s+/g, ' '),
      ).toContain('0 rechecks on 0 changes');
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });

  browserIt('is usable at phone width', async () => {
    const session = await openDashboard(server.url, { width: 390, height: 844 });
    try {
      const { page } = session;
      await page.goto(`${server.url}${PATH}`);
      await page.getByTestId('by-test').waitFor();
      expect(await horizontalOverflow(page)).toBe(0);
      await session.screenshot('rechecks-phone');
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
