import { defineEntity, type InferEntity } from '@mikro-orm/core';

/**
 * A failure signature (workers/signatures/normalise.ts): failures whose masked tracebacks are
 * the same. Its counts and first/last seen are maintained on ingest and on run deletion.
 */
export const Signature = defineEntity({
  name: 'Signature',
  tableName: 'signatures',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    /** sha256 hex of `normalised`. */
    fingerprint: p.string().length(64).unique(),
    /** The masked exception line. */
    summary: p.string().length(500),
    normalised: p.text(),
    /** The first failure with it: run row id and result seq (no FK: repaired on deletion). */
    exampleRunId: p.integer(),
    exampleSeq: p.integer(),
    firstSeen: p.datetime(),
    lastSeen: p.datetime().index(),
    /** Failing results with it. */
    failures: p.integer(),
    /** Runs with at least one of them. */
    runs: p.integer(),
  }),
});
export type Signature = InferEntity<typeof Signature>;
