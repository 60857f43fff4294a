/**
 * Gerrit events built by hand, as the normaliser gives them, for tests that write histories
 * and compute what they should give. Times are epoch seconds from {@link T0}.
 */
import type {
  ChangeAbandoned,
  ChangeMerged,
  ChangeRestored,
  CommentAdded,
  GerritAccount,
  GerritApproval,
  GerritChange,
  PatchSetCreated,
} from '../../server/gerrit/events.js';
import { zuulDuration } from './gerrit-comments.js';

/** 2026-11-30T12:00:00Z. */
export const T0 = Date.UTC(2026, 10, 30, 12) / 1000;
export const HOUR = 3600;

export const ZUUL: GerritAccount = { username: 'zuul', name: 'Zuul', email: 'zuul@example.org' };
export const ACME: GerritAccount = { username: 'acme-ci', name: 'ACME CI' };
export const ALICE: GerritAccount = { username: 'alice', name: 'Alice', accountId: 1001 };

export interface ChangeSpec {
  number: number;
  project?: string;
  branch?: string;
  subject?: string;
  status?: string;
}

function changeOf(spec: ChangeSpec): GerritChange {
  return {
    project: spec.project ?? 'openstack/nova',
    branch: spec.branch ?? 'master',
    number: spec.number,
    subject: spec.subject ?? `Change ${spec.number}`,
    owner: ALICE,
    status: spec.status ?? 'NEW',
    createdOn: T0 - 10 * HOUR,
  };
}

export function patchSetCreated(spec: ChangeSpec, patchSet: number, at: number): PatchSetCreated {
  return {
    type: 'patchset-created',
    createdOn: at,
    change: changeOf(spec),
    patchSet: {
      number: patchSet,
      revision: `${spec.number}${patchSet}`.padEnd(40, 'a'),
      createdOn: at,
      uploader: ALICE,
      kind: 'REWORK',
    },
    uploader: ALICE,
  };
}

export function commentAdded(
  spec: ChangeSpec,
  patchSet: number,
  at: number,
  author: GerritAccount,
  comment: string,
  approvals: GerritApproval[] = [],
  patchSetCreatedOn?: number,
): CommentAdded {
  return {
    type: 'comment-added',
    createdOn: at,
    change: changeOf(spec),
    patchSet: {
      number: patchSet,
      ...(patchSetCreatedOn === undefined ? {} : { createdOn: patchSetCreatedOn }),
    },
    author,
    comment,
    approvals,
  };
}

export interface JobLine {
  job: string;
  result: string;
  url: string;
  /** Seconds, written as Zuul does (`in 3m 02s`, the default); null: the line gives none. */
  duration?: number | null;
}

/** A Zuul v3 report, `Patch Set N: Verified±1` header included as stream-events sends it. */
export function zuulReport(patchSet: number, ok: boolean, jobs: JobLine[]): string {
  const lines = jobs.map((j) => {
    const duration = j.duration === undefined ? 182 : j.duration;
    return `- ${j.job} ${j.url} : ${j.result}${duration === null ? '' : ` in ${zuulDuration(duration)}`}`;
  });
  return [
    `Patch Set ${patchSet}: Verified${ok ? '+1' : '-1'}`,
    '',
    ok ? 'Build succeeded.' : 'Build failed.',
    '',
    ...lines,
  ].join('\n');
}

/** A CI report event: the comment with its Verified vote. */
export function reportAdded(
  spec: ChangeSpec,
  patchSet: number,
  at: number,
  author: GerritAccount,
  ok: boolean,
  jobs: JobLine[],
): CommentAdded {
  return commentAdded(spec, patchSet, at, author, zuulReport(patchSet, ok, jobs), [
    { label: 'Verified', value: ok ? 1 : -1 },
  ]);
}

export function changeMerged(spec: ChangeSpec, patchSet: number, at: number): ChangeMerged {
  return {
    type: 'change-merged',
    createdOn: at,
    change: changeOf({ ...spec, status: 'MERGED' }),
    patchSet: { number: patchSet },
    submitter: ALICE,
  };
}

export function changeAbandoned(spec: ChangeSpec, patchSet: number, at: number): ChangeAbandoned {
  return {
    type: 'change-abandoned',
    createdOn: at,
    change: changeOf({ ...spec, status: 'ABANDONED' }),
    patchSet: { number: patchSet },
    abandoner: ALICE,
  };
}

export function changeRestored(spec: ChangeSpec, patchSet: number, at: number): ChangeRestored {
  return {
    type: 'change-restored',
    createdOn: at,
    change: changeOf({ ...spec, status: 'NEW' }),
    patchSet: { number: patchSet },
    restorer: ALICE,
  };
}
