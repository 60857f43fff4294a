import type { Knex } from '@mikro-orm/knex';
import type { Dialect } from '../db/orm.js';
import { timeParam } from '../db/sql.js';
import { ApiError, ErrorCode } from '../graphql/errors.js';
import { sqlRunIs } from './outcome.js';
import { maxMetadataFilters } from './run-limits.js';
import type { RunFilter } from './run.type.js';

/**
 * Restricts a query over `runs` (aliased `alias`) to a filter; shared by every list and
 * analytic query so they all agree on what a filter means.
 */
export function whereRuns(
  query: Knex.QueryBuilder,
  dialect: Dialect,
  filter: RunFilter | undefined,
  alias = 'runs',
): Knex.QueryBuilder {
  if (!filter) return query;
  const pairs = filter.metadata ?? [];
  if (pairs.length > maxMetadataFilters) {
    throw new ApiError(
      ErrorCode.BAD_USER_INPUT,
      `the filter has ${pairs.length} metadata pairs; the limit is ${maxMetadataFilters}`,
    );
  }
  if (filter.job !== undefined && filter.job !== null)
    query.where(`${alias}.build_name`, filter.job);
  if (filter.since) query.where(`${alias}.run_at`, '>=', timeParam(dialect, filter.since));
  if (filter.until) query.where(`${alias}.run_at`, '<', timeParam(dialect, filter.until));
  for (const [i, { key, value }] of pairs.entries()) {
    const m = `m${i}`;
    query.whereExists(function () {
      this.select(1)
        .from(`run_metadata as ${m}`)
        .whereRaw(`${m}.run_id = ${alias}.id`)
        .where(`${m}.key`, key)
        .where(`${m}.value`, value);
    });
  }
  if (filter.status) query.whereRaw(sqlRunIs(filter.status, alias));
  return query;
}
