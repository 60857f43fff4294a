import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { CiBuild } from './ci-build.entity.js';
import { Run } from './run.entity.js';

/**
 * A durable scraping task: one job's log directory to fetch and store as a run. The table is
 * the queue (server/scrape/tasks.ts): instances claim tasks from it under a lease.
 */
export const ScrapeTask = defineEntity({
  name: 'ScrapeTask',
  tableName: 'scrape_tasks',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    /** What clients name the task by (not guessable, unlike the row id). */
    uuid: p.string().length(36).unique(),
    /** The job's log directory, normalised to end with `/`. */
    url: p.string().length(2048),
    /** sha256 of the URL without trailing slashes (as run_log_keys): URLs are too long to index. */
    urlKey: p.string().length(64).index(),
    job: p.string().length(255).nullable(),
    /** What the user pasted. */
    input: p.string().length(2048),
    // What the resolution knew of the job: the run's metadata.
    change: p.integer().nullable(),
    patchset: p.integer().nullable(),
    pipeline: p.string().length(255).nullable(),
    project: p.string().length(255).nullable(),
    /** The CI's account. */
    ci: p.string().length(255).nullable(),
    build: p.manyToOne(CiBuild).nullable().deleteRule('set null').index(),
    /** queued, running, finished or failed. */
    state: p.string().length(16),
    /** While running: crawling, downloading, parsing. */
    stage: p.string().length(16).nullable(),
    bytesFetched: p.bigint('number'),
    /** Attempts started. */
    attempts: p.integer(),
    error: p.string().length(1024).nullable(),
    /** A queued task is not claimed before then (the back-off after a transient error). */
    notBefore: p.datetime(),
    /** Who runs it, until when: a running task whose lease expired is claimed again. */
    holder: p.string().length(255).nullable(),
    leaseUntil: p.datetime().nullable(),
    run: p.manyToOne(Run).nullable().deleteRule('set null').index(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  }),
  // Claiming reads queued tasks due by then, and running ones whose lease expired.
  indexes: [{ properties: ['state', 'notBefore'] }, { properties: ['state', 'leaseUntil'] }],
});
export type ScrapeTask = InferEntity<typeof ScrapeTask>;
