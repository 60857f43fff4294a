/** The eligible patch sets a CI did not report on (the figures' `missed`), newest first, by keyset pages. */
import type { Database } from '../db/orm.js';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from '../db/page.js';
import { rawRows } from '../db/rows.js';
import { cursorTime, toDate } from '../db/sql.js';
import { eligiblePatchSets } from './eligibility.js';
import type { CiMissedPatchSet } from './health.type.js';
import type { RecordWindow } from './window.js';

/** One page; `total` answers `totalCount` (the figures' `missed`, counted once). */
export async function missedPatchSets(
  db: Database,
  window: RecordWindow,
  page: PageRequest,
  total: () => Promise<number>,
): Promise<Page<CiMissedPatchSet>> {
  const size = pageSize(page);
  const after = decodeCursor(page.after);
  const { from, reported } = eligiblePatchSets(db.dialect, {
    since: window.since,
    until: window.until,
    projects: null,
    ciId: window.ciId,
  });
  const rows = await rawRows(
    db.knex,
    db.dialect,
    `select ps.id, ps.created_at ${from.sql} and not ${reported.sql}
      ${after ? 'and (ps.created_at < ? or (ps.created_at = ? and ps.id < ?))' : ''}
    order by ps.created_at desc, ps.id desc
    limit ?`,
    [
      ...from.bindings,
      ...reported.bindings,
      ...(after ? [after[0]!, after[0]!, after[1]!] : []),
      size + 1,
    ],
  );
  return toPage(
    rows,
    size,
    (r) => [cursorTime(db.dialect, r.created_at), Number(r.id)],
    (r) => ({ patchSetId: Number(r.id), createdAt: toDate(r.created_at) }),
    total,
  );
}
