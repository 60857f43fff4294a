/**
 * The scrape queue: the `scrape_tasks` table is the queue, no other broker. A task is queued,
 * claimed by one process under a lease (renewed while it works), then finished with its run
 * or failed with a message. A running task whose lease expired (its process died) is claimed
 * again (the claim and the lease are the leased queue's, server/db/leased-queue.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from '@mikro-orm/knex';
import { logKey, runsByLogKey } from '../cis/run-link.js';
import { claimNext, RELEASED, writeHeld, type LeasedTable } from '../db/leased-queue.js';
import type { Database } from '../db/orm.js';
import { toDate } from '../db/sql.js';

export type TaskState = 'queued' | 'running' | 'finished' | 'failed';
export type TaskStage = 'crawling' | 'downloading' | 'parsing';

/** A task as the queue knows it. */
export interface Task {
  readonly rowId: number;
  readonly uuid: string;
  readonly url: string;
  readonly job: string | null;
  readonly input: string;
  readonly change: number | null;
  readonly patchSet: number | null;
  readonly pipeline: string | null;
  readonly project: string | null;
  readonly ci: string | null;
  readonly buildId: number | null;
  readonly state: TaskState;
  readonly stage: TaskStage | null;
  readonly bytesFetched: number;
  readonly attempts: number;
  readonly error: string | null;
  readonly runId: number | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What is asked to be scraped: a job's log directory and what the resolution knew of it. */
export interface ScrapeRequest {
  /** The log directory, normalised (ends with `/`). */
  readonly url: string;
  readonly job: string | null;
  /** What the user pasted. */
  readonly input: string;
  readonly change: number | null;
  readonly patchSet: number | null;
  readonly pipeline: string | null;
  readonly project: string | null;
  readonly ci: string | null;
}

/** The longest error message kept (scrape_tasks.error). */
const ERROR_MAX = 1024;

/**
 * The task for `request`: a finished one for the same URL whose run still exists, or a queued
 * or running one, is answered as is; a run already stored for the URL (uploaded or ingested by
 * hand with it as artifacts URL) gets a finished task without fetching; else a queued task.
 * `created` tells whether a task was queued.
 */
export async function enqueue(
  db: Database,
  request: ScrapeRequest,
  now = new Date(),
): Promise<{ task: Task; created: boolean }> {
  const key = logKey(request.url);
  const current: TaskRow | undefined = await db
    .knex('scrape_tasks')
    .where('url_key', key)
    .andWhere((q) =>
      q
        .whereIn('state', ['queued', 'running'])
        .orWhere((f) => f.where('state', 'finished').whereNotNull('run_id')),
    )
    .orderBy('id', 'desc')
    .first();
  if (current) return { task: taskOf(current), created: false };
  const runId = (await runsByLogKey(db.knex, [key])).get(key) ?? null;
  const build: { id: number } | undefined = await db
    .knex('ci_builds')
    .where('log_key', key)
    .orderBy('id', 'desc')
    .first('id');
  const uuid = randomUUID();
  await db.knex('scrape_tasks').insert({
    uuid,
    url: request.url,
    url_key: key,
    job: request.job,
    input: request.input.slice(0, 2048),
    change: request.change,
    patchset: request.patchSet,
    pipeline: request.pipeline,
    project: request.project,
    ci: request.ci,
    build_id: build?.id ?? null,
    state: runId === null ? 'queued' : 'finished',
    stage: null,
    bytes_fetched: 0,
    attempts: 0,
    error: null,
    not_before: now,
    holder: null,
    lease_until: null,
    run_id: runId,
    created_at: now,
    updated_at: now,
  });
  return { task: (await taskByUuid(db.knex, uuid))!, created: runId === null };
}

export async function taskByUuid(knex: Knex, uuid: string): Promise<Task | null> {
  const row: TaskRow | undefined = await knex('scrape_tasks').where('uuid', uuid).first();
  return row ? taskOf(row) : null;
}

const SCRAPE_TASKS: LeasedTable = { table: 'scrape_tasks' };

/**
 * Takes the oldest claimable task for `holder` until now + `leaseMs`, counting an attempt;
 * null when there is none.
 */
export async function claim(
  db: Database,
  holder: string,
  leaseMs: number,
  now = new Date(),
): Promise<Task | null> {
  const id = await claimNext(db, SCRAPE_TASKS, holder, leaseMs, { stage: null }, now);
  return id === null ? null : taskById(db.knex, id);
}

/** What a holder writes of its task; each write is refused (null) once it lost the lease. */
export interface HeldTask {
  /** Extends the lease to now + `leaseMs`; false when another holder has the task. */
  renew(leaseMs: number): Promise<boolean>;
  progress(stage: TaskStage, bytesFetched: number): Promise<Task | null>;
  finish(runId: number): Promise<Task | null>;
  fail(message: string): Promise<Task | null>;
  /** Back to the queue, not before now + `delayMs`, keeping the error that made it wait. */
  retryLater(message: string, delayMs: number): Promise<Task | null>;
  /** Back to the queue at once, its attempt not counted (this process is stopping). */
  release(): Promise<Task | null>;
}

export function heldTask(db: Database, task: Task, holder: string): HeldTask {
  const write = async (changes: Record<string, unknown>): Promise<Task | null> =>
    (await writeHeld(db, SCRAPE_TASKS, task.rowId, holder, changes))
      ? taskById(db.knex, task.rowId)
      : null;
  const ended = { stage: null, ...RELEASED };
  return {
    renew: async (leaseMs) =>
      (await write({ lease_until: new Date(Date.now() + leaseMs) })) !== null,
    progress: (stage, bytesFetched) => write({ stage, bytes_fetched: bytesFetched }),
    finish: (runId) => write({ ...ended, state: 'finished', run_id: runId, error: null }),
    fail: (message) => write({ ...ended, state: 'failed', error: message.slice(0, ERROR_MAX) }),
    retryLater: (message, delayMs) =>
      write({
        ...ended,
        state: 'queued',
        error: message.slice(0, ERROR_MAX),
        not_before: new Date(Date.now() + delayMs),
      }),
    release: () =>
      write({ ...ended, state: 'queued', attempts: db.knex.raw('?? - 1', ['attempts']) }),
  };
}

async function taskById(knex: Knex, id: number): Promise<Task | null> {
  const row: TaskRow | undefined = await knex('scrape_tasks').where('id', id).first();
  return row ? taskOf(row) : null;
}

interface TaskRow {
  id: number;
  uuid: string;
  url: string;
  job: string | null;
  input: string;
  change: number | null;
  patchset: number | null;
  pipeline: string | null;
  project: string | null;
  ci: string | null;
  build_id: number | null;
  state: TaskState;
  stage: TaskStage | null;
  bytes_fetched: number | string;
  attempts: number;
  error: string | null;
  run_id: number | null;
  created_at: Date | string | number;
  updated_at: Date | string | number;
}

function taskOf(row: TaskRow): Task {
  const id = (value: number | null) => (value === null ? null : Number(value));
  return {
    rowId: Number(row.id),
    uuid: row.uuid,
    url: row.url,
    job: row.job,
    input: row.input,
    change: id(row.change),
    patchSet: id(row.patchset),
    pipeline: row.pipeline,
    project: row.project,
    ci: row.ci,
    buildId: id(row.build_id),
    state: row.state,
    stage: row.stage,
    bytesFetched: Number(row.bytes_fetched),
    attempts: Number(row.attempts),
    error: row.error,
    runId: id(row.run_id),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}
