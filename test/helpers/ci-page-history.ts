/**
 * The Gerrit history the CI and change pages are tested on, described as plain data (patch
 * sets, reports with their jobs, rechecks) before the pinned instant of the browser tests,
 * turned into the events the Gerrit store takes, plus an ingested run linked to one build. The
 * `ciModel` works out what the pages must show from the descriptions alone, by the README's
 * definitions, never from the server.
 */
import type {
  CommentAdded,
  GerritAccount,
  GerritEvent,
  PatchSetCreated,
} from '../../server/gerrit/events.js';
import { openGerritStore } from '../../server/gerrit/store.js';
import { PINNED_NOW } from './browser.js';
import { ACME, ALICE, commentAdded, patchSetCreated, reportAdded, ZUUL } from './gerrit-events.js';
import { ingestMade, type MadeRun, type StoredRun } from './made-runs.js';
import type { TestServer } from './server.js';

export const PROJECT = 'openstack/nova';
export const GERRIT = { name: 'review', url: 'https://review.example.org' };

const HOUR = 3600;
/** Epoch seconds `hours` before the pinned instant. */
export const ago = (hours: number) => PINNED_NOW.getTime() / 1000 - hours * HOUR;

export interface ChangeDesc {
  number: number;
  subject: string;
  /** Hours before the pinned instant each patch set (1, 2, …) was created. */
  patchSets: number[];
}

export interface JobDesc {
  job: string;
  result: 'SUCCESS' | 'FAILURE';
  url: string;
}

export interface ReportDesc {
  ci: GerritAccount;
  change: number;
  patchSet: number;
  hoursAgo: number;
  jobs: JobDesc[];
}

export interface RecheckDesc {
  change: number;
  patchSet: number;
  hoursAgo: number;
  text: string;
}

const logs = (ci: string, change: number, patchSet: number, job: string) =>
  `https://logs.example.org/${change}/${patchSet}/${ci}/${job}/`;
const jobs = (ci: GerritAccount, change: number, patchSet: number, results: string): JobDesc[] =>
  results.split(' ').map((pair) => {
    const [job, ok] = pair.split('=') as [string, string];
    return {
      job,
      result: ok === 'ok' ? 'SUCCESS' : 'FAILURE',
      url: logs(ci.username!, change, patchSet, job),
    };
  });
const report = (
  ci: GerritAccount,
  change: number,
  patchSet: number,
  hoursAgo: number,
  results: string,
): ReportDesc => ({ ci, change, patchSet, hoursAgo, jobs: jobs(ci, change, patchSet, results) });

export const CHANGES: ChangeDesc[] = [
  { number: 910001, subject: 'Fix the scheduler', patchSets: [100, 50] },
  { number: 910002, subject: 'Add a volume API', patchSets: [30] },
  // Its first patch set is replaced within 3 h: not eligible.
  { number: 910003, subject: 'Refactor quotas', patchSets: [10, 9] },
  { number: 910004, subject: 'Nobody tested this', patchSets: [5] },
  { number: 910005, subject: 'Tidy the docs', patchSets: [20] },
];

export const REPORTS: ReportDesc[] = [
  report(ZUUL, 910001, 1, 99, 'unit=fail lint=ok'),
  report(ACME, 910001, 1, 98, 'acme-smoke=ok'),
  report(ZUUL, 910001, 2, 49, 'unit=ok lint=ok'),
  report(ACME, 910001, 2, 48, 'acme-smoke=fail acme-full=ok'),
  // After Alice's recheck: the same again.
  report(ACME, 910001, 2, 46, 'acme-smoke=fail acme-full=ok'),
  report(ZUUL, 910002, 1, 29, 'unit=ok lint=ok'),
  report(ZUUL, 910005, 1, 19, 'unit=ok lint=ok'),
  report(ACME, 910005, 1, 19.5, 'acme-smoke=ok'),
  report(ZUUL, 910003, 2, 8, 'unit=fail lint=ok'),
  report(ACME, 910003, 2, 7, 'acme-smoke=fail'),
];

export const RECHECKS: RecheckDesc[] = [
  { change: 910001, patchSet: 2, hoursAgo: 47, text: 'recheck bug 2045678' },
];

/** The run ingested from zuul's unit build on 910003,2 (its log URL is the run's artifacts). */
export const LINKED_RUN: MadeRun = {
  at: new Date(PINNED_NOW.getTime() - 8.5 * HOUR * 1000),
  metadata: { build_name: 'unit', project: PROJECT, build_change: '910003', build_patchset: '2' },
  results: [
    ['nova.tests.unit.test_quota.QuotaTest.test_limit', 'success', 1.5],
    ['nova.tests.unit.test_quota.QuotaTest.test_usage', 'fail', 2, 'AssertionError: 3 != 4\n'],
    ['nova.tests.unit.test_quota.QuotaTest.test_reserve', 'success', 1],
  ],
  artifactsUrl: logs('zuul', 910003, 2, 'unit'),
};

const specOf = (number: number) => {
  const change = CHANGES.find((c) => c.number === number)!;
  return { number, project: PROJECT, subject: change.subject };
};

/** Whether a report passed (Verified +1, `Build succeeded.`): every job succeeded. */
export const reportOk = (r: ReportDesc) => r.jobs.every((j) => j.result === 'SUCCESS');

/** The events of the history, oldest first, each change created with its first patch set. */
export function historyEvents(): GerritEvent[] {
  const timed: [number, PatchSetCreated | CommentAdded][] = [];
  for (const change of CHANGES) {
    change.patchSets.forEach((hours, i) =>
      timed.push([ago(hours), patchSetCreated(specOf(change.number), i + 1, ago(hours))]),
    );
  }
  for (const r of REPORTS) {
    const at = ago(r.hoursAgo);
    timed.push([at, reportAdded(specOf(r.change), r.patchSet, at, r.ci, reportOk(r), r.jobs)]);
  }
  for (const r of RECHECKS) {
    const at = ago(r.hoursAgo);
    timed.push([at, commentAdded(specOf(r.change), r.patchSet, at, ALICE, r.text)]);
  }
  const createdOn = (number: number) =>
    ago(CHANGES.find((c) => c.number === number)!.patchSets[0]!);
  return timed
    .sort((a, b) => a[0] - b[0])
    .map(([, event]) => ({
      ...event,
      change: { ...event.change, createdOn: createdOn(event.change.number) },
    }));
}

/** Feeds the history through the server's Gerrit store and ingests the linked run. */
export async function storeHistory(server: TestServer): Promise<StoredRun> {
  const store = await openGerritStore(server.app.services, { ...GERRIT, cis: [], upstream: null });
  await store.accept(historyEvents(), 'replay');
  await store.close();
  const [run] = await ingestMade(server, [LINKED_RUN]);
  return run!;
}
