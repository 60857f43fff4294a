/**
 * Limits of the runs filter, in a module of their own: `run.type.ts` and `run-filter.ts` both
 * read them, and `run-filter.ts` reaches `run.type.ts` through `outcome.ts` (a cycle that left
 * the constant uninitialised when `run-filter.ts` loaded first, as `dist/` does).
 */

/**
 * Each metadata pair is a sub-query: past a few dozen, SQLite's expression depth gives out and
 * MariaDB's plans grow for no use (no real filter needs more).
 */
export const maxMetadataFilters = 32;
