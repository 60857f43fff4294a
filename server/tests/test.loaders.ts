import type { Database } from '../db/orm.js';
import type { Context } from '../graphql/context.js';
import { batched } from '../graphql/loaders.js';
import { testsByRowId } from './test.service.js';

export function testsLoaders(db: Database) {
  return {
    test: batched((ids: readonly number[]) => testsByRowId(db.knex, ids), null),
  };
}

export type TestsContext = Context<ReturnType<typeof testsLoaders>>;
