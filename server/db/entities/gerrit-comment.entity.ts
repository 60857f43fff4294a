import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { GerritAccount } from './gerrit-account.entity.js';
import { GerritPatchSet } from './gerrit-patch-set.entity.js';

/**
 * A comment on a patch set, its message kept (capped) so that reports can be derived again.
 * `digest` is the sha256 of the message without its `Patch Set N:` header: with the patch set,
 * the author and the time (within 10 s) it is the comment's identity, whichever path delivered it.
 */
export const GerritComment = defineEntity({
  name: 'GerritComment',
  tableName: 'gerrit_comments',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    patchSet: p.manyToOne(GerritPatchSet).deleteRule('cascade').index(false),
    author: p.manyToOne(GerritAccount).deleteRule('cascade').index(false),
    createdAt: p.datetime(),
    digest: p.string().length(64),
    /** report, recheck, ci-notice, other or unparsed (a CI's comment that is not a result). */
    kind: p.string().length(16),
    /** The message as Gerrit stored it, cut to its first 64 KiB. */
    message: p.text().columnType('mediumtext'),
    /** stream, rest or replay: the path that delivered it first. */
    source: p.string().length(8),
  }),
  uniques: [{ properties: ['patchSet', 'author', 'digest', 'createdAt'] }],
  indexes: [
    { properties: ['author', 'kind', 'createdAt'] },
    // The unparsed comments of every CI in a window (the figures).
    { properties: ['kind', 'createdAt', 'author'] },
  ],
});
export type GerritComment = InferEntity<typeof GerritComment>;
