import type { cisLoaders } from '../cis/ci.loaders.js';
import type { Database } from '../db/orm.js';
import type { Context } from '../graphql/context.js';
import { batched } from '../graphql/loaders.js';
import { rechecksByChange, runsByChange } from './change-activity.service.js';
import { accountsById, changesById, patchSetsByChange, patchSetsById } from './gerrit.service.js';

/** Batches the Gerrit lookups of one request: N patch sets' changes cost one query. */
export function gerritLoaders(db: Database) {
  return {
    gerritChange: batched((ids: readonly number[]) => changesById(db.knex, ids), null),
    gerritPatchSet: batched((ids: readonly number[]) => patchSetsById(db.knex, ids), null),
    patchSetsOfChange: batched((ids: readonly number[]) => patchSetsByChange(db.knex, ids), []),
    gerritAccount: batched((ids: readonly number[]) => accountsById(db.knex, ids), null),
    rechecksOfChange: batched((ids: readonly number[]) => rechecksByChange(db.knex, ids), []),
    runsOfChange: batched((ids: readonly number[]) => runsByChange(db.knex, ids), []),
  };
}

export type GerritContext = Context<
  ReturnType<typeof gerritLoaders> & ReturnType<typeof cisLoaders>
>;
