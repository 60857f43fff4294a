import type { Dialect } from './orm.js';

/**
 * The conflict clause of an INSERT that adds its values to an existing row's counters
 * instead of failing: how rollups and aggregates are maintained in one statement.
 */
export function addOnConflict(
  dialect: Dialect,
  table: string,
  keys: readonly string[],
  counters: readonly string[],
): string {
  if (dialect === 'sqlite') {
    const sets = counters.map((c) => `${c} = ${table}.${c} + excluded.${c}`);
    return `on conflict (${keys.join(', ')}) do update set ${sets.join(', ')}`;
  }
  const sets = counters.map((c) => `${c} = ${table}.${c} + values(${c})`);
  return `on duplicate key update ${sets.join(', ')}`;
}
