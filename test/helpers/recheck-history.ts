/**
 * A Gerrit history of CI reports, rechecks and re-runs over the insight history's runs (real
 * stestr streams, linked to the reports' builds by their log URLs) and two known-issue rules;
 * recheck-oracle.ts computes what it should cost from this description alone.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { GerritAccount } from '../../server/gerrit/events.js';
import { createToken } from '../../server/tokens/token.service.js';
import { storeGerritEvents } from './gerrit-store.js';
import {
  ACME,
  ALICE,
  commentAdded,
  patchSetCreated,
  reportAdded,
  T0,
  ZUUL,
} from './gerrit-events.js';
import { INSIGHT_DIR, insightHistory, insightTests as t } from './insight-history.js';
import type { TestServer } from './server.js';

export const PROJECT = 'acme/api';

interface Build {
  job: 'acme-unit' | 'acme-functional';
  result: 'SUCCESS' | 'FAILURE';
  /** Seconds; null: the report gives none. */
  duration: number | null;
  /** The insight run (its order, 1…24) whose artifacts URL is the build's log URL. */
  run?: number;
}

export interface Report {
  ci: GerritAccount;
  change: number;
  patchSet: number;
  /** Seconds after T0. */
  at: number;
  builds: Build[];
}

/** A build of `job`: `result` in `duration` seconds, linked to insight run `run` if given. */
const buildOf =
  (job: Build['job']) =>
  (result: Build['result'], duration: number | null, run?: number): Build => ({
    job,
    result,
    duration,
    ...(run === undefined ? {} : { run }),
  });
const unit = buildOf('acme-unit');
const functional = buildOf('acme-functional');

/** Zuul's reports on the changes the insight runs tested (their metadata), oldest first. */
export const REPORTS: readonly Report[] = [
  // 101/1: create_server failed (flaky on job:acme-unit), the recheck passed.
  {
    ci: ZUUL,
    change: 101,
    patchSet: 1,
    at: 600,
    builds: [unit('FAILURE', 1200, 1), functional('SUCCESS', 1800, 3)],
  },
  {
    ci: ZUUL,
    change: 101,
    patchSet: 1,
    at: 1200,
    builds: [unit('SUCCESS', 1000, 2), functional('SUCCESS', null)],
  },
  // 104/1: parse_config failed in both jobs (a known issue, not flaky), rechecked twice; the
  // third report follows one that failed nothing.
  {
    ci: ZUUL,
    change: 104,
    patchSet: 1,
    at: 2000,
    builds: [unit('FAILURE', 600, 8), functional('FAILURE', 900, 9)],
  },
  {
    ci: ZUUL,
    change: 104,
    patchSet: 1,
    at: 3000,
    builds: [unit('SUCCESS', 900), functional('SUCCESS', 1000)],
  },
  { ci: ZUUL, change: 104, patchSet: 1, at: 4000, builds: [unit('SUCCESS', 500)] },
  // 107/2: delete_volume (a known issue) and network_wait (flaky) failed.
  {
    ci: ZUUL,
    change: 107,
    patchSet: 2,
    at: 5000,
    builds: [functional('FAILURE', 1100, 20), unit('FAILURE', 1300, 21)],
  },
  {
    ci: ZUUL,
    change: 107,
    patchSet: 2,
    at: 6000,
    builds: [functional('SUCCESS', 1400), unit('SUCCESS', 1600)],
  },
  // 105/2: a failure with no run ingested; another CI's first report is no re-run.
  { ci: ZUUL, change: 105, patchSet: 2, at: 7000, builds: [functional('FAILURE', 400)] },
  { ci: ZUUL, change: 105, patchSet: 2, at: 7600, builds: [functional('SUCCESS', 450)] },
  { ci: ACME, change: 105, patchSet: 2, at: 7700, builds: [unit('SUCCESS', 100)] },
];

/** Recheck comments: change, patch set, seconds after T0, text. */
export const RECHECKS: readonly [number, number, number, string][] = [
  [101, 1, 700, 'recheck'],
  [104, 1, 2100, 'recheck'],
  [104, 1, 2200, 'recheck bug 123'],
  [107, 2, 5100, 'recheck'],
];

/** The tests the two known-issue rules (field test) name. */
export const RULE_TESTS: readonly string[] = [t.parseConfig, t.deleteVolume];

/** The flaky scopes of the insight history's flaky tests (test/insights/flaky.test.ts). */
export const FLAKY_SCOPES: Readonly<Record<string, readonly string[]>> = {
  [t.createServer]: ['job:acme-unit', 'project:acme/api', 'branch:master', 'queue:check'],
  [t.login]: ['job:acme-unit', 'project:acme/web', 'branch:master', 'queue:check'],
  [t.lockRelease]: ['project:acme/api', 'branch:master', 'queue:check'],
  [t.networkWait]: [
    'job:acme-functional',
    'project:acme/api',
    'branch:master',
    'branch:stable/2026.1',
    'queue:check',
  ],
};

/** The window every report and recheck falls in. */
export const WINDOW = {
  since: new Date((T0 - 3600) * 1000),
  until: new Date((T0 + 86_400) * 1000),
};

function logUrl(report: Report, build: Build, i: number): string {
  return `https://logs.example.org/${report.change}/${report.patchSet}/${build.job}/${report.at}-${i}/`;
}

/** Stores the history: the Gerrit events, two rules, then the 24 insight runs, linked. */
export async function storeRecheckHistory(server: TestServer): Promise<void> {
  const spec = (change: number) => ({ number: change, project: PROJECT, subject: `Fix ${change}` });
  const patchSets = [...new Set(REPORTS.map((r) => `${r.change}/${r.patchSet}`))];
  await storeGerritEvents(
    server.app.services,
    [
      ...patchSets.map((ps) => {
        const [change, patchSet] = ps.split('/').map(Number);
        return patchSetCreated(spec(change!), patchSet!, T0);
      }),
      ...[
        ...REPORTS.map((r) => ({
          at: r.at,
          event: reportAdded(
            spec(r.change),
            r.patchSet,
            T0 + r.at,
            r.ci,
            r.builds.every((b) => b.result === 'SUCCESS'),
            r.builds.map((b, i) => ({ ...b, url: logUrl(r, b, i) })),
          ),
        })),
        ...RECHECKS.map(([change, patchSet, at, text]) => ({
          at,
          event: commentAdded(
            spec(change),
            patchSet,
            T0 + at,
            ALICE,
            `Patch Set ${patchSet}:\n\n${text}`,
          ),
        })),
      ]
        .sort((a, b) => a.at - b.at)
        .map((e) => e.event),
    ],
    { source: 'stream' },
  );
  const auth = {
    authorization: `Bearer ${(await createToken(server.app.services.db, 'ci')).secret}`,
  };
  for (const test of RULE_TESTS) {
    const answer = await server.query(
      `mutation ($rule: KnownIssueRuleInput!) { addKnownIssueRule(rule: $rule) { id } }`,
      {
        rule: {
          field: 'TEST',
          pattern: `${test.replace(/\./g, '\\.')}$`,
          title: test.split('.').pop(),
          bugUrl: `https://bugs.example/${test}`,
        },
      },
      auth,
    );
    expect(answer.body.errors).toBeUndefined();
  }
  const linked = new Map<number, string>();
  for (const r of REPORTS) r.builds.forEach((b, i) => b.run && linked.set(b.run, logUrl(r, b, i)));
  for (const run of insightHistory) {
    await server.app.services.ingest.ingest({
      name: run.file,
      source: createReadStream(join(INSIGHT_DIR, run.file)),
      metadata: run.metadata,
      ...(linked.has(run.order) ? { artifactsUrl: linked.get(run.order) } : {}),
    });
  }
}
