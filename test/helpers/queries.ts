/** Hostile queries, shared by the HTTP and WebSocket limit tests. */

/**
 * A query whose fragment `F<i>` spreads `F<i+1>` twice, `levels` times, ending in one field
 * with one subfield: 2^levels × 2 fields once expanded, no cycle.
 */
export function fragmentBomb(levels: number): string {
  const fragments = Array.from(
    { length: levels },
    (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
  );
  fragments.push(`fragment F${levels} on Query { freshness { newestRunAt } }`);
  return `query { ...F0 }\n${fragments.join('\n')}`;
}
