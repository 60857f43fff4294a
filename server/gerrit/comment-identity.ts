/**
 * Who said what on which patch set: the identity of a comment, the same whichever path
 * delivered it (stream-events, the REST catch-up, a replay), so that the store keeps one copy.
 */
import { createHash } from 'node:crypto';
import { splitPatchSetHeader } from '../cis/patch-set-header.js';
import type { CommentAdded, GerritAccount } from './events.js';

export interface CommentIdentity {
  readonly change: number;
  readonly patchSet: number;
  /** {@link accountKey} of the author. */
  readonly author: string;
  /** sha256 (hex) of {@link commentText}. */
  readonly digest: string;
}

/** How long apart (seconds) two deliveries of one comment may be timed; see {@link commentIdentity}. */
export const sameCommentWithinSeconds = 10;

/**
 * The identity of a comment: change, patch set, author key and a digest of its text.
 *
 * It leaves out what differs between the paths: the `Patch Set N: …` header (REST always sends
 * it, older servers' stream-events do not), line ends, surrounding blank space, and the time.
 * The time is not part of it because REST (the message's `date`) and stream-events
 * (`eventCreatedOn`) may differ by up to a second; the store treats two comments with the same
 * identity whose times are within {@link sameCommentWithinSeconds} of each other as one comment,
 * and the same words said again later as a new one.
 */
export function commentIdentity(event: CommentAdded): CommentIdentity {
  return {
    change: event.change.number,
    patchSet: event.patchSet.number,
    author: accountKey(event.author),
    digest: createHash('sha256').update(commentText(event.comment)).digest('hex'),
  };
}

/**
 * The account's stable key: its username, else its e-mail, else `account:<id>`, else its name
 * (`''` when Gerrit names no one).
 */
export function accountKey(account: GerritAccount): string {
  if (account.username) return account.username;
  if (account.email) return account.email;
  if (account.accountId !== undefined) return `account:${account.accountId}`;
  return account.name ?? '';
}

/** The comment's text as the digest sees it: no header, LF line ends, trimmed. */
export function commentText(comment: string): string {
  return splitPatchSetHeader(comment).body.trim();
}
