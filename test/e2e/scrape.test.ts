/**
 * The scrape page in Chromium against a real server and a real log server (autoindex pages,
 * real fixtures): a log URL pasted in the header box is scraped with its progress shown live
 * and its run opens with the counts python-subunit reads in the fixture; a change the
 * collector stored lists its jobs, links the one already scraped and scrapes another in one
 * click; a job without artifacts says why; a server without public scraping asks for a token.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCount } from '../../client/src/lib/format.js';
import { openGerritStore } from '../../server/gerrit/store.js';
import { createToken } from '../../server/tokens/token.service.js';
import {
  accessibilityViolations,
  browserIt,
  horizontalOverflow,
  openDashboard,
  type BrowserSession,
} from '../helpers/browser.js';
import { backends } from '../helpers/databases.js';
import { deferred } from '../helpers/deferred.js';
import { patchSetCreated, reportAdded, T0, ZUUL } from '../helpers/gerrit-events.js';
import { startLogServer, type LogFile, type LogServer } from '../helpers/log-server.js';
import { oracle, oracleAvailable } from '../helpers/oracle.js';
import { FIXTURES, startServer, type TestServer } from '../helpers/server.js';

/** The expected counts come from python-subunit: by hand without it these tests skip. */
const scrapeIt = oracleAvailable ? browserIt : it.skip;

const CHANGE = { number: 271726, project: 'openstack/stackviz', subject: 'Add progress bars' };
const root = (job: string, build: string) => `/26/271726/2/check/${job}/${build}/`;
const TEMPEST = root('tempest-full', '937cf7b');
const PEP8 = root('pep8', '7c374a7');
const DOCS = root('docs', '1a2b3c4');

const fixture = (name: string) => readFileSync(`${FIXTURES}${name}`);
const TEMPEST_STREAM = fixture('subunit/sample-last.subunit.gz');
const PEP8_STREAM = fixture('subunit/stestr-successful.subunit');

/** How the run page shows a stream's counts, as python-subunit reads the stream. */
function expectedCounts(stream: Buffer): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'gatewatch-scrape-e2e-'));
  try {
    writeFileSync(join(dir, 'stream.subunit'), stream);
    const { rows, counts } = oracle(join(dir, 'stream.subunit'));
    return {
      tests: formatCount(rows.length),
      passes: formatCount(counts.success ?? 0),
      failures: formatCount(counts.fail ?? 0),
      skips: formatCount(counts.skip ?? 0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function shownCounts(page: Page): Promise<Record<string, string>> {
  const counts: Record<string, string> = {};
  for (const key of ['tests', 'passes', 'failures', 'skips']) {
    counts[key] = (await page.locator(`[data-count="${key}"] dd`).innerText()).trim();
  }
  return counts;
}

/** A file sent in two halves, the second once `gate` opens: the task stays downloading. */
function gated(bytes: Buffer, gate: Promise<void>): LogFile {
  return (res) => {
    const half = Math.floor(bytes.length / 2);
    res.writeHead(200, { 'content-length': bytes.length });
    res.write(bytes.subarray(0, half));
    void gate.then(() => res.end(bytes.subarray(half)));
  };
}

async function expectClean(browser: BrowserSession): Promise<void> {
  expect(await accessibilityViolations(browser.page)).toEqual([]);
  expect(browser.problems).toEqual([]);
  expect(browser.blocked).toEqual([]);
}

const SCRAPE_ENV = {
  // The log server listens on loopback, refused unless listed.
  GATEWATCH_SCRAPE_ALLOW_HOSTS: '127.0.0.1',
  GATEWATCH_PUBLIC_SCRAPE_RATE: '100',
};

describe('the scrape page', () => {
  const tempestGate = deferred();
  let logs: LogServer;
  let server: TestServer;

  beforeAll(async () => {
    logs = await startLogServer([
      {
        root: TEMPEST,
        style: 'apache',
        files: {
          'console.html': Buffer.from('<pre>tempest-full ran</pre>'),
          'logs/testrepository.subunit.gz': gated(TEMPEST_STREAM, tempestGate.promise),
          'logs/dstat-csv_log.txt': fixture('dstat/dstat-0.8.0-debian.csv'),
        },
      },
      { root: PEP8, style: 'nginx', files: { 'testrepository.subunit': PEP8_STREAM } },
      // Logs, but nothing a run is made of.
      { root: DOCS, style: 'apache', files: { 'logs/README.txt': Buffer.from('docs built') } },
    ]);
    server = await startServer(backends[0]!, { ...SCRAPE_ENV, GATEWATCH_PUBLIC_SCRAPE: '1' });
    const store = await openGerritStore(server.app.services, {
      name: 'review',
      url: 'https://review.example.org',
      cis: [],
      upstream: null,
    });
    await store.accept(
      [
        patchSetCreated(CHANGE, 2, T0),
        reportAdded(CHANGE, 2, T0 + 600, ZUUL, false, [
          { job: 'tempest-full', result: 'SUCCESS', url: `${logs.origin}${TEMPEST}` },
          { job: 'pep8', result: 'SUCCESS', url: `${logs.origin}${PEP8}` },
          { job: 'docs', result: 'POST_FAILURE', url: `${logs.origin}${DOCS}` },
        ]),
      ],
      'stream',
    );
    await store.close();
  });
  afterAll(async () => {
    tempestGate.resolve();
    await logs?.close();
  });

  scrapeIt('scrapes a log URL pasted in the header box, live, and opens its run', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(server.url);
      const box = page.getByRole('textbox', { name: 'Change number, Gerrit URL or job log URL' });
      await box.focus();
      // A paste, as a user's: the clipboard's text in a paste event on the empty box.
      await page.evaluate(`(() => {
        const data = new DataTransfer();
        data.setData('text/plain', ${JSON.stringify(`  ${logs.origin}${TEMPEST}\n`)});
        document.activeElement.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        );
      })()`);
      await expect
        .poll(() => decodeURIComponent(new URL(page.url()).pathname))
        .toBe(`/go/${logs.origin}${TEMPEST}`);

      // Held mid-download by the log server: the progress shows the stage and the bytes.
      const stage = page.getByTestId('scrape-stage');
      await expect.poll(() => stage.innerText(), { timeout: 30_000 }).toBe('downloading');
      await expect
        .poll(() => page.getByTestId('scrape-bytes').innerText(), { timeout: 30_000 })
        .not.toBe('0 B');
      expect(await page.locator('progress').getAttribute('aria-valuetext')).toBe(
        'downloading: step 2 of 4',
      );
      await browser.screenshot('scrape-progress');
      await expectClean(browser);

      tempestGate.resolve();
      await expect.poll(() => page.url(), { timeout: 60_000 }).toMatch(/\/runs\/[\w-]+$/);
      await expect
        .poll(() => shownCounts(page), { timeout: 30_000 })
        .toEqual(expectedCounts(gunzipSync(TEMPEST_STREAM)));
      // It replaced the scrape page: Back leads where the paste was made.
      await page.goBack();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/');
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  scrapeIt(
    'lists a change’s jobs, links the one scraped and scrapes another in one click',
    async () => {
      const browser = await openDashboard(server.url);
      try {
        const { page } = browser;
        await page.goto(server.url);
        const box = page.getByRole('textbox', { name: 'Change number, Gerrit URL or job log URL' });
        await box.fill(String(CHANGE.number));
        await box.press('Enter');
        const jobs = page.getByTestId('scrape-jobs');
        await jobs.waitFor({ timeout: 30_000 });
        expect(await page.getByTestId('change').innerText()).toContain(
          `Change ${CHANGE.number}, patch set 2 · ${CHANGE.project}`,
        );
        const row = (job: string) => jobs.locator('tbody tr', { hasText: job });
        expect(await row('docs').locator('.result').innerText()).toContain('!');
        expect(await row('pep8').locator('.result').innerText()).toContain('✓');
        expect(
          await row('pep8').getByRole('link', { name: 'logs of pep8' }).getAttribute('href'),
        ).toBe(`${logs.origin}${PEP8}`);
        // Scraped by the previous test: a link to its run, no button.
        const scraped = row('tempest-full').getByRole('link', {
          name: 'tempest-full',
          exact: true,
        });
        expect(await scraped.getAttribute('href')).toMatch(/^\/runs\/[\w-]+$/);
        await browser.screenshot('scrape-jobs');
        await expectClean(browser);

        await page.getByRole('button', { name: 'Scrape pep8' }).click();
        await expect.poll(() => page.url(), { timeout: 60_000 }).toMatch(/\/runs\/[\w-]+$/);
        await expect
          .poll(() => shownCounts(page), { timeout: 30_000 })
          .toEqual(expectedCounts(PEP8_STREAM));
        // Picked from the list: Back returns to it.
        await page.goBack();
        await expect.poll(() => new URL(page.url()).pathname).toBe(`/go/${CHANGE.number}`);
        await row('pep8')
          .getByRole('link', { name: 'pep8', exact: true })
          .waitFor({ timeout: 30_000 });
        expect(browser.problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );

  scrapeIt('says why a job without artifacts failed, and offers a retry', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/go/${CHANGE.number}`);
      await page.getByRole('button', { name: 'Scrape docs' }).click();
      const error = page.getByTestId('scrape-error');
      await error.waitFor({ timeout: 60_000 });
      expect(await error.innerText()).toContain(
        `no subunit stream or console log under ${logs.origin}${DOCS}`,
      );
      await error.getByRole('button', { name: 'Retry' }).waitFor();
      await browser.screenshot('scrape-failed');
      await expectClean(browser);
    } finally {
      await browser.close();
    }
  });

  browserIt('shows the server’s refusal of what it cannot read', async () => {
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/go/${encodeURIComponent('ftp://example.org/x')}`);
      const error = page.getByTestId('scrape-error');
      await error.waitFor({ timeout: 30_000 });
      // The server's own words, whatever they are: the page adds nothing to them.
      const { body } = await server.query<unknown>(
        'query($input: String!) { resolveChange(input: $input) { kind } }',
        { input: 'ftp://example.org/x' },
      );
      expect(await error.innerText()).toBe(body.errors![0]!.message);
      await expectClean(browser);
    } finally {
      await browser.close();
    }
  });

  browserIt('fits a phone screen', async () => {
    const browser = await openDashboard(server.url, { width: 390, height: 844 });
    try {
      const { page } = browser;
      await page.goto(`${server.url}/go/${CHANGE.number}`);
      await page.getByTestId('scrape-jobs').waitFor({ timeout: 30_000 });
      expect(await horizontalOverflow(page)).toBe(0);
      await browser.screenshot('scrape-phone');
      await expectClean(browser);
    } finally {
      await browser.close();
    }
  });
});

describe('the scrape page of a server without public scraping', () => {
  let logs: LogServer;
  let server: TestServer;

  beforeAll(async () => {
    logs = await startLogServer([
      { root: PEP8, style: 'nginx', files: { 'testrepository.subunit': PEP8_STREAM } },
    ]);
    server = await startServer(backends[0]!, SCRAPE_ENV);
  });
  afterAll(() => logs?.close());

  scrapeIt('asks for a token, or gives the command, and scrapes with the token', async () => {
    const { secret } = await createToken(server.app.services.db, 'e2e-scrape');
    const input = `${logs.origin}${PEP8}`;
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/go/${encodeURIComponent(input)}`);
      const form = page.getByTestId('scrape-token');
      await form.waitFor({ timeout: 30_000 });
      expect(await form.locator('pre').innerText()).toBe(`npx gatewatch scrape ${input}`);
      await browser.screenshot('scrape-token');
      await expectClean(browser);

      await form.getByLabel('Token').fill(secret);
      await form.getByRole('button', { name: 'Scrape with this token' }).click();
      await expect.poll(() => page.url(), { timeout: 60_000 }).toMatch(/\/runs\/[\w-]+$/);
      await expect
        .poll(() => shownCounts(page), { timeout: 30_000 })
        .toEqual(expectedCounts(PEP8_STREAM));
      // Kept for the tab, not beyond it.
      expect(await page.evaluate(`sessionStorage.getItem('gatewatch.scrape-token')`)).toBe(secret);
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
