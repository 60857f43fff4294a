/** The scrape queue's table on each backend: enqueueing, claims under a lease, their writes. */
import { createReadStream } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/config.js';
import { openDatabase, type Database } from '../../server/db/orm.js';
import { openRuntime, type Runtime } from '../../server/runtime.js';
import {
  claim,
  enqueue,
  heldTask,
  taskByUuid,
  type ScrapeRequest,
} from '../../server/scrape/tasks.js';
import { backends } from '../helpers/databases.js';
import { FIXTURES } from '../helpers/server.js';

let serial = 0;
/** A request for a log directory of its own. */
function request(overrides: Partial<ScrapeRequest> = {}): ScrapeRequest {
  serial += 1;
  return {
    url: `https://logs.example.org/${serial}/check/job-${serial}/abc/`,
    job: `job-${serial}`,
    input: String(serial),
    change: serial,
    patchSet: 1,
    pipeline: 'check',
    project: 'openstack/nova',
    ci: 'zuul',
    ...overrides,
  };
}

const LEASE = 60_000;

describe.each(backends)('scrape tasks on $name', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let runtime: Runtime;
  let db: Database;
  beforeAll(async () => {
    handle = await backend.create();
    runtime = await openRuntime(loadConfig({ db: handle.url }, {}));
    db = runtime.services.db;
  });
  afterAll(async () => {
    await runtime?.stop();
    await handle?.drop();
  });

  /** Claims until the queue is empty, finishing nothing: what is left claimable is ours. */
  const drain = async () => {
    while ((await claim(db, 'drain', LEASE)) !== null);
  };

  it('queues a new URL once: asking again answers the same task', async () => {
    const asked = request();
    const first = await enqueue(db, asked);
    expect(first.created).toBe(true);
    expect(first.task).toMatchObject({
      state: 'queued',
      url: asked.url,
      job: asked.job,
      attempts: 0,
    });
    const again = await enqueue(db, { ...asked, input: 'pasted differently' });
    expect(again).toEqual({ task: first.task, created: false });
  });

  it('answers a URL whose run is already stored with a finished task, fetching nothing', async () => {
    const asked = request();
    const summary = await runtime.services.ingest.ingest({
      name: 'sample-last.subunit',
      source: createReadStream(`${FIXTURES}subunit/sample-last.subunit`),
      artifactsUrl: asked.url,
    });
    const run: { id: number } = await db.knex('runs').where('uuid', summary.run).first('id');
    const { task, created } = await enqueue(db, asked);
    expect(created).toBe(false);
    expect(task).toMatchObject({ state: 'finished', runId: Number(run.id), attempts: 0 });
  });

  it('claims each task once, oldest first, counting an attempt; a task waiting out a back-off is not due', async () => {
    await drain();
    const a = (await enqueue(db, request())).task;
    const b = (await enqueue(db, request())).task;
    const first = await claim(db, 'one', LEASE);
    expect(first).toMatchObject({ uuid: a.uuid, state: 'running', attempts: 1 });
    const held = heldTask(db, first!, 'one');
    expect(await held.retryLater('503 from the log server', 60_000)).toMatchObject({
      state: 'queued',
      error: '503 from the log server',
    });
    expect((await claim(db, 'two', LEASE))?.uuid).toBe(b.uuid);
    expect(await claim(db, 'three', LEASE)).toBeNull();
  });

  it('gives a running task whose lease expired to another holder, and refuses the first its writes', async () => {
    await drain();
    const { task } = await enqueue(db, request());
    const dead = await claim(db, 'dead', 1);
    expect(dead?.uuid).toBe(task.uuid);
    const later = new Date(Date.now() + 5_000);
    const taken = await claim(db, 'alive', LEASE, later);
    expect(taken).toMatchObject({ uuid: task.uuid, state: 'running', attempts: 2 });
    expect(await heldTask(db, dead!, 'dead').finish(1)).toBeNull();
    expect(await heldTask(db, dead!, 'dead').renew(LEASE)).toBe(false);
    const alive = heldTask(db, taken!, 'alive');
    expect(await alive.renew(LEASE)).toBe(true);
    expect(await alive.fail('no subunit stream or console log under URL')).toMatchObject({
      state: 'failed',
      error: 'no subunit stream or console log under URL',
    });
  });

  it('a released task goes back to the queue without the attempt', async () => {
    await drain();
    const { task } = await enqueue(db, request());
    const claimed = await claim(db, 'stopping', LEASE);
    const released = await heldTask(db, claimed!, 'stopping').release();
    expect(released).toMatchObject({ uuid: task.uuid, state: 'queued', attempts: 0 });
    expect(await taskByUuid(db.knex, task.uuid)).toEqual(released);
  });

  // SQLite has one writer: its claims share this process's one connection.
  it('claims each of many tasks exactly once among concurrent claimers', async () => {
    await drain();
    const other = backend.name === 'mariadb' ? await openDatabase(handle.target) : db;
    try {
      const queued = await Promise.all(
        Array.from({ length: 30 }, async () => (await enqueue(db, request())).task.uuid),
      );
      const claimer = async (on: Database, name: string) => {
        const got: string[] = [];
        for (let task = await claim(on, name, LEASE); task; task = await claim(on, name, LEASE)) {
          got.push(task.uuid);
        }
        return got;
      };
      const claimed = await Promise.all([
        claimer(db, 'a'),
        claimer(other, 'b'),
        claimer(db, 'c'),
        claimer(other, 'd'),
      ]);
      expect(claimed.flat().sort()).toEqual([...queued].sort());
    } finally {
      if (other !== db) await other.close();
    }
  });
});
