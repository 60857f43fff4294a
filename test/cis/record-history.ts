/**
 * A hand-built history for one CI's record (acme-ci against the upstream zuul), with what it
 * should give worked out from the events. The window is T0 to T0 + 24 h.
 *
 * Patch sets (created): nova 1/1 +1 h (superseded by 1/2 at +5 h: eligible), 1/2 +5 h,
 * 2/1 +2 h, 3/1 +3 h (superseded by 3/2 at +4 h, within 3 h: not eligible), 3/2 +4 h,
 * 4/1 +6 h, 6/1 +8 h, 7/1 +9 h; nova 9/1 −2 h (before the window); neutron 5/1 +7 h.
 */
import type { GerritEvent } from '../../server/gerrit/events.js';
import {
  ACME,
  ALICE,
  commentAdded,
  HOUR,
  patchSetCreated,
  reportAdded,
  T0,
  ZUUL,
  type JobLine,
} from '../helpers/gerrit-events.js';

export const BOB = { username: 'bob', name: 'Bob' };
export const nova = (number: number) => ({ number, project: 'openstack/nova' });
export const NEUTRON_5 = { number: 5, project: 'openstack/neutron' };
export const WINDOW = { since: T0, until: T0 + 24 * HOUR };

/** A log URL per job and report, so that a run can be linked to one build. */
export const logOf = (job: string, report: string) =>
  `https://logs.example.org/${report}/${job}/0123abc`;
const jobs = (report: string, results: Record<string, string>): JobLine[] =>
  Object.entries(results).map(([job, result]) => ({ job, result, url: logOf(job, report) }));
const MERGE_FAILED =
  'Merge Failed.\n\nThis change or one of its cross-repo dependencies was unable to be automatically merged with the current state of its repository.';

export const history: GerritEvent[] = [
  patchSetCreated(nova(9), 1, T0 - 2 * HOUR),
  patchSetCreated(nova(1), 1, T0 + 1 * HOUR),
  patchSetCreated(nova(2), 1, T0 + 2 * HOUR),
  patchSetCreated(nova(3), 1, T0 + 3 * HOUR),
  patchSetCreated(nova(3), 2, T0 + 4 * HOUR),
  patchSetCreated(nova(1), 2, T0 + 5 * HOUR),
  patchSetCreated(nova(4), 1, T0 + 6 * HOUR),
  patchSetCreated(NEUTRON_5, 1, T0 + 7 * HOUR),
  patchSetCreated(nova(6), 1, T0 + 8 * HOUR),
  patchSetCreated(nova(7), 1, T0 + 9 * HOUR),

  // acme-ci: a1…a8, seven in the window (a7 is after it).
  reportAdded(
    nova(9),
    1,
    T0 + 0.5 * HOUR,
    ACME,
    true,
    jobs('a1', { unit: 'SUCCESS', func: 'SUCCESS' }),
  ),
  reportAdded(
    nova(1),
    1,
    T0 + 1.5 * HOUR,
    ACME,
    false,
    jobs('a2', { unit: 'FAILURE', func: 'SUCCESS' }),
  ),
  commentAdded(nova(1), 1, T0 + 2 * HOUR, ALICE, 'recheck'),
  reportAdded(
    nova(1),
    1,
    T0 + 2.5 * HOUR,
    ACME,
    true,
    jobs('a3', { unit: 'SUCCESS', func: 'SUCCESS' }),
  ),
  reportAdded(
    nova(2),
    1,
    T0 + 4 * HOUR,
    ACME,
    false,
    jobs('a4', { unit: 'SUCCESS', func: 'FAILURE', docs: 'SUCCESS', lint: 'SUCCESS' }),
  ),
  commentAdded(nova(3), 2, T0 + 4.1 * HOUR, ACME, MERGE_FAILED),
  reportAdded(
    nova(1),
    2,
    T0 + 5.25 * HOUR,
    ACME,
    false,
    jobs('a5', { unit: 'FAILURE', func: 'SKIPPED' }),
  ),
  commentAdded(nova(1), 2, T0 + 6 * HOUR, BOB, 'recheck-acme-ci bug 12345'),
  commentAdded(nova(1), 2, T0 + 6.5 * HOUR, ALICE, 'Patch Set 2:\n\nreverify'),
  reportAdded(nova(9), 1, T0 + 13 * HOUR, ACME, true, jobs('a8', { docs: 'SUCCESS' })),
  reportAdded(nova(1), 2, T0 + 30 * HOUR, ACME, true, jobs('a7', { unit: 'SUCCESS' })),

  // zuul, the upstream CI.
  reportAdded(nova(9), 1, T0 + 0.2 * HOUR, ZUUL, false, jobs('z0', { pep8: 'FAILURE' })),
  reportAdded(nova(1), 1, T0 + 1.2 * HOUR, ZUUL, true, jobs('z1', { pep8: 'SUCCESS' })),
  reportAdded(nova(2), 1, T0 + 2.5 * HOUR, ZUUL, true, jobs('z2', { pep8: 'SUCCESS' })),
  commentAdded(nova(2), 1, T0 + 3 * HOUR, ZUUL, MERGE_FAILED),
  reportAdded(nova(3), 2, T0 + 4.5 * HOUR, ZUUL, true, jobs('z4', { pep8: 'SUCCESS' })),
  reportAdded(nova(1), 2, T0 + 5.5 * HOUR, ZUUL, false, jobs('z3', { pep8: 'FAILURE' })),
  reportAdded(nova(4), 1, T0 + 6.5 * HOUR, ZUUL, true, jobs('z6', { pep8: 'SUCCESS' })),
  reportAdded(NEUTRON_5, 1, T0 + 7.5 * HOUR, ZUUL, true, jobs('z5', { pep8: 'SUCCESS' })),
];

/**
 * acme-ci over the window, from the events above:
 * - reports a1–a6 and a8 (7); builds 2+2+2+4+2+0+1 = 13; verdicts SUCCESS a1, a3, a8 and
 *   FAILURE a2, a4, a5, MERGE_FAILED a6: success rate 3/7;
 * - it covers nova only: eligible 1/1, 1/2, 2/1, 3/2, 4/1, 6/1, 7/1 (7); it reported on the
 *   first four: coverage 4/7, missed 7/1, 6/1, 4/1 (newest first).
 */
export const acmeFigures = {
  reports: 7,
  builds: 13,
  unparsed: 0,
  successRate: 3 / 7,
  eligible: 7,
  coverage: 4 / 7,
  missed: 3,
};

/**
 * Latency: the patch sets created in the window it reported on — 1/1 (+1.5 h − +1 h = 1800 s),
 * 2/1 (+4 h − +2 h = 7200 s), 3/2 (+4.1 h − +4 h = 360 s), 1/2 (+5.25 h − +5 h = 900 s); 9/1
 * was created before the window. Sorted 360, 900, 1800, 7200: the nearest-rank median is the
 * ⌈4/2⌉ = 2nd, 900; p95 the ⌈3.8⌉ = 4th, 7200.
 */
export const acmeLatency = { patchSets: 4, median: 900, p95: 7200 };

/**
 * Agreement, each side's newest pass/fail report in the window per patch set:
 * acme 9/1 pass (a8), 1/1 pass (a3 after a2), 2/1 fail (a4), 1/2 fail (a5), 3/2 none (a6 is
 * MERGE_FAILED); zuul 9/1 fail, 1/1 pass, 2/1 pass (its MERGE_FAILED passed over), 3/2 pass,
 * 1/2 fail, 4/1 pass, neutron 5/1 pass. Both on 9/1, 1/1, 2/1, 1/2: one of each kind.
 */
export const acmeAgreement = {
  patchSets: 4,
  bothPassed: 1,
  bothFailed: 1,
  failedWhereUpstreamPassed: 1,
  passedWhereUpstreamFailed: 1,
  disagreementRate: 2 / 4,
};

const at = (offset: number) => new Date((T0 + offset) * 1000).toISOString();

/**
 * Jobs (builds of a1–a6 and a8):
 * - unit: a1 S, a2 F, a3 S, a4 S, a5 F — 5 builds, 2 failures of 5 results; change 1 by its
 *   newest builds is 1/1 S (a3) → 1/2 F (a5): 1 flip; last a5 FAILURE;
 * - func: a1 S, a2 S, a3 S, a4 F, a5 SKIPPED — 1 failure of 4 results; change 1: 1/1 S, 1/2
 *   SKIPPED (no result): no flip; last a5 SKIPPED;
 * - docs: a4 S, a8 S — no failure; last a8; lint: a4 S — no failure; last a4.
 * Order: unit (1 flip), func (0.25), then docs and lint (0) by name.
 */
export const acmeJobs = [
  {
    job: 'unit',
    builds: 5,
    failures: 2,
    failureRate: 2 / 5,
    flips: 1,
    lastResult: 'FAILURE',
    lastAt: at(5.25 * HOUR),
  },
  {
    job: 'func',
    builds: 5,
    failures: 1,
    failureRate: 1 / 4,
    flips: 0,
    lastResult: 'SKIPPED',
    lastAt: at(5.25 * HOUR),
  },
  {
    job: 'docs',
    builds: 2,
    failures: 0,
    failureRate: 0,
    flips: 0,
    lastResult: 'SUCCESS',
    lastAt: at(13 * HOUR),
  },
  {
    job: 'lint',
    builds: 1,
    failures: 0,
    failureRate: 0,
    flips: 0,
    lastResult: 'SUCCESS',
    lastAt: at(4 * HOUR),
  },
];

/**
 * Reports per day: 2026-11-30 (T0 is 12:00) holds a1–a6 (SUCCESS a1, a3; a2, a4, a5 FAILURE
 * and a6 MERGE_FAILED are verdicts other than SUCCESS); 2026-12-01 holds a8 (T0 + 13 h).
 */
export const acmeDays = [
  { start: '2026-11-30T00:00:00.000Z', reports: 6, successes: 2, failures: 4 },
  { start: '2026-12-01T00:00:00.000Z', reports: 1, successes: 1, failures: 0 },
];

/** Missed, newest first: 7/1 (+9 h), 6/1 (+8 h), 4/1 (+6 h). */
export const acmeMissed = [
  { change: 7, patchSet: 1, createdAt: at(9 * HOUR) },
  { change: 6, patchSet: 1, createdAt: at(8 * HOUR) },
  { change: 4, patchSet: 1, createdAt: at(6 * HOUR) },
];

/** Change 1's rechecks, oldest first. */
export const change1Rechecks = [
  { patchSet: 1, author: { username: 'alice' }, createdAt: at(2 * HOUR), reason: null, ci: null },
  {
    patchSet: 2,
    author: { username: 'bob' },
    createdAt: at(6 * HOUR),
    reason: 'bug 12345',
    ci: 'acme-ci',
  },
  { patchSet: 2, author: { username: 'alice' }, createdAt: at(6.5 * HOUR), reason: null, ci: null },
];
