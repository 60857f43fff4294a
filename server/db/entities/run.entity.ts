import { defineEntity, type InferEntity } from '@mikro-orm/core';

/**
 * One test run: the results of one subunit stream, with its metadata. Counts are stored so
 * listing runs never has to touch their results.
 */
export const Run = defineEntity({
  name: 'Run',
  tableName: 'runs',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    uuid: p.string().length(36).unique(),
    /** When the run happened: its first test's start, else when it was ingested. */
    runAt: p.datetime().index(),
    ingestedAt: p.datetime(),
    /** The job, from the `build_name` metadata; kept here because jobs are queried by it. */
    buildName: p.string().length(255).nullable().index(),
    format: p.string().length(8),
    tests: p.integer(),
    passes: p.integer(),
    failures: p.integer(),
    skips: p.integer(),
    xfails: p.integer(),
    uxsuccesses: p.integer(),
    incomplete: p.integer(),
    parseErrors: p.integer(),
    workers: p.integer(),
    /** Seconds from the first start to the last stop. */
    wallTime: p.double().$type<number>().runtimeType('number').nullable(),
    /** Sum of every result's duration, in seconds. */
    summedTime: p.double().$type<number>().runtimeType('number'),
    startUs: p.bigint('number').nullable(),
    stopUs: p.bigint('number').nullable(),
    artifactsUrl: p.string().length(2048).nullable(),
    /** sha256 of the stream bytes and the metadata: what makes an ingest idempotent. */
    digest: p.string().length(64).nullable().unique(),
    // The keys the Gerrit side and flaky detection join on, from the run's metadata (see
    // server/runs/run-keys.ts); the metadata keeps every value, numeric or not.
    /** The Gerrit change number (`build_change`), when numeric. */
    changeNumber: p.integer().nullable(),
    /** The patch set number (`build_patchset`), when numeric. */
    patchset: p.integer().nullable(),
    /** The CI build (`build_uuid`). */
    buildUuid: p.string().length(512).nullable().index(),
    /** `project` */
    project: p.string().length(512).nullable(),
    /** The pipeline (`build_queue`). */
    pipeline: p.string().length(512).nullable(),
    /** `build_branch` */
    branch: p.string().length(512).nullable(),
  }),
  indexes: [
    { properties: ['changeNumber', 'patchset'] },
    // A flaky scope's window: its newest runs (server/insights/flaky/scopes.ts).
    { properties: ['buildName', 'runAt'] },
    { properties: ['project', 'runAt'] },
    { properties: ['branch', 'runAt'] },
    { properties: ['pipeline', 'runAt'] },
  ],
});
export type Run = InferEntity<typeof Run>;
