/**
 * A hand-built history for the CI matrix and who-has-CI tests. The window asked is
 * W = [T0, T0 + 24 h); the window before it P = [T0 − 24 h, T0). The expected figures are worked
 * out from these events in each test.
 */
import type { CommentAdded, GerritEvent, PatchSetCreated } from '../../server/gerrit/events.js';
import { storeGerritEvents } from '../helpers/gerrit-store.js';
import type { Services } from '../../server/runtime.js';
import {
  ACME,
  ALICE,
  commentAdded,
  HOUR,
  patchSetCreated,
  reportAdded,
  T0,
  ZUUL,
  type ChangeSpec,
  type JobLine,
} from '../helpers/gerrit-events.js';

export const OLD_CI = { username: 'old-ci', name: 'Old CI' };
export const BETA_CI = { username: 'beta-ci', name: 'Beta CI' };
export const NEUTRON_CI = { username: 'neutron-ci', name: 'Neutron CI' };

const nova = (number: number): ChangeSpec => ({ number, project: 'openstack/nova' });
export const C1 = nova(1);
export const C2 = nova(2);
export const C3 = nova(3);
export const C4 = nova(4);
export const C5 = nova(5);
export const C6 = nova(6);
export const C7 = nova(7);
export const C9 = { number: 9, project: 'openstack/neutron' };
export const SHARED = { number: 10, project: 'shared/project' };

export const ZUUL_JOBS: JobLine[] = [
  { job: 'unit', result: 'SUCCESS', url: 'https://logs.example.org/unit' },
  { job: 'lint', result: 'SUCCESS', url: 'https://logs.example.org/lint' },
];
export const ZUUL_FAILED_JOBS: JobLine[] = [
  { job: 'unit', result: 'FAILURE', url: 'https://logs.example.org/unit-2' },
  { job: 'lint', result: 'SUCCESS', url: 'https://logs.example.org/lint-2' },
];
export const ACME_JOBS: JobLine[] = [
  { job: 'acme-smoke', result: 'FAILURE', url: 'https://logs.example.org/acme' },
];

export const withCommitMessage = (event: PatchSetCreated, commitMessage: string) => ({
  ...event,
  change: { ...event.change, commitMessage },
});

/** A Jenkins-style `Build unstable.` report, no vote. */
export function unstableReport(spec: ChangeSpec, ps: number, at: number, author = ACME) {
  return commentAdded(
    spec,
    ps,
    at,
    author,
    `Patch Set ${ps}:\n\nBuild unstable.\n\n- tempest https://logs.example.org/t : UNSTABLE in 1m 00s`,
  );
}

/** Zuul's `Merge Failed.` report, Verified −1. */
export function mergeFailedReport(spec: ChangeSpec, ps: number, at: number): CommentAdded {
  return commentAdded(
    spec,
    ps,
    at,
    ZUUL,
    `Patch Set ${ps}: Verified-1\n\nMerge Failed.\n\nThis change or one of its cross-repo dependencies was unable to be automatically merged with the current state of its repository.`,
    [{ label: 'Verified', value: -1 }],
  );
}

/**
 * nova patch sets (created): 7/1 −20 h (in P, never superseded); 1/1 −1 h (P), superseded by
 * 1/2 at +1 h; 6/1 at +0 h (W's first instant); 2/1 +2 h, superseded by 2/2 at +4 h; 3/1 and 5/1
 * both at +3 h (5/1 stored second: the larger id); 4/1 at +24 h (W's end: outside).
 * neutron 9/1 −5 h. shared/project on server `review` only long before (−100 h).
 */
export const reviewHistory: GerritEvent[] = [
  patchSetCreated(SHARED, 1, T0 - 100 * HOUR),
  patchSetCreated(C7, 1, T0 - 20 * HOUR),
  patchSetCreated(C9, 1, T0 - 5 * HOUR),
  reportAdded(C9, 1, T0 - 4 * HOUR, NEUTRON_CI, true, ZUUL_JOBS),
  reportAdded(C9, 1, T0 + 5 * HOUR, NEUTRON_CI, true, ZUUL_JOBS),
  patchSetCreated(C1, 1, T0 - 1 * HOUR),
  reportAdded(C1, 1, T0 - 0.5 * HOUR, OLD_CI, true, ZUUL_JOBS),
  reportAdded(C1, 1, T0 + 0.5 * HOUR, ZUUL, true, ZUUL_JOBS),
  patchSetCreated(C6, 1, T0),
  patchSetCreated(C1, 2, T0 + 1 * HOUR),
  // zuul on 1/2: failed, then after a recheck passed.
  reportAdded(C1, 2, T0 + 1.5 * HOUR, ZUUL, false, ZUUL_FAILED_JOBS),
  commentAdded(C1, 2, T0 + 2 * HOUR, ALICE, 'recheck'),
  reportAdded(C1, 2, T0 + 2.5 * HOUR, ZUUL, true, ZUUL_JOBS),
  patchSetCreated(C2, 1, T0 + 2 * HOUR),
  reportAdded(C2, 1, T0 + 2.2 * HOUR, ZUUL, true, ZUUL_JOBS),
  unstableReport(C2, 1, T0 + 2.3 * HOUR),
  patchSetCreated(C3, 1, T0 + 3 * HOUR),
  patchSetCreated(C5, 1, T0 + 3 * HOUR),
  reportAdded(C3, 1, T0 + 3.5 * HOUR, ACME, false, ACME_JOBS),
  mergeFailedReport(C5, 1, T0 + 3.6 * HOUR),
  withCommitMessage(patchSetCreated(C2, 2, T0 + 4 * HOUR), 'Change 2\n\nSecond try'),
  reportAdded(C6, 1, T0 + 6 * HOUR, ACME, true, [
    { job: 'acme-smoke', result: 'SUCCESS', url: 'https://logs.example.org/acme-6' },
  ]),
  // At W's end: outside it.
  reportAdded(C2, 2, T0 + 24 * HOUR, ZUUL, true, ZUUL_JOBS),
  patchSetCreated(C4, 1, T0 + 24 * HOUR),
  // After W: beta-ci is a CI, but reported in neither window.
  reportAdded(C1, 2, T0 + 30 * HOUR, BETA_CI, true, ZUUL_JOBS),
];

/** Server `other`: shared/project 10/1 at +6 h, no CI. */
export const otherHistory: GerritEvent[] = [patchSetCreated(SHARED, 1, T0 + 6 * HOUR)];

export const W = { since: new Date(T0 * 1000), until: new Date((T0 + 24 * HOUR) * 1000) };
export const at = (seconds: number) => new Date(seconds * 1000);

/** Stores both servers' histories. */
export async function storeHealthHistory(services: Services): Promise<void> {
  for (const [name, events] of [
    ['review', reviewHistory],
    ['other', otherHistory],
  ] as const) {
    await storeGerritEvents(services, events, { name });
  }
}
