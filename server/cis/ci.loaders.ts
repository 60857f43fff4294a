import type { Database } from '../db/orm.js';
import type { Context } from '../graphql/context.js';
import { batched } from '../graphql/loaders.js';
import type { runsLoaders } from '../runs/run.loaders.js';
import {
  buildsByReport,
  buildsByRun,
  ciSystemsById,
  messagesByReport,
  reportsById,
  reportsByPatchSet,
} from './ci.service.js';

/** Batches the CI lookups of one request: a page of N reports costs one builds query, not N. */
export function cisLoaders(db: Database) {
  return {
    ciSystem: batched((ids: readonly number[]) => ciSystemsById(db.knex, ids), null),
    ciReport: batched((ids: readonly number[]) => reportsById(db.knex, ids), null),
    messageOfReport: batched((ids: readonly number[]) => messagesByReport(db.knex, ids), ''),
    buildsOfReport: batched((ids: readonly number[]) => buildsByReport(db.knex, ids), []),
    reportsOfPatchSet: batched((ids: readonly number[]) => reportsByPatchSet(db.knex, ids), []),
    buildOfRun: batched((ids: readonly number[]) => buildsByRun(db.knex, ids), null),
  };
}

export type CisContext = Context<ReturnType<typeof cisLoaders> & ReturnType<typeof runsLoaders>>;
