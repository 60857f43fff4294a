/** Shaping query results: the rows of one query for many keys, split per key. */

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
