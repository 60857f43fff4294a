/**
 * Retention: scraped runs older than the age go, with their tasks, through the run deletion
 * (the aggregates are what they were before the run came in); uploaded runs stay.
 */
import { createReadStream } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/config.js';
import { openRuntime, type Runtime } from '../../server/runtime.js';
import { purgeScrapedRuns } from '../../server/scrape/purge.js';
import { claim, enqueue, heldTask, taskByUuid } from '../../server/scrape/tasks.js';
import { gatewatch } from '../helpers/cli.js';
import { backends } from '../helpers/databases.js';
import { rollupsOf } from '../helpers/rollups.js';
import { FIXTURES } from '../helpers/server.js';

const DAY = 86_400_000;
const UPLOADED = 'https://logs.example.org/11/1/check/unit/aaa/';
const SCRAPED = 'https://logs.example.org/22/1/check/unit/bbb/';

describe.each(backends)('purge on $name', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let runtime: Runtime;
  beforeAll(async () => {
    handle = await backend.create();
    runtime = await openRuntime(loadConfig({ db: handle.url }, {}));
  });
  afterAll(async () => {
    await runtime?.stop();
    await handle?.drop();
  });

  const ingest = (fixture: string, artifactsUrl: string) =>
    runtime.services.ingest.ingest({
      name: fixture,
      source: createReadStream(`${FIXTURES}subunit/${fixture}`),
      metadata: { build_name: 'unit' },
      artifactsUrl,
    });
  const runIdOf = async (uuid: string) =>
    Number((await runtime.services.db.knex('runs').where('uuid', uuid).first('id')).id);

  it('removes old scraped runs and their tasks, keeps uploaded ones, and the rollups are exact', async () => {
    const { db } = runtime.services;
    const uploaded = await ingest('sample-last.subunit', UPLOADED);
    // Asking to scrape the uploaded run's URL answers with it: that task fetched nothing.
    const answered = await enqueue(db, {
      url: UPLOADED,
      job: 'unit',
      input: UPLOADED,
      change: null,
      patchSet: null,
      pipeline: null,
      project: null,
      ci: null,
    });
    expect(answered.task).toMatchObject({ state: 'finished', runId: await runIdOf(uploaded.run) });
    const before = await rollupsOf(db.knex);

    const { task } = await enqueue(db, {
      url: SCRAPED,
      job: 'unit',
      input: '22',
      change: 22,
      patchSet: 1,
      pipeline: 'check',
      project: null,
      ci: null,
    });
    const claimed = await claim(db, 'test', 60_000);
    expect(claimed?.uuid).toBe(task.uuid);
    const scraped = await ingest('sample-retry.subunit', SCRAPED);
    await heldTask(db, claimed!, 'test').finish(await runIdOf(scraped.run));
    expect(await rollupsOf(db.knex)).not.toEqual(before);

    expect(await purgeScrapedRuns(db, 7 * DAY, new Date(Date.now() + DAY))).toEqual({
      runs: 0,
      tasks: 0,
    });
    expect(await purgeScrapedRuns(db, 7 * DAY, new Date(Date.now() + 8 * DAY))).toEqual({
      runs: 1,
      tasks: 1,
    });
    expect(await db.knex('runs').where('uuid', scraped.run).first()).toBeUndefined();
    expect(await taskByUuid(db.knex, task.uuid)).toBeNull();
    expect(await db.knex('runs').where('uuid', uploaded.run).first()).toBeDefined();
    expect(await taskByUuid(db.knex, answered.task.uuid)).toMatchObject({ state: 'finished' });
    expect(await rollupsOf(db.knex)).toEqual(before);
  });

  it('gatewatch purge reports what it removed, and refuses an age it cannot read', async () => {
    const done = await gatewatch(['purge', '--db', handle.url, '--older-than', '7d', '--json']);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(JSON.parse(done.out)).toEqual({ runs: 0, tasks: 0 });
    const bad = await gatewatch(['purge', '--db', handle.url, '--older-than', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--older-than soon: not a duration');
    const missing = await gatewatch(['purge', '--db', handle.url]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--older-than AGE is needed');
  });
});
