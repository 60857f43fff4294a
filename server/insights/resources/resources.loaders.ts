import type { Database } from '../../db/orm.js';
import type { Context } from '../../graphql/context.js';
import { batched } from '../../graphql/loaders.js';
import { dstatSeriesByDstatId } from '../../runs/artifact.service.js';
import type { runsLoaders } from '../../runs/run.loaders.js';

/**
 * Batches the recordings' columns of one request: the resource contexts of a page of N
 * failures cost one series query, not N. Every column is read (the request's settings are
 * not the loader's); a recording holds a few dozen.
 */
export function resourcesLoaders(db: Database) {
  return {
    dstatColumns: batched(
      (ids: readonly number[]) => dstatSeriesByDstatId(db.knex, ids, undefined),
      [],
    ),
  };
}

export type ResourcesContext = Context<
  ReturnType<typeof resourcesLoaders> & ReturnType<typeof runsLoaders>
>;
