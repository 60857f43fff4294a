/**
 * A run whose worker died mid-test is shown failed, and why, on the pages that show a run's
 * status: its run page and its job's recent runs (stestr's own stream of a crashed worker).
 */
import { beforeAll, describe, expect } from 'vitest';
import { accessibilityViolations, browserIt, openDashboard } from '../helpers/browser.js';
import { backends } from '../helpers/databases.js';
import { startServer, type TestServer } from '../helpers/server.js';

const JOB = 'e2e-crashed';

describe('a run whose worker died', () => {
  let server: TestServer;
  let run: string;
  let incomplete: number;

  beforeAll(async () => {
    server = await startServer(backends[0]!);
    const summary = await server.ingest('subunit/sample-worker-crash.subunit', {
      build_name: JOB,
    });
    run = summary.run;
    incomplete = summary.incomplete;
  });

  browserIt('is failed on its run page and in its job, saying why', async () => {
    expect(incomplete).toBeGreaterThan(0);
    const why = `${incomplete} ${incomplete === 1 ? 'test' : 'tests'} never ended (a worker died)`;
    const browser = await openDashboard(server.url);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/runs/${run}`);
      const status = page.getByTestId('run-status');
      await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/^\s*failed/);
      expect((await status.innerText()).toLowerCase()).toContain(why.toLowerCase());
      await browser.screenshot('run-status');

      await page.goto(`${server.url}/jobs/${JOB}`);
      const row = page.locator('table.runs tbody tr').first();
      await expect
        .poll(() => row.locator('.badge').innerText(), { timeout: 30_000 })
        .toBe('failed');
      expect(await row.locator('.why').innerText()).toBe(why);
      expect(await accessibilityViolations(page)).toEqual([]);
      await browser.screenshot('job-run-status');
      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
