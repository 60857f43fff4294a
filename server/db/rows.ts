/** Shaping query results: the rows of one query for many keys, split per key; raw rows. */
import type { Knex } from '@mikro-orm/knex';
import type { Dialect } from './orm.js';

/** `rows` as lists per key, each in the rows' order. */
export function groupBy<R, K, V>(
  rows: readonly R[],
  keyOf: (row: R) => K,
  valueOf: (row: R) => V,
): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(valueOf(row));
  }
  return groups;
}

/** The rows of a raw query: knex.raw answers them on SQLite, `[rows, fields]` on MySQL. */
export async function rawRows(
  knex: Knex,
  dialect: Dialect,
  sql: string,
  bindings: readonly Knex.RawBinding[],
): Promise<Record<string, unknown>[]> {
  const result = (await knex.raw(sql, bindings as Knex.RawBinding[])) as unknown;
  return (dialect === 'sqlite' ? result : (result as unknown[])[0]) as Record<string, unknown>[];
}
