/**
 * One batch of Gerrit events written in one transaction with bulk statements: accounts,
 * projects, changes, patch sets, state changes, comments, then the CI reports of the new CI
 * comments. Idempotent: what is already stored is recognised and counted as a duplicate.
 */
import type { CiReportEvent } from '../cis/ci.topics.js';
import { createBulkWriter } from '../db/bulk.js';
import type { Database } from '../db/orm.js';
import type { StoredEvent } from './events.js';
import type { WriteContext } from './report-writer.js';
import type { EventSource } from './sink.js';
import { writeAccounts, writeChanges, writeProjects } from './store-changes.js';
import { writeComments } from './store-comments.js';
import { writePatchSets, writeStateChanges } from './store-patch-sets.js';
import { bindTime, eventDate, type StoreScope } from './store-sql.js';

export type { StoreScope } from './store-sql.js';

export interface BatchOutcome {
  /** The events stored for the first time, in the order given. */
  readonly stored: StoredEvent[];
  readonly duplicates: number;
  readonly reports: CiReportEvent[];
}

export async function writeBatch(
  db: Database,
  scope: StoreScope,
  events: readonly StoredEvent[],
  source: EventSource,
): Promise<BatchOutcome> {
  if (events.length === 0) return { stored: [], duplicates: 0, reports: [] };
  return db.knex.transaction(async (trx) => {
    const ctx: WriteContext = {
      trx,
      bulk: await createBulkWriter(db.dialect, trx),
      dialect: db.dialect,
      serverId: scope.serverId,
      upstream: scope.upstream,
    };
    const accounts = await writeAccounts(ctx, events);
    const projects = await writeProjects(ctx, events);
    const changes = await writeChanges(ctx, events, accounts, projects);
    const patchSets = await writePatchSets(ctx, events, accounts, changes, projects);
    const isNew = new Set<StoredEvent>(patchSets.created);
    for (const event of await writeStateChanges(ctx, events, changes, patchSets.ids)) {
      isNew.add(event);
    }
    const comments = await writeComments(
      ctx,
      scope,
      events,
      { accounts, changes, patchSets: patchSets.ids, projects },
      source,
    );
    for (const event of comments.created) isNew.add(event);
    const newest = Math.max(...events.map((e) => e.createdOn));
    await trx('gerrit_servers')
      .where('id', scope.serverId)
      .andWhere((q) =>
        q
          .whereNull('last_event_at')
          .orWhere('last_event_at', '<', bindTime(db.dialect, eventDate(newest))!),
      )
      .update({ last_event_at: bindTime(db.dialect, eventDate(newest)) });
    // `delete`: an event object given twice is stored once.
    const stored = events.filter((e) => isNew.delete(e));
    return { stored, duplicates: events.length - stored.length, reports: comments.reports };
  });
}
