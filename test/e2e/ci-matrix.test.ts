/**
 * The CI matrix page in Debian's Chromium against a real server collecting from the Gerrit
 * stand-in: a generated history of two projects streamed in; every line, column and cell
 * (verdict, report count, log links) derived here from the raw events by the README's
 * definitions; the upstream highlight, the CIs chosen and the window kept in the URL; a change
 * emitted while the page is open appears without a reload; axe-clean; phone width.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { formatCount } from '../../client/src/lib/format.js';
import {
  accessibilityViolations,
  browserIt,
  horizontalOverflow,
  openDashboard,
  PINNED_NOW,
} from '../helpers/browser.js';
import { backends } from '../helpers/databases.js';
import {
  patchSetsOf,
  reportsOf,
  startFedServer,
  until,
  type FedServer,
  type RawReport,
} from '../helpers/gerrit-fed.js';
import { defaultCis, generateHistory } from '../helpers/gerrit-history.js';
import type { RawEvent } from '../helpers/gerrit-standin.js';

const PROJECT = 'openstack/nova';
const HOUR = 3_600_000;
const NOW = PINNED_NOW.getTime();
// Enough for a day's lines to fit one page (50) and two days' not to.
// Each patchset-created event carries its commit message, as Gerrit's does.
const commitMessage = (change: number, patchSet: number) =>
  `Change ${change}, revision ${patchSet}\n\nWhy it is needed.\n\nChange-Id: I${change}${patchSet}\n`;
const history = (
  generateHistory({
    seed: 17,
    changes: 70,
    projects: [PROJECT, 'openstack/glance'],
    start: new Date(NOW - 46 * HOUR),
    spanSeconds: 44 * 3600,
  }).events as RawEvent[]
).map((e) => {
  const { change, patchSet } = e as { change?: { number: number }; patchSet?: { number: number } };
  if (e.type !== 'patchset-created' || !change || !patchSet) return e;
  return {
    ...e,
    change: { ...change, commitMessage: commitMessage(change.number, patchSet.number) },
  };
});
const PAGE = 50;
const changeOf = (e: RawEvent) => (e as { change?: { number: number } }).change?.number;
const projectOfChange = (e: RawEvent) => (e as { change?: { project: string } }).change?.project;
// The newest change of the project is held back and streamed while the page is open.
const liveChange = Math.max(
  ...history.filter((e) => projectOfChange(e) === PROJECT).map((e) => changeOf(e)!),
);
const early = history.filter((e) => changeOf(e) !== liveChange);
const late = history.filter((e) => changeOf(e) === liveChange);

const CIS = defaultCis.map((ci) => ci.username);
const NAMES = new Map(defaultCis.map((ci) => [ci.username, ci.name]));
const UPSTREAM = 'zuul';

interface ExpectedCell {
  readonly reports: number;
  readonly latest: RawReport | null;
}
interface ExpectedRow {
  readonly label: string;
  readonly change: number;
  readonly subject: string;
  readonly cells: Map<string, ExpectedCell>;
}

/** The matrix of the project over [since, until) as the events tell it. */
function expectedMatrix(events: readonly RawEvent[], windowMs: number) {
  const since = NOW - windowMs;
  const reports = reportsOf(events, CIS).filter((r) => r.project === PROJECT && r.atMs < NOW);
  const inWindow = (ms: number) => ms >= since && ms < NOW;
  const columns = [...new Set(reports.filter((r) => inWindow(r.atMs)).map((r) => r.ci))].sort(
    (a, b) =>
      Number(b === UPSTREAM) - Number(a === UPSTREAM) || NAMES.get(a)!.localeCompare(NAMES.get(b)!),
  );
  const rows: ExpectedRow[] = patchSetsOf(events)
    .filter((ps) => ps.project === PROJECT && inWindow(ps.createdMs))
    .sort((a, b) => b.createdMs - a.createdMs)
    .map((ps) => {
      const cells = new Map<string, ExpectedCell>();
      for (const ci of columns) {
        const its = reports.filter(
          (r) => r.ci === ci && r.change === ps.change && r.patchSet === ps.patchSet,
        );
        cells.set(ci, { reports: its.length, latest: its.at(-1) ?? null });
      }
      return {
        label: `${ps.change},${ps.patchSet}`,
        change: ps.change,
        subject: ps.subject,
        cells,
      };
    });
  return { columns, rows };
}

const lineLabels = (page: Page) =>
  page
    .locator('table.matrix tbody tr')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-patch-set')));
const columnNames = (page: Page) => page.locator('table.matrix thead th.ci a').allInnerTexts();

/** Every cell of the page as `verdict×reports` per line, in column order. */
const cellStates = (page: Page) =>
  page
    .locator('table.matrix tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) =>
        [...r.querySelectorAll('td .cell')].map(
          (c) => `${c.getAttribute('data-verdict')}×${c.getAttribute('data-reports') ?? 0}`,
        ),
      ),
    );
const expectedStates = (m: ReturnType<typeof expectedMatrix>, columns = m.columns) =>
  m.rows.map((row) =>
    columns.map((ci) => {
      const cell = row.cells.get(ci)!;
      return cell.latest === null ? 'none×0' : `${cell.latest.verdict}×${cell.reports}`;
    }),
  );

describe('the CI matrix page', () => {
  let fed: FedServer;

  beforeAll(async () => {
    fed = await startFedServer(backends[0]!, { upstream: UPSTREAM, since: '2026-05-01' });
    for (const event of early) fed.standin.emit(event);
    const stored = reportsOf(early, CIS).length;
    await until(async () => (await fed.count('ci_reports')) >= stored, 'every report stored');
  });
  afterAll(async () => {
    await fed?.close();
  });

  browserIt('shows every verdict with its logs, highlights, chooses CIs, goes live', async () => {
    const browser = await openDashboard(fed.server.url);
    try {
      const { page } = browser;
      await page.goto(`${fed.server.url}/projects/${PROJECT}/ci`);
      await page.getByRole('heading', { level: 1, name: `CI matrix ${PROJECT}` }).waitFor();

      const day = expectedMatrix(early, 24 * HOUR);
      expect(day.rows.length).toBeGreaterThan(3);
      await expect.poll(() => lineLabels(page)).toEqual(day.rows.map((r) => r.label));
      expect(await page.getByTestId('patch-set-total').innerText()).toBe(
        formatCount(day.rows.length),
      );
      expect(await columnNames(page)).toEqual(day.columns.map((ci) => NAMES.get(ci)));
      expect(
        await page
          .locator('table.matrix thead th.ci a')
          .evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
      ).toEqual(day.columns.map((ci) => `/cis/${ci}`));
      expect(await cellStates(page)).toEqual(expectedStates(day));

      // Each line names its change, linked, with its subject.
      const firstLine = page.locator('table.matrix tbody tr').first();
      expect(await firstLine.locator('a.change').getAttribute('href')).toBe(
        `/changes/${day.rows[0]!.change}`,
      );
      expect(await firstLine.locator('.subject').innerText()).toBe(day.rows[0]!.subject);
      const [change, patchSet] = day.rows[0]!.label.split(',').map(Number) as [number, number];
      expect(await firstLine.locator('a.change').getAttribute('title')).toBe(
        `${day.rows[0]!.subject} (patch set ${patchSet})\n\n${commitMessage(change, patchSet).trim()}`,
      );

      // A failed cell: its jobs on hover, and opened, each job's log link.
      const failedAt = day.rows.flatMap((row, r) =>
        day.columns.flatMap((ci, c) =>
          row.cells.get(ci)!.latest?.verdict === 'FAILURE' ? [[r, c] as const] : [],
        ),
      )[0]!;
      expect(failedAt).toBeDefined();
      const [r, c] = failedAt;
      const failed = day.rows[r]!.cells.get(day.columns[c]!)!.latest!;
      const cell = page.locator('table.matrix tbody tr').nth(r).locator('td').nth(c);
      const title = await cell.locator('summary').getAttribute('title');
      for (const job of failed.jobs) expect(title).toContain(`: ${job.result}`);
      await cell.locator('summary').click();
      expect(
        await cell
          .locator('.jobs a')
          .evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
      ).toEqual(failed.jobs.map((j) => j.url));

      // The upstream CI's vote (the one Gerrit keeps: the newest it cast) colours whole lines.
      await page.getByLabel(/Highlight the upstream CI/).check();
      expect(new URL(page.url()).searchParams.get('highlight')).toBe('1');
      const tones = await page
        .locator('table.matrix tbody tr')
        .evaluateAll((rows) =>
          rows.map((row) => row.className.match(/highlight-(\w+)/)?.[1] ?? null),
        );
      expect(tones).toEqual(
        day.rows.map((row) => {
          const vote = row.cells.get(UPSTREAM)?.latest?.vote ?? 0;
          return vote > 0 ? 'pass' : vote < 0 ? 'fail' : null;
        }),
      );
      expect(tones.filter(Boolean).length).toBeGreaterThan(0);

      // Fewer CIs to compare: their columns go, the choice is a link.
      const dropped = day.columns[1]!;
      await page.getByRole('checkbox', { name: NAMES.get(dropped)! }).uncheck();
      const kept = day.columns.filter((ci) => ci !== dropped);
      await expect.poll(() => columnNames(page)).toEqual(kept.map((ci) => NAMES.get(ci)));
      expect(await cellStates(page)).toEqual(expectedStates(day, kept));
      await page.reload();
      await expect.poll(() => columnNames(page)).toEqual(kept.map((ci) => NAMES.get(ci)));
      expect(await page.getByLabel(/Highlight the upstream CI/).isChecked()).toBe(true);

      expect(await accessibilityViolations(page)).toEqual([]);
      await browser.screenshot('ci-matrix');

      // A longer window: more lines than a page holds, the others loaded on demand.
      expect(day.rows.length).toBeLessThanOrEqual(PAGE);
      await page.getByLabel('Window', { exact: true }).selectOption('48h');
      const twoDays = expectedMatrix(early, 48 * HOUR);
      expect(twoDays.rows.length).toBeGreaterThan(PAGE);
      const labels = twoDays.rows.map((r) => r.label);
      await expect.poll(() => lineLabels(page)).toEqual(labels.slice(0, PAGE));
      expect(new URL(page.url()).searchParams.get('window')).toBe('48h');
      expect(await page.getByTestId('patch-set-total').innerText()).toBe(
        formatCount(labels.length),
      );
      await page.getByRole('button', { name: `Load ${PAGE} more` }).click();
      await expect.poll(() => lineLabels(page)).toEqual(labels);
      expect(await page.getByRole('button', { name: /^Load/ }).count()).toBe(0);

      // Live: a change streamed now shows up, with its reports, without a reload.
      for (const event of late) fed.standin.emit(event);
      const all = expectedMatrix(history, 48 * HOUR);
      await expect
        .poll(() => lineLabels(page), { timeout: 30_000 })
        .toEqual(all.rows.map((r) => r.label));
      await expect.poll(() => cellStates(page)).toEqual(expectedStates(all, kept));
      expect(all.rows.some((row) => row.change === liveChange)).toBe(true);

      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt('fits a phone: the matrix scrolls in its box, the page does not', async () => {
    const browser = await openDashboard(fed.server.url, { width: 390, height: 844 });
    try {
      const { page } = browser;
      await page.goto(`${fed.server.url}/projects/${PROJECT}/ci`);
      await page.locator('table.matrix tbody tr').first().waitFor();
      expect(await horizontalOverflow(page)).toBe(0);
      expect(await accessibilityViolations(page)).toEqual([]);
      await browser.screenshot('ci-matrix-phone');
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  browserIt(
    'says what to do when no CI reported, and names a project it does not know',
    async () => {
      const browser = await openDashboard(fed.server.url);
      try {
        const { page } = browser;
        const range = 'window=custom&since=2026-04-01T00:00&until=2026-04-02T00:00';
        await page.goto(`${fed.server.url}/projects/${PROJECT}/ci?${range}`);
        await page.getByTestId('how-to-collect').waitFor();
        expect(await page.getByTestId('how-to-collect').innerText()).toContain('gatewatch collect');
        expect(await page.getByLabel('From (UTC)').inputValue()).toBe('2026-04-01T00:00');
        expect(await accessibilityViolations(page)).toEqual([]);

        await page.goto(`${fed.server.url}/projects/openstack/unknown/ci`);
        await expect
          .poll(() => page.getByRole('alert').innerText())
          .toContain('no project "openstack/unknown"');
        expect(browser.problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});
