/**
 * The live page in Debian's Chromium against a real server collecting from the Gerrit
 * stand-in: events emitted on the stand-in while the page is open arrive, newest on top, with
 * the CI reports the collector parsed from them; the filters by project, CI and type count what
 * the emitted events say; paused, new entries wait (counted) and join on resume. Every
 * expectation is derived from the raw events.
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
  actorOf,
  projectOf,
  reportsOf,
  startFedServer,
  type FedServer,
} from '../helpers/gerrit-fed.js';
import { defaultCis, generateHistory } from '../helpers/gerrit-history.js';
import type { RawEvent } from '../helpers/gerrit-standin.js';

const CIS = defaultCis.map((ci) => ci.username);
const history = generateHistory({
  seed: 29,
  changes: 8,
  start: new Date(PINNED_NOW.getTime() - 30 * 3_600_000),
  spanSeconds: 20 * 3600,
}).events as RawEvent[];
const half = Math.floor(history.length / 2);
const first = history.slice(0, half);
const second = history.slice(half);

/** What the page lists for some events: each event, and each report among them. */
const entriesOf = (events: readonly RawEvent[]) => events.length + reportsOf(events, CIS).length;

/** Resolves once the page has sent both of its subscriptions. */
function subscribed(page: Page): Promise<void> {
  const wanted = new Set(['gerritEvents', 'ciReports']);
  return new Promise((resolve) => {
    page.on('websocket', (socket) =>
      socket.on('framesent', ({ payload }) => {
        if (typeof payload !== 'string' || !/"subscribe"/.test(payload)) return;
        for (const name of wanted) if (payload.includes(name)) wanted.delete(name);
        if (wanted.size === 0) resolve();
      }),
    );
  });
}

const shownTotal = (page: Page) => page.getByTestId('shown-total').innerText();

describe('the live page', () => {
  let fed: FedServer;

  beforeAll(async () => {
    fed = await startFedServer(backends[0]!, { upstream: 'zuul', since: '2026-05-01' });
  });
  afterAll(async () => {
    await fed?.close();
  });

  browserIt(
    'lists events and reports as they arrive, filters them, pauses, fits a phone',
    async () => {
      const browser = await openDashboard(fed.server.url);
      try {
        const { page } = browser;
        const ready = subscribed(page);
        await page.goto(`${fed.server.url}/live`);
        await page.getByRole('heading', { level: 1, name: 'Live' }).waitFor();
        await page.getByText('Waiting for events…').waitFor();
        expect(await page.getByTestId('how-to-collect').count()).toBe(1);
        await ready;

        for (const event of first) fed.standin.emit(event);
        await expect
          .poll(() => shownTotal(page), { timeout: 60_000 })
          .toBe(formatCount(entriesOf(first)));

        // Newest on top: the first event entry is the last event emitted.
        const last = first.at(-1)! as { type: string };
        const top = page.locator(`ol.feed li:not([data-type="ci-report"])`).first();
        expect(await top.getAttribute('data-type')).toBe(last.type);

        // By project: its events and its reports.
        const project = projectOf(first[0]!)!;
        await page.getByLabel('Project', { exact: true }).selectOption(project);
        const ofProject = first.filter((e) => projectOf(e) === project);
        await expect
          .poll(() => shownTotal(page))
          .toBe(formatCount(ofProject.length + reportsOf(ofProject, CIS).length));
        expect(new URL(page.url()).searchParams.get('project')).toBe(project);
        await page.getByLabel('Project', { exact: true }).selectOption('');

        // By CI: what its account did (its comments) and the reports parsed from them.
        await page.getByLabel('CI', { exact: true }).selectOption('acme-ci');
        const byAcme = first.filter((e) => actorOf(e) === 'acme-ci').length;
        const acmeReports = reportsOf(first, ['acme-ci']).length;
        expect(acmeReports).toBeGreaterThan(0);
        await expect.poll(() => shownTotal(page)).toBe(formatCount(byAcme + acmeReports));

        // By type, with the CI still chosen: its reports only.
        await page.getByLabel('Type', { exact: true }).selectOption('ci-report');
        await expect.poll(() => shownTotal(page)).toBe(formatCount(acmeReports));
        const verdicts = await page.locator('ol.feed li .verdict').allInnerTexts();
        expect(verdicts.map((v) => v.replace(/^\S+\s+/, ''))).toEqual(
          reportsOf(first, ['acme-ci'])
            .reverse()
            .map((r) => `${r.verdict} (Verified ${r.vote > 0 ? '+' : ''}${r.vote})`),
        );
        await page.getByLabel('CI', { exact: true }).selectOption('');
        await page.getByLabel('Type', { exact: true }).selectOption('');

        // Paused: what arrives waits, counted; resumed, it joins the list.
        await page.getByRole('button', { name: 'Pause' }).click();
        for (const event of second) fed.standin.emit(event);
        const waiting = entriesOf(second);
        await expect
          .poll(() => page.getByTestId('waiting').innerText(), { timeout: 60_000 })
          .toBe(`Paused: ${formatCount(waiting)} new entries waiting`);
        expect(await shownTotal(page)).toBe(formatCount(entriesOf(first)));
        await page.getByRole('button', { name: 'Resume' }).click();
        await expect.poll(() => shownTotal(page)).toBe(formatCount(entriesOf(history)));

        expect(await accessibilityViolations(page)).toEqual([]);
        await browser.screenshot('live');

        // At phone width the list stacks, nothing sideways.
        await page.setViewportSize({ width: 390, height: 844 });
        expect(await horizontalOverflow(page)).toBe(0);
        expect(await accessibilityViolations(page)).toEqual([]);
        await browser.screenshot('live-phone');
        expect(browser.problems).toEqual([]);
        expect(browser.blocked).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});
