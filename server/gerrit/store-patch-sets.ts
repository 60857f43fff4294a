/** The patch sets and state changes of a batch of Gerrit events (see store-batch.ts). */
import type { Knex } from '@mikro-orm/knex';
import type { Dialect } from '../db/orm.js';
import { toDate } from '../db/sql.js';
import type { StoredEvent } from './events.js';
import type { WriteContext } from './report-writer.js';
import { accountKey, bindTime, cut, cutMessage, eventDate, selectIn } from './store-sql.js';

/** A patch set's key in a batch: its change id and number. */
export type PatchSetKey = string;
export const psKey = (changeId: number, number: number): PatchSetKey => `${changeId}:${number}`;

interface PatchSetRow {
  changeId: number;
  projectId: number;
  number: number;
  revision: string | null;
  createdAt: Date;
  uploader: string | null;
  kind: string | null;
  /** Only a patchset-created event's: a comment's change carries the current patch set's. */
  commitMessage: string | null;
  /** Told by a patchset-created event (its facts win over a comment's). */
  announced: boolean;
}

/**
 * Patch set id by key, and the patchset-created events of patch sets not stored before. A
 * patch set first seen through a comment is stored from what the comment tells, and completed
 * when its patchset-created event arrives. Superseded times follow every new patch set.
 */
export async function writePatchSets(
  ctx: WriteContext,
  events: readonly StoredEvent[],
  accounts: ReadonlyMap<string, number>,
  changes: ReadonlyMap<number, number>,
  projects: ReadonlyMap<string, number>,
): Promise<{ ids: Map<PatchSetKey, number>; created: StoredEvent[] }> {
  const changeIds = [...new Set(events.map((e) => changes.get(e.change.number)!))];
  const before = await selectIn<{
    id: number;
    change_id: number;
    number: number;
    revision: string | null;
  }>(
    ctx.trx,
    'gerrit_patch_sets',
    ['id', 'change_id', 'number', 'revision'],
    'change_id',
    changeIds,
  );
  const ids = new Map(
    before.map((r) => [psKey(Number(r.change_id), Number(r.number)), Number(r.id)]),
  );
  const incomplete = new Set(
    before
      .filter((r) => r.revision === null)
      .map((r) => psKey(Number(r.change_id), Number(r.number))),
  );
  const existed = new Set(ids.keys());
  const rows = new Map<PatchSetKey, PatchSetRow>();
  const created: StoredEvent[] = [];
  for (const event of events) {
    const changeId = changes.get(event.change.number)!;
    const key = psKey(changeId, event.patchSet.number);
    const ps = event.patchSet;
    const announced = event.type === 'patchset-created';
    const uploader = announced ? (event.uploader ?? ps.uploader) : ps.uploader;
    const told: PatchSetRow = {
      changeId,
      projectId: projects.get(cut(event.change.project, 255)!)!,
      number: ps.number,
      revision: cut(ps.revision, 64),
      createdAt: eventDate(ps.createdOn ?? event.createdOn),
      uploader: uploader ? accountKey(uploader) : null,
      kind: cut(ps.kind, 32),
      commitMessage:
        announced && event.change.commitMessage !== undefined
          ? cutMessage(event.change.commitMessage)
          : null,
      announced,
    };
    const seen = rows.get(key);
    if (announced && !existed.has(key) && !(seen?.announced ?? false)) created.push(event);
    if (!seen) rows.set(key, told);
    // A patchset-created event's facts win over a comment's; else the first told wins.
    else if (announced && !seen.announced) rows.set(key, { ...seen, ...stripNull(told) });
    else rows.set(key, { ...told, ...stripNull(seen) });
  }
  await ctx.bulk.upsert(
    'gerrit_patch_sets',
    [
      'change_id',
      'project_id',
      'number',
      'revision',
      'created_at',
      'uploader_id',
      'kind',
      'commit_message',
    ],
    ['change_id', 'number'],
    (i) =>
      [
        // created_at first: it reads the revision as stored before this statement.
        `created_at = case when revision is null and ${i('revision')} is not null then ${i('created_at')} else created_at end`,
        `revision = coalesce(revision, ${i('revision')})`,
        `uploader_id = coalesce(uploader_id, ${i('uploader_id')})`,
        `kind = coalesce(kind, ${i('kind')})`,
        `commit_message = coalesce(commit_message, ${i('commit_message')})`,
      ].join(', '),
    // Only new patch sets, and those stored from a comment that their patchset-created completes.
    [...rows]
      .filter(([key, r]) => !existed.has(key) || (incomplete.has(key) && r.revision !== null))
      .map(([, r]) => [
        r.changeId,
        r.projectId,
        r.number,
        r.revision,
        bindTime(ctx.dialect, r.createdAt),
        r.uploader === null ? null : (accounts.get(r.uploader) ?? null),
        r.kind,
        r.commitMessage,
      ]),
  );
  const grown = [
    ...new Set([...rows.keys()].filter((k) => !existed.has(k)).map((k) => rows.get(k)!.changeId)),
  ];
  if (grown.length > 0) {
    const after = await selectIn<{ id: number; change_id: number; number: number }>(
      ctx.trx,
      'gerrit_patch_sets',
      ['id', 'change_id', 'number'],
      'change_id',
      grown,
    );
    for (const r of after) ids.set(psKey(Number(r.change_id), Number(r.number)), Number(r.id));
  }
  await updateSuperseded(ctx.trx, ctx.dialect, grown);
  return { ids, created };
}

function stripNull<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) as Partial<T>;
}

/** Each patch set of the changes is superseded when the first later one was created. */
async function updateSuperseded(
  trx: Knex,
  dialect: Dialect,
  changeIds: readonly number[],
): Promise<void> {
  for (let i = 0; i < changeIds.length; i += 500) {
    const ids = changeIds.slice(i, i + 500);
    const list = ids.map(() => '?').join(', ');
    if (dialect === 'sqlite') {
      await trx.raw(
        `update gerrit_patch_sets set superseded_at = (select min(q.created_at) from gerrit_patch_sets q where q.change_id = gerrit_patch_sets.change_id and q.number > gerrit_patch_sets.number) where change_id in (${list})`,
        ids,
      );
    } else {
      // MySQL cannot read the table it updates in a subquery; a grouped derived table it can.
      await trx.raw(
        `update gerrit_patch_sets p left join (select a.id, min(b.created_at) as s from gerrit_patch_sets a join gerrit_patch_sets b on b.change_id = a.change_id and b.number > a.number where a.change_id in (${list}) group by a.id) x on x.id = p.id set p.superseded_at = x.s where p.change_id in (${list})`,
        [...ids, ...ids],
      );
    }
  }
}

// --- state changes ---------------------------------------------------------------------------

const STATE_TYPES = new Set(['change-merged', 'change-abandoned', 'change-restored']);

/** The state events not stored before; the patch sets' merged and abandoned times follow. */
export async function writeStateChanges(
  ctx: WriteContext,
  events: readonly StoredEvent[],
  changes: ReadonlyMap<number, number>,
  patchSets: ReadonlyMap<PatchSetKey, number>,
): Promise<StoredEvent[]> {
  const states = events.filter((e) => STATE_TYPES.has(e.type));
  if (states.length === 0) return [];
  const changeIds = [...new Set(states.map((e) => changes.get(e.change.number)!))];
  const before = await selectIn<{ change_id: number; type: string; created_at: unknown }>(
    ctx.trx,
    'gerrit_state_changes',
    ['change_id', 'type', 'created_at'],
    'change_id',
    changeIds,
  );
  const key = (changeId: number, type: string, at: Date) => `${changeId}|${type}|${at.getTime()}`;
  const seen = new Set(before.map((r) => key(Number(r.change_id), r.type, toDate(r.created_at))));
  const fresh: StoredEvent[] = [];
  const rows: unknown[][] = [];
  for (const event of states) {
    const changeId = changes.get(event.change.number)!;
    const at = eventDate(event.createdOn);
    const k = key(changeId, event.type, at);
    if (seen.has(k)) continue;
    seen.add(k);
    fresh.push(event);
    rows.push([
      changeId,
      patchSets.get(psKey(changeId, event.patchSet.number))!,
      event.type,
      bindTime(ctx.dialect, at),
    ]);
  }
  if (rows.length === 0) return [];
  await ctx.bulk.insert(
    'gerrit_state_changes',
    ['change_id', 'patch_set_id', 'type', 'created_at'],
    rows,
  );
  const touched = [...new Set(rows.map((r) => r[0] as number))];
  for (let i = 0; i < touched.length; i += 500) {
    const ids = touched.slice(i, i + 500);
    await ctx.trx.raw(
      `update gerrit_patch_sets set merged_at = (select min(s.created_at) from gerrit_state_changes s where s.patch_set_id = gerrit_patch_sets.id and s.type = 'change-merged'), abandoned_at = (select max(a.created_at) from gerrit_state_changes a where a.patch_set_id = gerrit_patch_sets.id and a.type = 'change-abandoned' and not exists (select 1 from gerrit_state_changes r where r.change_id = a.change_id and r.type = 'change-restored' and r.created_at > a.created_at)) where change_id in (${ids.map(() => '?').join(', ')})`,
      ids,
    );
  }
  return fresh;
}
