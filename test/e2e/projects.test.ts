/**
 * The projects page (who has CI) in Debian's Chromium against a real server collecting from
 * the Gerrit stand-in: per project, its patch sets, every CI that reported on it with its
 * coverage, reports and last report, and the CIs that stopped reporting (a CI that reported
 * only in the window before), all derived here from the raw events by the README's definitions
 * (eligible: created in the window, not superseded within 3 h); the window in the URL; links to
 * each matrix and CI; axe-clean; phone width.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { formatCount, formatPercent, formatTime } from '../../client/src/lib/format.js';
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
} from '../helpers/gerrit-fed.js';
import { defaultCis, generateHistory } from '../helpers/gerrit-history.js';
import type { RawEvent } from '../helpers/gerrit-standin.js';

const HOUR = 3_600_000;
const NOW = PINNED_NOW.getTime();
const PROJECTS = ['openstack/nova', 'openstack/glance', 'openstack/swift'];
const generated = generateHistory({
  seed: 23,
  changes: 16,
  projects: PROJECTS,
  start: new Date(NOW - 44 * HOUR),
  spanSeconds: 40 * 3600,
}).events as RawEvent[];

/** A CI that reported once, more than a day ago: in a 24 h window it stopped reporting. */
const LEGACY = { username: 'legacy-ci', name: 'Legacy CI', email: 'legacy-ci@ci.example.org' };
const legacyReport = (() => {
  const created = generated.find(
    (e) => e.type === 'patchset-created' && (e.eventCreatedOn as number) * 1000 < NOW - 36 * HOUR,
  )! as RawEvent & { change: { number: number }; patchSet: { number: number } };
  const { change, patchSet } = created;
  const url = `https://logs.example.org/${change.number}/${patchSet.number}/check/legacy-ci-pep8/abc1234/`;
  return {
    type: 'comment-added',
    change,
    patchSet,
    author: LEGACY,
    approvals: [{ type: 'Verified', description: 'Verified', value: '1', oldValue: '0' }],
    comment: `Patch Set ${patchSet.number}: Verified+1\n\nBuild succeeded.\n\n- legacy-ci-pep8 ${url} : SUCCESS in 1m 00s\n`,
    eventCreatedOn: (created.eventCreatedOn as number) + 1800,
  } as RawEvent;
})();
const history = [...generated, legacyReport].sort(
  (a, b) => (a.eventCreatedOn as number) - (b.eventCreatedOn as number),
);

const CIS = [...defaultCis.map((ci) => ci.username), LEGACY.username];
const NAMES = new Map([
  ...defaultCis.map((ci) => [ci.username, ci.name] as const),
  [LEGACY.username, LEGACY.name],
]);
const UPSTREAM = 'zuul';
const SUPERSEDED_WITHIN = 3 * HOUR;

interface ExpectedEntry {
  ci: string;
  reports: number;
  coverage: number | null;
  lastReportMs: number;
}

/** Who has CI per project over [NOW − windowMs, NOW), and who stopped (README definitions). */
function expectedProjects(windowMs: number) {
  const since = NOW - windowMs;
  const previous = since - windowMs;
  const reports = reportsOf(history, CIS);
  const patchSets = patchSetsOf(history);
  const inRange = (ms: number, from: number, to: number) => ms >= from && ms < to;
  const byCi = (a: ExpectedEntry, b: ExpectedEntry) =>
    Number(b.ci === UPSTREAM) - Number(a.ci === UPSTREAM) ||
    NAMES.get(a.ci)!.localeCompare(NAMES.get(b.ci)!);
  const active = PROJECTS.filter(
    (p) =>
      patchSets.some((ps) => ps.project === p && inRange(ps.createdMs, previous, NOW)) ||
      reports.some((r) => r.project === p && inRange(r.atMs, previous, NOW)),
  ).sort();
  return active.map((project) => {
    const its = reports.filter((r) => r.project === project);
    const created = patchSets.filter(
      (ps) => ps.project === project && inRange(ps.createdMs, since, NOW),
    );
    const eligible = created.filter(
      (ps) => ps.supersededMs === null || ps.supersededMs - ps.createdMs > SUPERSEDED_WITHIN,
    );
    const cis: ExpectedEntry[] = [];
    const stopped: ExpectedEntry[] = [];
    for (const ci of [...new Set(its.map((r) => r.ci))]) {
      const now = its.filter((r) => r.ci === ci && inRange(r.atMs, since, NOW));
      const before = its.filter((r) => r.ci === ci && inRange(r.atMs, previous, since));
      if (now.length > 0) {
        const reported = eligible.filter((ps) =>
          its.some(
            (r) =>
              r.ci === ci && r.change === ps.change && r.patchSet === ps.patchSet && r.atMs < NOW,
          ),
        );
        cis.push({
          ci,
          reports: now.length,
          coverage: eligible.length === 0 ? null : reported.length / eligible.length,
          lastReportMs: Math.max(...now.map((r) => r.atMs)),
        });
      } else if (before.length > 0) {
        stopped.push({
          ci,
          reports: before.length,
          coverage: null,
          lastReportMs: Math.max(...before.map((r) => r.atMs)),
        });
      }
    }
    return { project, patchSets: created.length, cis: cis.sort(byCi), stopped: stopped.sort(byCi) };
  });
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The page's figures, project by project, in the shape of {@link expectedProjects}. */
async function shown(page: Page) {
  return page.locator('section.project').evaluateAll((sections) => {
    // Words as read, the stacked tables' labels (hidden on wide screens) left out.
    const text = (e: { textContent: string | null } | null) =>
      (e?.textContent ?? '')
        .replace(/Coverage|Reports|Last report/g, '')
        .replace(/\s+/g, ' ')
        .trim();
    return sections.map((s) => ({
      project: s.querySelector('h2')!.textContent!.trim(),
      href: s.querySelector('h2 a')!.getAttribute('href'),
      patchSets: s.querySelector('[data-testid="patch-sets"]')!.textContent!.trim(),
      cis: [...s.querySelectorAll('tr[data-ci]')].map((tr) => [
        tr.getAttribute('data-ci'),
        tr.querySelector('th a')!.getAttribute('href'),
        text(tr.querySelector('.coverage .text')),
        text(tr.querySelector('.reports')),
        text(tr.querySelector('.last')),
      ]),
      stopped: [...s.querySelectorAll('.stopped li[data-ci]')].map((li) => [
        li.getAttribute('data-ci'),
        text(li).replace(' :', ':'),
      ]),
    }));
  });
}

const expectedShown = (projects: ReturnType<typeof expectedProjects>) =>
  projects.map((p) => ({
    project: p.project,
    href: `/projects/${p.project}/ci`,
    patchSets: formatCount(p.patchSets),
    cis: p.cis.map((e) => [
      e.ci,
      `/cis/${e.ci}`,
      formatPercent(e.coverage),
      formatCount(e.reports),
      formatTime(iso(e.lastReportMs)),
    ]),
    stopped: p.stopped.map((e) => [
      e.ci,
      `${NAMES.get(e.ci)}: last report ${formatTime(iso(e.lastReportMs))}`,
    ]),
  }));

describe('the projects page', () => {
  let fed: FedServer;

  beforeAll(async () => {
    fed = await startFedServer(backends[0]!, { upstream: UPSTREAM, since: '2026-05-01' });
    for (const event of history) fed.standin.emit(event);
    const stored = reportsOf(history, CIS).length;
    await until(async () => (await fed.count('ci_reports')) >= stored, 'every report stored');
  });
  afterAll(async () => {
    await fed?.close();
  });

  browserIt('shows who has CI per project, coverage and who stopped, per window', async () => {
    const browser = await openDashboard(fed.server.url);
    try {
      const { page } = browser;
      await page.goto(`${fed.server.url}/projects`);
      await page.getByRole('heading', { level: 1, name: 'Who has CI' }).waitFor();

      const week = expectedProjects(7 * 24 * HOUR);
      await expect.poll(() => shown(page)).toEqual(expectedShown(week));
      expect(await page.getByTestId('project-total').innerText()).toBe(formatCount(week.length));

      // A day: the CI that reported only before it has stopped reporting.
      await page.getByLabel('Window', { exact: true }).selectOption('24h');
      const day = expectedProjects(24 * HOUR);
      expect(day.some((p) => p.stopped.some((e) => e.ci === LEGACY.username))).toBe(true);
      await expect.poll(() => shown(page)).toEqual(expectedShown(day));
      expect(new URL(page.url()).searchParams.get('window')).toBe('24h');
      expect(await page.getByTestId('stopped-total').innerText()).toBe(
        formatCount(day.filter((p) => p.stopped.length > 0).length),
      );
      await page.reload();
      await expect.poll(() => shown(page)).toEqual(expectedShown(day));

      expect(await accessibilityViolations(page)).toEqual([]);
      await browser.screenshot('projects');

      // A project opens its matrix, client-side.
      await page.locator('section.project h2 a').first().click();
      await page.waitForURL(`${fed.server.url}/projects/${day[0]!.project}/ci`);
      await page.getByRole('heading', { level: 1, name: `CI matrix ${day[0]!.project}` }).waitFor();

      await page.goBack();
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => shown(page)).toEqual(expectedShown(day));
      expect(await horizontalOverflow(page)).toBe(0);
      expect(await accessibilityViolations(page)).toEqual([]);
      await browser.screenshot('projects-phone');

      expect(browser.problems).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
