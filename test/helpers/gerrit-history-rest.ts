/**
 * The records a generated Gerrit history is built from (`gerrit-history.ts`), and their REST
 * form: `ChangeInfo` as `GET /changes/?o=ALL_REVISIONS&o=MESSAGES&o=DETAILED_ACCOUNTS` answers.
 */

/** A REST AccountInfo (DETAILED_ACCOUNTS). */
export interface AccountInfo {
  readonly _account_id: number;
  readonly name: string;
  readonly email: string;
  readonly username: string;
}

/** The part of a REST ChangeInfo the collector reads. */
export interface ChangeInfo {
  readonly id: string;
  readonly project: string;
  readonly branch: string;
  readonly change_id: string;
  readonly subject: string;
  readonly status: 'NEW' | 'MERGED' | 'ABANDONED';
  readonly created: string;
  readonly updated: string;
  readonly submitted?: string;
  readonly submitter?: AccountInfo;
  readonly _number: number;
  readonly owner: AccountInfo;
  readonly current_revision: string;
  readonly revisions: Record<string, RevisionInfo>;
  readonly messages: MessageInfo[];
}

export interface RevisionInfo {
  readonly _number: number;
  readonly created: string;
  readonly uploader: AccountInfo;
  readonly kind: string;
  readonly ref: string;
}

export interface MessageInfo {
  readonly id: string;
  readonly author: AccountInfo;
  readonly date: string;
  readonly message: string;
  readonly tag?: string;
  readonly _revision_number: number;
}

/** Gerrit's REST time: `2013-02-01 09:59:32.126000000` (UTC). */
export function restTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23).replace('T', ' ')}000000`;
}

/** One change message as the history records it. */
export interface Message {
  /** When stream-events sends it (ms); `eventCreatedOn` is its second. */
  readonly ms: number;
  /** Its REST `date` (ms): up to 0.9 s later, as on a real server. */
  readonly restMs: number;
  readonly author: AccountInfo;
  /** The body, without the header. */
  readonly body: string;
  /** Votes this message changed, in header order. */
  readonly votes: readonly (readonly [label: string, value: number, old: number | null])[];
  readonly tag?: string;
  readonly patchSet: number;
  /** Gerrit's own message: no header, no stream comment-added. */
  readonly generated: boolean;
}

export interface Revision {
  readonly number: number;
  readonly sha: string;
  readonly ms: number;
  readonly kind: string;
}

/** One change as the history records it; `changeInfo` gives its REST form. */
export interface ChangeRecord {
  readonly number: number;
  readonly project: string;
  readonly branch: string;
  readonly changeId: string;
  readonly subject: string;
  readonly owner: AccountInfo;
  readonly createdMs: number;
  readonly revisions: Revision[];
  readonly messages: Message[];
  status: ChangeInfo['status'];
  submittedMs?: number;
  submitter?: AccountInfo;
  updatedMs: number;
}

/** The message as Gerrit stores it: `Patch Set N: Verified+1 …` then a blank line, then the body. */
export function withHeader(message: Message): string {
  const votes = message.votes.map(([label, value]) =>
    value === 0 ? ` -${label}` : ` ${label}${value > 0 ? '+' : ''}${value}`,
  );
  return `Patch Set ${message.patchSet}:${votes.join('')}\n\n${message.body}`;
}

/** The change's REST form, its messages in time order. */
export function changeInfo(record: ChangeRecord): ChangeInfo {
  const current = record.revisions.at(-1)!;
  const revisions: Record<string, RevisionInfo> = {};
  for (const revision of record.revisions) {
    revisions[revision.sha] = {
      _number: revision.number,
      created: restTime(revision.ms),
      uploader: record.owner,
      kind: revision.kind,
      ref: changeRef(record.number, revision.number),
    };
  }
  const messages = [...record.messages]
    .sort((a, b) => a.ms - b.ms)
    .map((message, i): MessageInfo => ({
      id: `${record.number}-${i}`,
      author: message.author,
      date: restTime(message.restMs),
      message: message.generated ? message.body : withHeader(message),
      ...(message.tag && { tag: message.tag }),
      _revision_number: message.patchSet,
    }));
  return {
    id: `${encodeURIComponent(record.project)}~${record.branch}~${record.changeId}`,
    project: record.project,
    branch: record.branch,
    change_id: record.changeId,
    subject: record.subject,
    status: record.status,
    created: restTime(record.createdMs),
    updated: restTime(record.updatedMs),
    ...(record.submittedMs !== undefined && { submitted: restTime(record.submittedMs) }),
    ...(record.submitter && { submitter: record.submitter }),
    _number: record.number,
    owner: record.owner,
    current_revision: current.sha,
    revisions,
    messages,
  };
}

/** `refs/changes/NN/CHANGE/PS`. */
export function changeRef(change: number, patchSet: number): string {
  return `refs/changes/${String(change % 100).padStart(2, '0')}/${change}/${patchSet}`;
}
