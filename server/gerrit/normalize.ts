/**
 * Raw stream-events JSON → {@link GerritEvent}. Gerrit's events are loose ("any field may be
 * missing"), old servers send numbers as strings and old label names, plugins add their own
 * types: all of that is normalised here with a short warning naming the type and the field, and
 * nothing is fatal. An event missing what it cannot be stored without (a change number, a
 * project) is refused with a warning instead.
 */
import { storedTypes } from './events.js';
import type {
  GerritAccount,
  GerritApproval,
  GerritChange,
  GerritPatchSet,
  Normalised,
  OtherEvent,
  StoredEvent,
} from './events.js';

/** The longest stream-events line (bytes) a caller should hand over; longer ones it refuses. */
export const maxEventBytes = 1024 * 1024;
/** Approvals read per comment; Gerrit sends one per label, so more is not a real event. */
export const maxApprovals = 100;

/** Gerrit's old label names (2.x `type`s) → today's. */
export const labelAliases: Readonly<Record<string, string>> = {
  VRIF: 'Verified',
  CRVW: 'Code-Review',
  APRV: 'Workflow',
  SUBM: 'Submit',
};

/** The types Gerrit and its common plugins send; any other type is accepted with a warning. */
const knownTypes: ReadonlySet<string> = new Set([
  ...storedTypes,
  'draft-published',
  'ref-updated',
  'batch-ref-updated',
  'reviewer-added',
  'reviewer-deleted',
  'vote-deleted',
  'topic-changed',
  'hashtags-changed',
  'wip-state-changed',
  'private-state-changed',
  'assignee-changed',
  'change-deleted',
  'merge-failed',
  'project-created',
  'project-head-updated',
  'dropped-output',
  'ref-replicated',
  'ref-replication-done',
  'ref-replication-scheduled',
]);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Epoch seconds now: the time given to an event that carries none. */
function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * One stream-events line (without its line end). Invalid JSON is refused with a warning; the
 * caller refuses lines over {@link maxEventBytes} before calling.
 */
export function normaliseLine(line: string, receivedAt?: number): Normalised {
  if (line.trim() === '') return { ok: false, warning: 'empty line' };
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    return { ok: false, warning: `invalid JSON: ${(error as Error).message}` };
  }
  return normaliseEvent(raw, receivedAt);
}

/**
 * One raw event (a parsed stream line, an element of a replay file). `receivedAt` (epoch seconds,
 * default now) is the time of an event that carries no time at all (pygerrit's samples, some
 * plugins' events), with a warning.
 */
export function normaliseEvent(raw: unknown, receivedAt: number = nowSeconds()): Normalised {
  if (!isObject(raw)) return { ok: false, warning: 'event is not a JSON object' };
  if (typeof raw.type !== 'string' || raw.type === '') {
    return { ok: false, warning: 'event has no type' };
  }
  const reader = new EventReader(raw.type === 'draft-published' ? 'patchset-created' : raw.type);
  const event = storedTypes.has(reader.type)
    ? reader.stored(raw, receivedAt)
    : reader.other(raw, receivedAt);
  if (typeof event === 'string') return { ok: false, warning: `${reader.type}: ${event}` };
  return { ok: true, event, warnings: reader.warnings() };
}

/** Reads one event's fields, collecting what it had to normalise. */
class EventReader {
  private readonly notes: string[] = [];
  private readonly stringNumbers: string[] = [];
  private readonly oldLabels = new Set<string>();

  constructor(readonly type: string) {}

  warnings(): string[] {
    const all = this.notes.map((note) => `${this.type}: ${note}`);
    if (this.stringNumbers.length > 0) {
      all.push(`${this.type}: numbers sent as strings (${this.stringNumbers.join(', ')})`);
    }
    if (this.oldLabels.size > 0) {
      const renamed = [...this.oldLabels].map((label) => `${label} → ${labelAliases[label]}`);
      all.push(`${this.type}: old label names (${renamed.join(', ')})`);
    }
    return all;
  }

  /** A stored type's event, an {@link OtherEvent} when it has no patch set, or why it is refused. */
  stored(raw: Json, receivedAt: number): StoredEvent | OtherEvent | string {
    const change = this.change(raw.change);
    if (typeof change === 'string') return change;
    const patchSet = this.patchSet(raw.patchSet);
    if (!patchSet) {
      this.notes.push('no patchSet, not stored');
      return {
        type: this.type,
        createdOn: this.createdOn(raw, receivedAt, undefined),
        project: change.project,
        change: change.number,
      };
    }
    switch (this.type) {
      case 'patchset-created': {
        const createdOn = this.createdOn(raw, receivedAt, patchSet.createdOn);
        return {
          type: 'patchset-created',
          createdOn,
          change,
          patchSet,
          ...this.by(raw, 'uploader'),
        };
      }
      case 'comment-added': {
        const approvals = this.approvals(raw.approvals);
        const grantedOn = approvals.grantedOn ?? patchSet.createdOn;
        let comment = '';
        if (typeof raw.comment === 'string') comment = raw.comment;
        else this.notes.push('no comment');
        return {
          type: 'comment-added',
          createdOn: this.createdOn(raw, receivedAt, grantedOn),
          change,
          patchSet,
          author: this.account(raw.author, 'author') ?? {},
          comment,
          approvals: approvals.list,
        };
      }
      case 'change-merged':
        return {
          type: 'change-merged',
          ...this.base(raw, receivedAt, change, patchSet),
          ...this.by(raw, 'submitter'),
        };
      case 'change-abandoned':
        return {
          type: 'change-abandoned',
          ...this.base(raw, receivedAt, change, patchSet),
          ...this.by(raw, 'abandoner'),
        };
      default:
        return {
          type: 'change-restored',
          ...this.base(raw, receivedAt, change, patchSet),
          ...this.by(raw, 'restorer'),
        };
    }
  }

  /** Any other type: what it says of project, change and patch set, when it says it. */
  other(raw: Json, receivedAt: number): OtherEvent {
    if (!knownTypes.has(this.type)) this.notes.push('unknown event type');
    const change = isObject(raw.change) ? raw.change : null;
    const refUpdate = isObject(raw.refUpdate) ? raw.refUpdate : null;
    const project =
      stringOf(change?.project) ?? stringOf(refUpdate?.project) ?? stringOf(raw.projectName);
    const changeNumber = change ? this.integer(change.number, 'change.number') : undefined;
    const patchSetNumber = isObject(raw.patchSet)
      ? this.integer(raw.patchSet.number, 'patchSet.number')
      : undefined;
    return {
      type: this.type,
      createdOn: this.createdOn(raw, receivedAt, undefined),
      ...(project !== undefined && { project }),
      ...(changeNumber !== undefined && { change: changeNumber }),
      ...(patchSetNumber !== undefined && { patchSet: patchSetNumber }),
    };
  }

  private base(raw: Json, receivedAt: number, change: GerritChange, patchSet: GerritPatchSet) {
    return { createdOn: this.createdOn(raw, receivedAt, patchSet.createdOn), change, patchSet };
  }

  private by<K extends string>(raw: Json, field: K): { [P in K]?: GerritAccount } {
    const account = this.account(raw[field], field);
    return (account ? { [field]: account } : {}) as { [P in K]?: GerritAccount };
  }

  /**
   * `eventCreatedOn`; when absent, the fallback the type gives (the patch set's creation, the
   * comment's approvals' `grantedOn`), then the change's creation, then `receivedAt`.
   */
  private createdOn(raw: Json, receivedAt: number, fallback: number | undefined): number {
    const own = this.integer(raw.eventCreatedOn, 'eventCreatedOn');
    if (own !== undefined) return own;
    if (fallback !== undefined) {
      this.notes.push('no eventCreatedOn, its patch set or comment time used');
      return fallback;
    }
    const changeCreated = isObject(raw.change)
      ? this.integer(raw.change.createdOn, 'change.createdOn')
      : undefined;
    if (changeCreated !== undefined) {
      this.notes.push('no eventCreatedOn, the change creation time used');
      return changeCreated;
    }
    this.notes.push('no eventCreatedOn, the time received used');
    return receivedAt;
  }

  private change(raw: unknown): GerritChange | string {
    if (!isObject(raw)) return 'no change';
    const number = this.integer(raw.number, 'change.number');
    if (number === undefined) return 'no change.number';
    const project = stringOf(raw.project);
    if (project === undefined) return 'no change.project';
    let branch = stringOf(raw.branch);
    if (branch === undefined) {
      this.notes.push('no change.branch');
      branch = '';
    }
    const owner = this.account(raw.owner, 'change.owner');
    const createdOn = this.integer(raw.createdOn, 'change.createdOn');
    const optional = {
      id: stringOf(raw.id),
      subject: stringOf(raw.subject),
      commitMessage: stringOf(raw.commitMessage),
      url: stringOf(raw.url),
      topic: stringOf(raw.topic),
      status: stringOf(raw.status)?.toUpperCase(),
    };
    return {
      project,
      branch,
      number,
      ...definedOnly(optional),
      ...(owner && { owner }),
      ...(createdOn !== undefined && { createdOn }),
    };
  }

  private patchSet(raw: unknown): GerritPatchSet | null {
    if (!isObject(raw)) return null;
    const number = this.integer(raw.number, 'patchSet.number');
    if (number === undefined) return null;
    const uploader = this.account(raw.uploader, 'patchSet.uploader');
    const createdOn = this.integer(raw.createdOn, 'patchSet.createdOn');
    const optional = {
      revision: stringOf(raw.revision),
      ref: stringOf(raw.ref),
      kind: stringOf(raw.kind),
    };
    return {
      number,
      ...definedOnly(optional),
      ...(uploader && { uploader }),
      ...(createdOn !== undefined && { createdOn }),
    };
  }

  private account(raw: unknown, field: string): GerritAccount | undefined {
    if (!isObject(raw)) return undefined;
    const accountId = this.integer(raw._account_id ?? raw.accountId, `${field}.accountId`);
    return definedOnly({
      username: stringOf(raw.username),
      name: stringOf(raw.name),
      email: stringOf(raw.email),
      accountId,
    });
  }

  private approvals(raw: unknown): { list: GerritApproval[]; grantedOn: number | undefined } {
    const list: GerritApproval[] = [];
    let grantedOn: number | undefined;
    if (raw === undefined) return { list, grantedOn };
    if (!Array.isArray(raw)) {
      this.notes.push('approvals is not a list');
      return { list, grantedOn };
    }
    if (raw.length > maxApprovals)
      this.notes.push(`over ${maxApprovals} approvals, the rest ignored`);
    for (const item of raw.slice(0, maxApprovals)) {
      const approval = isObject(item) ? this.approval(item) : null;
      if (!approval) {
        this.notes.push('approval without a label or value ignored');
        continue;
      }
      list.push(approval.approval);
      if (approval.grantedOn !== undefined)
        grantedOn = Math.max(grantedOn ?? 0, approval.grantedOn);
    }
    return { list, grantedOn };
  }

  private approval(raw: Json): { approval: GerritApproval; grantedOn?: number } | null {
    const written = stringOf(raw.type) ?? stringOf(raw.description);
    const value = this.integer(raw.value, 'approvals.value');
    if (written === undefined || value === undefined) return null;
    const alias = labelAliases[written];
    if (alias) this.oldLabels.add(written);
    const oldValue = this.integer(raw.oldValue, 'approvals.oldValue');
    const grantedOn = this.integer(raw.grantedOn, 'approvals.grantedOn');
    return {
      approval: { label: alias ?? written, value, ...(oldValue !== undefined && { oldValue }) },
      ...(grantedOn !== undefined && { grantedOn }),
    };
  }

  /** An integer, or a string holding one (noted once per field); `undefined` otherwise. */
  private integer(value: unknown, field: string): number | undefined {
    if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
    if (typeof value === 'string' && /^\s*-?\d{1,15}\s*$/.test(value)) {
      if (!this.stringNumbers.includes(field)) this.stringNumbers.push(field);
      return Number(value);
    }
    return undefined;
  }
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The object without its `undefined` properties (the event types are exact-optional). */
function definedOnly<T extends object>(object: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
