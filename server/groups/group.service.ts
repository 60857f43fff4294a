/** Reads for the home page: runs grouped by a metadata key, and how fresh the data is. */
import type { Database } from '../db/orm.js';
import type { Page, PageRequest } from '../db/page.js';
import { GatewatchError } from '../errors.js';
import type { RunFilter } from '../runs/run.type.js';
import {
  checkWindow,
  pageOfGroups,
  runSeries,
  runTotals,
  ungroupedTotals,
  type GroupTotals,
  type RunTotals,
} from '../jobs/series.service.js';
import type { Resolution } from '../db/sql.js';
import type { GroupSeries } from '../jobs/series.type.js';

/** What the home page groups by unless told otherwise. */
export const DEFAULT_GROUP_KEY = 'project';

/** A page of groups, and the runs that belong to none of them. */
export interface GroupPage<T> extends Page<T> {
  /** Totals of the runs lacking the key; null when none does. Queried when read. */
  readonly withoutKey: Promise<RunTotals | null>;
}

/**
 * The values of `key` among the runs matching the filter, with their totals; one page. The
 * runs lacking the key are counted apart (`withoutKey`), so that groups and they add up.
 */
export async function pageOfKeyGroups<T>(
  db: Database,
  key: string,
  filter: RunFilter | undefined,
  page: PageRequest,
  nodesOf: (groups: GroupTotals[]) => T[],
): Promise<GroupPage<T>> {
  checkKey(key);
  checkWindow(filter ?? {});
  const grouping = { by: 'metadata', key } as const;
  const groups = await pageOfGroups(db, filter, grouping, page, nodesOf);
  let withoutKey: Promise<RunTotals | null> | undefined;
  return Object.defineProperty(groups, 'withoutKey', {
    get: () => (withoutKey ??= ungroupedTotals(db, filter, grouping)),
  }) as GroupPage<T>;
}

/**
 * The series of the runs matching the filter, one per value of `groupBy` (runs lacking it
 * together under null), or a single one when `groupBy` is not given; `values` restricts
 * the groups.
 */
export function seriesBy(
  db: Database,
  groupBy: string | null | undefined,
  filter: RunFilter | undefined,
  resolution: Resolution,
  values?: readonly string[],
): Promise<GroupSeries[]> {
  checkWindow(filter ?? {});
  if (groupBy === null || groupBy === undefined) {
    return runSeries(db, filter, resolution, { by: 'nothing' });
  }
  checkKey(groupBy);
  return runSeries(db, filter, resolution, { by: 'metadata', key: groupBy }, values);
}

/** The newest run matching the filter and its age at `now`. */
export async function freshness(
  db: Database,
  filter: RunFilter | undefined,
  now = new Date(),
): Promise<{ newestRunAt: Date | null; ageSeconds: number | null }> {
  checkWindow(filter ?? {});
  const totals = await runTotals(db, filter, { by: 'nothing' });
  const newestRunAt = totals.get(null)?.lastRunAt ?? null;
  return {
    newestRunAt,
    ageSeconds: newestRunAt === null ? null : (now.getTime() - newestRunAt.getTime()) / 1000,
  };
}

function checkKey(key: string): void {
  if (key === '') throw new GatewatchError('BAD_ARGUMENT', 'the metadata key must not be empty');
}
