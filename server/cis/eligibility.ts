/**
 * Which patch sets a CI is expected to report on (README "CI health figures"), as SQL pieces
 * that the coverage figures and the missed list share, so that both count the same patch sets:
 * created in the window, in a project the CI covers (reported on in the window), and not
 * superseded by the next patch set within 3 h of its creation.
 */
import type { Knex } from '@mikro-orm/knex';
import type { Dialect } from '../db/orm.js';
import { timeParam } from '../db/sql.js';

/** A patch set superseded sooner than this after its creation is not eligible. */
export const SUPERSEDED_WITHIN_MS = 3 * 3_600_000;

/** SQL text and its bindings, in order. */
export interface SqlPart {
  readonly sql: string;
  readonly bindings: readonly Knex.RawBinding[];
}

export interface EligibleScope {
  readonly since: Date;
  readonly until: Date;
  /** Only these projects: a `select id …` of gerrit_projects; null for every project. */
  readonly projects: SqlPart | null;
  /** Only this CI (its row id). */
  readonly ciId: number | null;
}

/** The project of that name, on any server, as a scope. */
export function projectNamed(name: string): SqlPart {
  return { sql: 'select id from gerrit_projects where name = ?', bindings: [name] };
}

/**
 * `from`: a `from … where …` over the eligible patch sets `ps` of each CI `cv.ci_id`;
 * `reported`: the condition that the CI reported on `ps` before the window's end.
 */
export function eligiblePatchSets(
  dialect: Dialect,
  scope: EligibleScope,
): { from: SqlPart; reported: SqlPart } {
  const since = timeParam(dialect, scope.since);
  const until = timeParam(dialect, scope.until);
  const notSoonSuperseded =
    dialect === 'sqlite'
      ? `ps.superseded_at > ps.created_at + ${SUPERSEDED_WITHIN_MS}`
      : `ps.superseded_at > date_add(ps.created_at, interval ${SUPERSEDED_WITHIN_MS / 1000} second)`;
  const projectFilter =
    scope.projects === null ? '' : `and r.project_id in (${scope.projects.sql})`;
  const ciFilter = scope.ciId === null ? '' : 'and r.ci_id = ?';
  const from = `from (select distinct r.ci_id, r.project_id from ci_reports r
      where r.created_at >= ? and r.created_at < ? ${projectFilter} ${ciFilter}) cv
    join gerrit_patch_sets ps on ps.project_id = cv.project_id
    where ps.created_at >= ? and ps.created_at < ?
      and (ps.superseded_at is null or ${notSoonSuperseded})`;
  return {
    from: {
      sql: from,
      bindings: [
        since,
        until,
        ...(scope.projects?.bindings ?? []),
        ...(scope.ciId === null ? [] : [scope.ciId]),
        since,
        until,
      ],
    },
    reported: {
      sql: `exists (select 1 from ci_reports r2
        where r2.patch_set_id = ps.id and r2.ci_id = cv.ci_id and r2.created_at < ?)`,
      bindings: [until],
    },
  };
}
