import type { Knex } from '@mikro-orm/knex';
import type { Dialect } from './orm.js';
import { bytewise } from './sql.js';

/**
 * Restricts a query to test ids (in `column`) with a prefix and/or a substring, literally and
 * case-sensitively on both dialects: instr() has no wildcards to escape, and comparing bytes
 * sidesteps MySQL's space padding and SQLite's ASCII-only LIKE folding.
 */
export function whereTestId(
  query: Knex.QueryBuilder,
  dialect: Dialect,
  column: string,
  filter: { prefix?: string | null; contains?: string | null } | undefined,
): Knex.QueryBuilder {
  const id = bytewise(dialect, column);
  const param = bytewise(dialect, '?');
  if (filter?.prefix) query.whereRaw(`instr(${id}, ${param}) = 1`, [filter.prefix]);
  if (filter?.contains) query.whereRaw(`instr(${id}, ${param}) > 0`, [filter.contains]);
  return query;
}
