/**
 * Failure badges in Debian's Chromium on the run, test, job and home pages, against a real
 * server fed the insight history's real stestr streams with one known-issue rule: on each page
 * every failure listed carries the badges its result's facts give (`knownIssues`,
 * `newSignature`, its test's verdicts, asked over GraphQL), and across the pages each kind —
 * flaky, broken, known issue, new failure — shows; badges link their pages; axe clean.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { failureBadges, type FailureFacts } from '../../client/src/lib/failure-badges.js';
import { createToken } from '../../server/tokens/token.service.js';
import { accessibilityViolations, browserIt, openDashboard } from '../helpers/browser.js';
import { backends } from '../helpers/databases.js';
import {
  ingestInsightHistory,
  insightTests as t,
  type StoredInsightRun,
} from '../helpers/insight-history.js';
import { startServer, type TestServer } from '../helpers/server.js';

const sqlite = backends.find((b) => b.name === 'sqlite')!;
const RULE = { test: t.deleteVolume, bugUrl: 'https://bugs.example.org/nova/+bug/4242' };

interface ApiFailure extends FailureFacts {
  testId: string;
}

describe('failure badges', () => {
  let server: TestServer;
  let runs: StoredInsightRun[];

  beforeAll(async () => {
    server = await startServer(sqlite);
    const token = await createToken(server.app.services.db, 'rules');
    const added = await server.query(
      `mutation ($rule: KnownIssueRuleInput!) { addKnownIssueRule(rule: $rule) { id } }`,
      {
        rule: {
          field: 'TEST',
          pattern: `${RULE.test.replace(/\./g, '\\.')}$`,
          title: 'Volume stuck deleting',
          bugUrl: RULE.bugUrl,
        },
      },
      { authorization: `Bearer ${token.secret}` },
    );
    expect(added.body.errors).toBeUndefined();
    runs = await ingestInsightHistory(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  /** A run's failures and their facts, as the API tells them. */
  async function failuresOf(
    run: StoredInsightRun,
  ): Promise<{ job: string; failures: ApiFailure[] }> {
    const { body } = await server.query<{
      run: {
        buildName: string;
        results: { nodes: (ApiFailure & { test: { verdicts: FailureFacts['verdicts'] } })[] };
      };
    }>(
      `query ($id: ID!) { run(id: $id) { buildName results(status: [FAIL, UXSUCCESS], first: 100) {
        nodes { testId newSignature signature { fingerprint } knownIssues { bugUrl title }
        test { verdicts { scope verdict } } } } } }`,
      { id: run.uuid },
    );
    expect(body.errors).toBeUndefined();
    return {
      job: body.data!.run.buildName,
      failures: body.data!.run.results.nodes.map((n) => ({ ...n, verdicts: n.test.verdicts })),
    };
  }

  /** Each listed failure's badges on the page: test id → [label, href] pairs. */
  const badgesOn = (page: Page, item: string) =>
    page.locator(item).evaluateAll((items) =>
      items.map((li) => ({
        testId: li.querySelector('a.test-id')?.textContent?.trim() ?? '',
        badges: [...li.querySelectorAll('.badges .badge')].map((b) => [
          b.textContent?.trim() ?? '',
          b.getAttribute('href'),
        ]),
      })),
    );
  const expectedBadges = (failure: ApiFailure, job: string) =>
    failureBadges(failure, job).map((b) => [b.label, b.href]);

  browserIt('shows on a run page the badges of each failure', async () => {
    const session = await openDashboard(server.url);
    const seen = new Set<string>();
    try {
      const { page } = session;
      for (const run of runs.filter((r) => r.failed.length > 0)) {
        const { job, failures } = await failuresOf(run);
        await page.goto(`${server.url}/runs/${run.uuid}`);
        await page.locator('ul[aria-label="Failed tests"] li').first().waitFor();
        const shown = await badgesOn(page, 'ul[aria-label="Failed tests"] li');
        expect(shown).toEqual(
          failures.map((f) => ({ testId: f.testId, badges: expectedBadges(f, job) })),
        );
        for (const item of shown)
          for (const [label] of item.badges) seen.add(label!.split(':')[0]!);
      }
      // The history makes each kind: a flaky and a broken test, the rule's bug, first failures.
      expect([...seen].sort()).toEqual(['broken', 'flaky', 'known issue', 'new failure']);
      expect(await accessibilityViolations(page)).toEqual([]);
      await session.screenshot('badges-run');
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });

  browserIt(
    "shows them on the test page's recent failures and the job page's failed tests",
    async () => {
      const session = await openDashboard(server.url);
      try {
        const { page } = session;
        await page.goto(`${server.url}/tests/${t.deleteVolume}`);
        const known = page.locator('a.badge', { hasText: 'known issue: 4242' }).first();
        await known.waitFor();
        expect(await known.getAttribute('href')).toBe(RULE.bugUrl);
        await session.screenshot('badges-test');

        const job = runs.find((r) => r.failedTests.includes(t.createServer))!.metadata.build_name;
        await page.goto(`${server.url}/jobs/${job}`);
        const flaky = page.locator('a.badge', { hasText: /^flaky$/ }).first();
        await flaky.waitFor();
        // The job's own verdict when it has one there, else the test's verdicts anywhere.
        expect(await flaky.getAttribute('href')).toMatch(new RegExp(`^/flaky(\\?job=${job})?$`));
        expect(await accessibilityViolations(page)).toEqual([]);
        await session.screenshot('badges-job');
        expect(session.problems).toEqual([]);
      } finally {
        await session.close();
      }
    },
  );
});
