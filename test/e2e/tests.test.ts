/**
 * The tests page in Chromium against a real server: hand-made runs with 120 known tests (and a
 * real fixture beside them) are ingested; the page must list them with the right figures,
 * narrow them by prefix, substring, regular expression or recent traceback text, sort them
 * on the server by a clicked header, page through them 50 at a time, and keep all of it in
 * the URL.
 */
import { beforeAll, describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { formatCount, formatDuration, formatPercent } from '../../client/src/lib/format.js';
import {
  accessibilityViolations,
  browserIt,
  horizontalOverflow,
  openDashboard,
  PINNED_NOW,
} from '../helpers/browser.js';
import { backends } from '../helpers/databases.js';
import { ingestMade, type MadeResult } from '../helpers/made-runs.js';
import { startServer, type TestServer } from '../helpers/server.js';

const ALPHA = 'gw.made.alpha.AlphaTest';
const BETA = 'gw.made.beta.BetaTest';
/** What the failing beta tests print: the traceback search finds them by it. */
const BETA_ERROR = 'TimeoutError: beta timed out';

interface Made {
  testId: string;
  /** Seconds of its success in the first run. */
  seconds: number;
  /** Whether it fails in the second run (else passes in 0.5 s). */
  fails: boolean;
}

const made: Made[] = [
  ...Array.from({ length: 100 }, (_, i) => ({ prefix: ALPHA, i })),
  ...Array.from({ length: 20 }, (_, i) => ({ prefix: BETA, i })),
].map(({ prefix, i }) => ({
  testId: `${prefix}.test_${String(i).padStart(3, '0')}`,
  seconds: ((i % 7) + 1) * 0.25,
  fails: i % 10 === 0,
}));

/** What a row of the table reads for a made test, worked out from what was ingested. */
function rowOf(test: Made): string[] {
  const successes = test.fails ? [test.seconds] : [test.seconds, 0.5];
  const failures = test.fails ? 1 : 0;
  return [
    test.testId,
    formatCount(2),
    formatCount(failures),
    formatPercent(failures / 2),
    formatDuration(successes.reduce((a, b) => a + b, 0) / successes.length),
  ];
}

/** Made tests matching, in the page's order (bytewise by id). */
const matching = (keep: (id: string) => boolean) =>
  made.filter((t) => keep(t.testId)).sort((a, b) => (a.testId < b.testId ? -1 : 1));

async function rows(page: Page): Promise<string[][]> {
  return page
    .locator('main tbody tr')
    .all()
    .then((rows) =>
      Promise.all(
        rows.map(async (row) => (await row.locator('th, td').allInnerTexts()).map((t) => t.trim())),
      ),
    );
}

const total = (page: Page) => page.getByTestId('total').innerText();

describe('the tests page', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(backends[0]!);
    const at = new Date(PINNED_NOW.getTime() - 3_600_000);
    const first: MadeResult[] = made.map((t) => [t.testId, 'success', t.seconds]);
    const second: MadeResult[] = made.map((t) =>
      t.fails
        ? [
            t.testId,
            'fail',
            1,
            `Traceback\n${t.testId.startsWith(BETA) ? BETA_ERROR : 'AssertionError'}`,
          ]
        : [t.testId, 'success', 0.5],
    );
    await ingestMade(server, [
      { at, metadata: { build_name: 'made-job' }, results: first },
      {
        at: new Date(at.getTime() + 600_000),
        metadata: { build_name: 'made-job' },
        results: second,
      },
    ]);
    await server.ingest('subunit/stestr-failure.subunit', { build_name: 'tempest-full' });
  });

  browserIt('lists every test with its figures and pages through them', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/tests`);
      const { body } = await server.query<{ tests: { totalCount: number } }>(
        '{ tests { totalCount } }',
      );
      const all = body.data!.tests.totalCount;
      expect(all).toBeGreaterThan(made.length);
      await expect.poll(() => total(page), { timeout: 30_000 }).toBe(formatCount(all));
      expect(await page.locator('main tbody tr').count()).toBe(50);

      // Substring search: the made tests, 50 to a page.
      await page.getByLabel('Test id').fill('gw.made');
      await expect.poll(() => total(page)).toBe(formatCount(made.length));
      expect(new URL(page.url()).searchParams.get('q')).toBe('gw.made');
      const everyMade = matching(() => true);
      expect(await rows(page)).toEqual(everyMade.slice(0, 50).map(rowOf));
      const link = page.getByRole('link', { name: everyMade[0]!.testId, exact: true });
      expect(await link.getAttribute('href')).toBe(`/tests/${everyMade[0]!.testId}`);

      const pages = page.getByRole('navigation', { name: 'Pages' });
      expect(await pages.getByRole('button', { name: '← Previous' }).isDisabled()).toBe(true);
      await pages.getByRole('button', { name: 'Next →' }).click();
      await expect.poll(() => rows(page)).toEqual(everyMade.slice(50, 100).map(rowOf));
      expect(await pages.innerText()).toContain('Page 2 of 3');
      await pages.getByRole('button', { name: 'Next →' }).click();
      await expect.poll(() => rows(page)).toEqual(everyMade.slice(100).map(rowOf));
      expect(await pages.getByRole('button', { name: 'Next →' }).isDisabled()).toBe(true);
      expect(await page.locator('.count').innerText()).toContain(`101–${made.length} of`);

      // The page is in the URL: a reload shows it again, and Previous goes back.
      await page.reload();
      await expect
        .poll(() => rows(page), { timeout: 30_000 })
        .toEqual(everyMade.slice(100).map(rowOf));
      await pages.getByRole('button', { name: '← Previous' }).click();
      await expect.poll(() => rows(page)).toEqual(everyMade.slice(50, 100).map(rowOf));

      await browser.screenshot('tests');
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('searches by prefix or by substring', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/tests?q=test_00`);
      expect(await page.getByLabel('Test id').inputValue()).toBe('test_00');
      expect(await page.getByLabel('contains').isChecked()).toBe(true);
      const substring = matching((id) => id.includes('test_00'));
      await expect.poll(() => total(page), { timeout: 30_000 }).toBe(formatCount(substring.length));
      expect(await rows(page)).toEqual(substring.map(rowOf));
      // One page only: no pager.
      expect(await page.getByRole('navigation', { name: 'Pages' }).count()).toBe(0);

      // No test id starts with it.
      await page.getByLabel('starts with').check();
      expect(new URL(page.url()).searchParams.get('mode')).toBe('prefix');
      await page.getByText('No tests match “test_00”.').waitFor();

      await page.getByLabel('Test id').fill(BETA);
      const beta = matching((id) => id.startsWith(BETA));
      await expect.poll(() => total(page)).toBe(formatCount(beta.length));
      expect(await rows(page)).toEqual(beta.map(rowOf));

      await page.reload();
      expect(await page.getByLabel('starts with').isChecked()).toBe(true);
      expect(await page.getByLabel('Test id').inputValue()).toBe(BETA);
      await expect.poll(() => total(page), { timeout: 30_000 }).toBe(formatCount(beta.length));

      // A prefix matches at the start only: the same text as a substring matches more.
      await page.getByLabel('Test id').fill('made.alpha');
      await page.getByText('No tests match “made.alpha”.').waitFor();
      await page.getByLabel('contains').check();
      await expect
        .poll(() => total(page))
        .toBe(formatCount(matching((id) => id.includes('made.alpha')).length));

      expect(await accessibilityViolations(page)).toEqual([]);
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('sorts by a clicked header on the server, over every page', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/tests?q=gw.made`);
      await expect.poll(() => total(page), { timeout: 30_000 }).toBe(formatCount(made.length));
      const header = (name: string) =>
        page.locator('main thead').getByRole('button', { name: new RegExp(`^${name}`) });
      const ids = async () => (await rows(page)).map((row) => row[0]);
      const failing = matching((id) => made.find((t) => t.testId === id)!.fails);

      // Most failures first, ties by id: the failing tests of every page come first.
      await header('Failures').click();
      await expect
        .poll(async () => (await ids()).slice(0, failing.length))
        .toEqual(failing.map((t) => t.testId));
      expect(new URL(page.url()).searchParams.get('sort')).toBe('failures');
      expect(new URL(page.url()).searchParams.get('order')).toBe('desc');
      expect(await page.locator('th[aria-sort="descending"]').innerText()).toContain('Failures');

      // Mean time, slowest first, computed here as rowOf does.
      const mean = (t: Made) => (t.fails ? t.seconds : (t.seconds + 0.5) / 2);
      const slowest = matching(() => true)
        .sort((a, b) => mean(b) - mean(a) || (a.testId < b.testId ? -1 : 1))
        .map((t) => t.testId);
      await header('Mean time').click();
      await expect.poll(ids).toEqual(slowest.slice(0, 50));
      const pages = page.getByRole('navigation', { name: 'Pages' });
      await pages.getByRole('button', { name: 'Next →' }).click();
      await expect.poll(ids).toEqual(slowest.slice(50, 100));

      // Again: fastest first (ties still by id), from the first page.
      const fastest = matching(() => true)
        .sort((a, b) => mean(a) - mean(b) || (a.testId < b.testId ? -1 : 1))
        .map((t) => t.testId);
      await header('Mean time').click();
      await expect.poll(ids).toEqual(fastest.slice(0, 50));
      expect(new URL(page.url()).searchParams.get('pages')).toBeNull();
      await page.reload();
      await expect.poll(ids, { timeout: 30_000 }).toEqual(fastest.slice(0, 50));
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('searches by regular expression and by the tracebacks of recent failures', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/tests`);
      await page.getByLabel('regular expression').check();
      await page
        .getByLabel('Test id')
        .fill('^gw\\.made\\.(alpha|beta)\\.[A-Za-z]+\\.test_01[0-3]$');
      const expression = matching((id) =>
        /^gw\.made\.(alpha|beta)\.[A-Za-z]+\.test_01[0-3]$/.test(id),
      );
      expect(expression.length).toBe(8);
      await expect.poll(() => rows(page), { timeout: 30_000 }).toEqual(expression.map(rowOf));
      expect(new URL(page.url()).searchParams.get('mode')).toBe('regex');

      // What a regular expression cannot be is said, and nothing is asked.
      await page.getByLabel('Test id').fill('test_(');
      await page.getByText('Not a valid regular expression').waitFor();

      await page.getByLabel('Test id').fill('');
      await page.getByLabel('Recent tracebacks hold').fill(BETA_ERROR);
      const beta = matching(
        (id) => id.startsWith(BETA) && made.find((t) => t.testId === id)!.fails,
      );
      expect(beta.length).toBe(2);
      await expect.poll(() => rows(page)).toEqual(beta.map(rowOf));
      expect(new URL(page.url()).searchParams.get('tb')).toBe(BETA_ERROR);
      expect(await page.locator('.count').innerText()).toContain(
        `whose recent tracebacks hold ${BETA_ERROR}`,
      );

      await page.getByLabel('Recent tracebacks hold').fill('NoSuchError');
      await page.getByText("No recent failure's traceback holds “NoSuchError”.").waitFor();

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
      await page.goto(`${server.url}/tests?q=gw.made`);
      await expect.poll(() => total(page), { timeout: 30_000 }).toBe(formatCount(made.length));
      expect(await horizontalOverflow(page)).toBe(0);
      await browser.screenshot('tests-phone');
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
