/**
 * Gerrit events as gatewatch keeps them: one normalised shape whichever path delivered them
 * (stream-events over SSH, a REST catch-up, a replay file). Everything downstream — the store,
 * the CI report parser, the subscriptions — reads only these types.
 */
import { accountKey } from './store-sql.js';

/** An account as Gerrit names it; any part may be missing (old servers send no username). */
export interface GerritAccount {
  readonly username?: string;
  readonly name?: string;
  readonly email?: string;
  readonly accountId?: number;
}

export interface GerritChange {
  readonly project: string;
  readonly branch: string;
  readonly number: number;
  /** The Change-Id (`I…`). */
  readonly id?: string;
  readonly subject?: string;
  readonly commitMessage?: string;
  readonly owner?: GerritAccount;
  readonly url?: string;
  readonly topic?: string;
  /** NEW, MERGED, ABANDONED (upper case, as Gerrit sends it). */
  readonly status?: string;
  /** Epoch seconds. */
  readonly createdOn?: number;
}

export interface GerritPatchSet {
  readonly number: number;
  readonly revision?: string;
  readonly ref?: string;
  readonly uploader?: GerritAccount;
  /** Epoch seconds. */
  readonly createdOn?: number;
  /** REWORK, TRIVIAL_REBASE, NO_CODE_CHANGE, NO_CHANGE, MERGE_FIRST_PARENT_UPDATE. */
  readonly kind?: string;
}

/** A vote, its label normalised to today's names (`VRIF` → `Verified`, `CRVW` → `Code-Review`). */
export interface GerritApproval {
  readonly label: string;
  readonly value: number;
  readonly oldValue?: number;
}

interface EventBase {
  /** When Gerrit created the event, epoch seconds. */
  readonly createdOn: number;
  readonly change: GerritChange;
  readonly patchSet: GerritPatchSet;
}

export interface PatchSetCreated extends EventBase {
  readonly type: 'patchset-created';
  readonly uploader?: GerritAccount;
}

export interface CommentAdded extends EventBase {
  readonly type: 'comment-added';
  readonly author: GerritAccount;
  /** The whole message as Gerrit stores it, `Patch Set N: …` header included when present. */
  readonly comment: string;
  readonly approvals: readonly GerritApproval[];
}

export interface ChangeMerged extends EventBase {
  readonly type: 'change-merged';
  readonly submitter?: GerritAccount;
}

export interface ChangeAbandoned extends EventBase {
  readonly type: 'change-abandoned';
  readonly abandoner?: GerritAccount;
}

export interface ChangeRestored extends EventBase {
  readonly type: 'change-restored';
  readonly restorer?: GerritAccount;
}

/** The events gatewatch stores. */
export type StoredEvent =
  PatchSetCreated | CommentAdded | ChangeMerged | ChangeAbandoned | ChangeRestored;

/**
 * Any other well-formed event (ref-updated, reviewer-added, a plugin's own type): not stored,
 * but accepted, counted and published to `gerritEvents` subscribers.
 */
export interface OtherEvent {
  /** Gerrit's own type string. */
  readonly type: string;
  readonly createdOn: number;
  readonly project?: string;
  readonly change?: number;
  readonly patchSet?: number;
}

export type GerritEvent = StoredEvent | OtherEvent;

export const storedTypes: ReadonlySet<string> = new Set<StoredEvent['type']>([
  'patchset-created',
  'comment-added',
  'change-merged',
  'change-abandoned',
  'change-restored',
]);

export function isStored(event: GerritEvent): event is StoredEvent {
  return storedTypes.has(event.type) && 'patchSet' in event;
}

/** What normalising one raw input (a stream line, a replayed object) gives. */
export type Normalised =
  | { readonly ok: true; readonly event: GerritEvent; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly warning: string };

/** What the `gerritEvents` subscription carries for any accepted event. */
export interface EventSummary {
  readonly type: string;
  readonly project: string | null;
  readonly change: number | null;
  readonly patchSet: number | null;
  /** Epoch seconds. */
  readonly createdOn: number;
  /** The account key (as `gerrit_accounts.key`) of who acted; null when unsaid or not kept. */
  readonly author: string | null;
}

/** Who made a stored event happen: the commenter, uploader, submitter, abandoner or restorer. */
function actorOf(event: StoredEvent): GerritAccount | undefined {
  switch (event.type) {
    case 'comment-added':
      return event.author;
    case 'patchset-created':
      return event.uploader ?? event.patchSet.uploader;
    case 'change-merged':
      return event.submitter;
    case 'change-abandoned':
      return event.abandoner;
    case 'change-restored':
      return event.restorer;
  }
}

export function summarise(event: GerritEvent): EventSummary {
  if (isStored(event)) {
    const actor = actorOf(event);
    return {
      type: event.type,
      project: event.change.project,
      change: event.change.number,
      patchSet: event.patchSet.number,
      createdOn: event.createdOn,
      author: actor === undefined ? null : accountKey(actor),
    };
  }
  const other = event as OtherEvent;
  return {
    type: other.type,
    project: other.project ?? null,
    change: other.change ?? null,
    patchSet: other.patchSet ?? null,
    createdOn: other.createdOn,
    author: null,
  };
}
