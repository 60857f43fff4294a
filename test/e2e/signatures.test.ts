/**
 * The signatures pages in Debian's Chromium against a real server fed the insight history and
 * a run that passed after retries (real stestr streams): the clusters table holds what the
 * signature oracle (test/helpers/signature-oracle.ts) works out from the streams, "new" marks
 * those first seen in the last 7 days, the known-cause trend is drawn, rules added through
 * GraphQL show their hits and flags; the detail page's counts, links, chart and rules; an
 * unknown fingerprint; phone width, axe, no console errors.
 */
import { beforeAll, describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { formatCount } from '../../client/src/lib/format.js';
import { createToken } from '../../server/tokens/token.service.js';
import {
  accessibilityViolations,
  browserIt,
  horizontalOverflow,
  openBrowser,
  type BrowserSession,
} from '../helpers/browser.js';
import { backends } from '../helpers/databases.js';
import { ingestInsightHistory, insightHistory } from '../helpers/insight-history.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { failuresOf, signaturesOf } from '../helpers/signature-oracle.js';

const RETRY = { file: 'subunit/sample-retry.subunit', job: 'retry-job' };
const STREAMS = [
  ...insightHistory.map((r) => ({ file: `insights/${r.file}`, job: r.metadata.build_name })),
  RETRY,
];
const DAY_MS = 86_400_000;
const TIMEOUT = /^TimeoutError: timed out after/;

const ADD = `mutation ($rule: KnownIssueRuleInput!) { addKnownIssueRule(rule: $rule) { id } }`;

describe('the signatures pages', () => {
  let server: TestServer;
  const failures = failuresOf(STREAMS);
  const expected = signaturesOf(failures);
  const firstSeen = new Map<string, string>();
  let exampleRuns: string[] = [];
  /** An hour after the newest failure: the browser's "now", so "new" does not age. */
  let now: Date;
  const parseConfig = failures.find((f) => f.testId.endsWith('test_parse_config'))!.fingerprint;

  beforeAll(async () => {
    // Rules go stale after a minute: every hit of the history is older than that.
    server = await startServer(backends[0]!, { GATEWATCH_RULE_STALE_AFTER: '1m' });
    exampleRuns = (await ingestInsightHistory(server)).map((r) => r.uuid);
    exampleRuns.push((await server.ingest(RETRY.file, { build_name: RETRY.job })).run);
    const auth = {
      authorization: `Bearer ${(await createToken(server.app.services.db, 'ci')).secret}`,
    };
    const rules = [
      { field: 'MESSAGE', pattern: TIMEOUT.source, title: 'timeout' },
      { field: 'MESSAGE', pattern: 'first attempt fails', title: 'retried' },
      { field: 'FINGERPRINT', pattern: parseConfig, title: 'config' },
    ];
    for (const rule of rules) {
      const answer = await server.query(
        ADD,
        { rule: { ...rule, bugUrl: `https://bugs.example/${rule.title}` } },
        auth,
      );
      expect(answer.body.errors).toBeUndefined();
    }
    const list = await server.query<{
      signatures: { nodes: { fingerprint: string; firstSeen: string; lastSeen: string }[] };
    }>(`{ signatures(first: 500) { nodes { fingerprint firstSeen lastSeen } } }`);
    const nodes = list.body.data!.signatures.nodes;
    for (const n of nodes) firstSeen.set(n.fingerprint, n.firstSeen);
    now = new Date(Date.parse(nodes[0]!.lastSeen) + 3600_000);
  });

  async function open(path: string, viewport?: { width: number; height: number }) {
    const browser = await openBrowser(server.url, viewport);
    await browser.context.clock.setFixedTime(now);
    await browser.page.goto(`${server.url}${path}`);
    return browser;
  }

  async function expectClean(browser: BrowserSession): Promise<void> {
    expect(await accessibilityViolations(browser.page)).toEqual([]);
    expect(browser.problems).toEqual([]);
    expect(browser.blocked).toEqual([]);
  }

  const cell = (row: ReturnType<Page['locator']>, id: string) =>
    row.getByTestId(id).evaluate((el) => el.lastChild?.textContent?.trim() ?? '');

  browserIt(
    'lists every cluster, the known-cause trend and the rules with their flags',
    async () => {
      const browser = await open('/signatures?since=30d');
      try {
        const { page } = browser;
        const rows = page.locator('table[data-testid=signatures] tbody tr');
        await expect.poll(() => rows.count()).toBe(expected.size);
        expect(await page.getByTestId('total').innerText()).toBe(formatCount(expected.size));
        for (const s of expected.values()) {
          const row = page.locator(`tr[data-fingerprint="${s.fingerprint}"]`);
          const summary = row.getByRole('link', { name: s.summary, exact: true });
          expect(await summary.getAttribute('href')).toBe(`/signatures/${s.fingerprint}`);
          expect(await cell(row, 'failures')).toBe(formatCount(s.failures));
          expect(await cell(row, 'runs')).toBe(formatCount(s.runs));
          const top = [...s.tests].sort((a, b) => b.failures - a.failures)[0]!;
          if (s.tests.filter((t) => t.failures === top.failures).length === 1) {
            expect(await row.locator('td.test a').innerText()).toBe(top.name);
          }
          const recent = now.getTime() - Date.parse(firstSeen.get(s.fingerprint)!) <= 7 * DAY_MS;
          expect(await row.getByTestId('new').count()).toBe(recent ? 1 : 0);
          const known = await row.getByTestId('known').locator('a').allInnerTexts();
          expect(known).toEqual(s.fingerprint === parseConfig ? ['config'] : []);
        }
        // The retried run is 12 days older than the history: its signature is not new.
        const retried = failures.find((f) => f.job === RETRY.job)!.fingerprint;
        expect(
          await page.locator(`tr[data-fingerprint="${retried}"] [data-testid=new]`).count(),
        ).toBe(0);

        await expect
          .poll(() => page.locator('section[aria-labelledby=trend-heading] canvas').count())
          .toBeGreaterThan(0);

        const rule = (title: string) =>
          page.locator('table[data-testid=rules] tbody tr').filter({
            has: page.getByRole('link', { name: title, exact: true }),
          });
        const count = (match: (f: (typeof failures)[number]) => boolean) =>
          formatCount(failures.filter(match).length);
        expect(await cell(rule('timeout'), 'hits')).toBe(count((f) => TIMEOUT.test(f.message)));
        expect(await cell(rule('retried'), 'hits')).toBe(
          count((f) => f.message.includes('first attempt fails')),
        );
        expect(await cell(rule('config'), 'hits')).toBe(
          count((f) => f.fingerprint === parseConfig),
        );
        // Every hit of the run that passed after retries: imprecise; all hits older than 1 min: stale.
        expect(await rule('retried').getByTestId('flags').innerText()).toContain('imprecise');
        expect(await rule('timeout').getByTestId('flags').innerText()).not.toContain('imprecise');
        for (const title of ['timeout', 'retried', 'config']) {
          expect(await rule(title).getByTestId('flags').innerText()).toContain('stale');
        }
        expect(
          await rule('retried').locator('abbr', { hasText: 'imprecise' }).getAttribute('title'),
        ).toMatch(/passed after retries/);
        await browser.screenshot('signatures');
        await expectClean(browser);
      } finally {
        await browser.close();
      }
    },
  );

  browserIt('filters the clusters by job, in the URL', async () => {
    const browser = await open('/signatures');
    try {
      const { page } = browser;
      await page.getByRole('searchbox', { name: 'Job' }).fill(RETRY.job);
      await page.getByRole('button', { name: 'Filter' }).click();
      const rows = page.locator('table[data-testid=signatures] tbody tr');
      const inJob = [...expected.values()].filter((s) => s.jobs.some((j) => j.name === RETRY.job));
      await expect.poll(() => new URL(page.url()).searchParams.get('job')).toBe(RETRY.job);
      await expect.poll(() => rows.count()).toBe(inJob.length);
      expect(
        await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-fingerprint'))),
      ).toEqual(expect.arrayContaining(inJob.map((s) => s.fingerprint)));
    } finally {
      await browser.close();
    }
  });

  browserIt('shows one signature: counts, traceback, links, chart, rules', async () => {
    const s = expected.get(parseConfig)!;
    const browser = await open(`/signatures/${s.fingerprint}`);
    try {
      const { page } = browser;
      await expect.poll(() => page.getByTestId('summary').innerText()).toBe(s.summary);
      expect(await page.getByTestId('failures').innerText()).toBe(formatCount(s.failures));
      expect(await page.getByTestId('runs').innerText()).toBe(formatCount(s.runs));
      const example = failures.find((f) => f.fingerprint === s.fingerprint)!;
      expect(await page.getByTestId('example').innerText()).toContain(example.message);
      expect(await page.getByTestId('example-run').getAttribute('href')).toBe(
        `/runs/${exampleRuns[s.firstRun]}`,
      );
      for (const t of s.tests) {
        const link = page.getByTestId('tests').getByRole('link', { name: t.name, exact: true });
        expect(await link.getAttribute('href')).toBe(`/tests/${encodeURIComponent(t.name)}`);
      }
      for (const j of s.jobs) {
        const link = page.getByTestId('jobs').getByRole('link', { name: j.name, exact: true });
        expect(await link.getAttribute('href')).toBe(`/jobs/${encodeURIComponent(j.name)}`);
      }
      expect(
        await page.getByTestId('rules').getByRole('link', { name: 'config' }).getAttribute('href'),
      ).toBe('https://bugs.example/config');
      await expect.poll(() => page.locator('figure.chart canvas').count()).toBeGreaterThan(0);
      await page.getByRole('button', { name: 'By week' }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get('resolution')).toBe('WEEK');
      await expect.poll(() => page.locator('figure.chart canvas').count()).toBeGreaterThan(0);
      await browser.screenshot('signatures-detail');
      await expectClean(browser);
    } finally {
      await browser.close();
    }
  });

  browserIt('says when no signature has a fingerprint', async () => {
    const browser = await open(`/signatures/${'0'.repeat(64)}`);
    try {
      await browser.page
        .getByText(`No failure signature has the fingerprint “${'0'.repeat(64)}”.`)
        .waitFor();
      await expectClean(browser);
    } finally {
      await browser.close();
    }
  });

  browserIt('fits a phone screen', async () => {
    const browser = await open('/signatures', { width: 390, height: 844 });
    try {
      const { page } = browser;
      await page.locator('table[data-testid=signatures] tbody tr').first().waitFor();
      await page.locator('table[data-testid=rules] tbody tr').first().waitFor();
      expect(await horizontalOverflow(page)).toBe(0);
      await browser.screenshot('signatures-phone');
      await expectClean(browser);
    } finally {
      await browser.close();
    }
  });
});
