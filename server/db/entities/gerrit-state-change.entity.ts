import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { GerritChange } from './gerrit-change.entity.js';
import { GerritPatchSet } from './gerrit-patch-set.entity.js';

/**
 * A change's merge, abandonment or restoration, known by its type and time: what makes a state
 * event delivered twice stored once, and what the patch sets' merged/abandoned times derive from.
 */
export const GerritStateChange = defineEntity({
  name: 'GerritStateChange',
  tableName: 'gerrit_state_changes',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    change: p.manyToOne(GerritChange).deleteRule('cascade').index(false),
    patchSet: p.manyToOne(GerritPatchSet).deleteRule('cascade'),
    /** `change-merged`, `change-abandoned` or `change-restored`. */
    type: p.string().length(32),
    createdAt: p.datetime(),
  }),
  uniques: [{ properties: ['change', 'type', 'createdAt'] }],
});
export type GerritStateChange = InferEntity<typeof GerritStateChange>;
