// PLACEHOLDER — replaced at merge
import { createHash } from 'node:crypto';
import type { CommentAdded } from './events.js';

export function commentIdentity(event: CommentAdded): {
  change: number;
  patchSet: number;
  author: string;
  digest: string;
} {
  const body = event.comment.replace(/^Patch Set \d+:[^\n]*\n*/, '');
  const a = event.author;
  return {
    change: event.change.number,
    patchSet: event.patchSet.number,
    author: a.username ?? a.email ?? String(a.accountId ?? a.name ?? ''),
    digest: createHash('sha256').update(body).digest('hex'),
  };
}
