/**
 * Upgrading a database that already holds runs: their change, patch set, build and the other
 * keys are backfilled from their metadata, and on MariaDB text becomes case-sensitive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/orm.js';
import { timeParam } from '../../server/db/sql.js';
import { backends } from '../helpers/databases.js';

/** The last migration before the run keys. */
const BEFORE = '20261122174000-analytics-indexes';

const RUNS: Record<string, Record<string, string>> = {
  'aaaa0000-0000-4000-8000-000000000001': {
    build_name: 'Gate-Nova',
    build_change: '912345',
    build_patchset: '3',
    build_uuid: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    project: 'openstack/nova',
    build_queue: 'gate',
    build_branch: 'master',
  },
  'aaaa0000-0000-4000-8000-000000000002': {
    build_name: 'gate-nova',
    build_change: 'I8d1c5e…',
    build_patchset: '99999999999',
  },
  'aaaa0000-0000-4000-8000-000000000003': {},
};

const NO_KEYS = {
  change_number: null,
  patchset: null,
  build_uuid: null,
  project: null,
  pipeline: null,
  branch: null,
};

describe.each(backends)('run keys migration on $name', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let db: Database;
  beforeAll(async () => {
    handle = await backend.create();
    db = await openDatabase(handle.target, { migrate: false });
    await db.orm.migrator.up({ to: BEFORE });
    const now = timeParam(db.dialect, new Date('2026-11-30T10:00:00Z'));
    for (const [uuid, metadata] of Object.entries(RUNS)) {
      const [id] = await db.knex('runs').insert({
        uuid,
        run_at: now,
        ingested_at: now,
        build_name: metadata.build_name ?? null,
        format: 'v2',
        ...Object.fromEntries(
          ['tests', 'passes', 'failures', 'skips', 'xfails', 'uxsuccesses', 'incomplete'].map(
            (c) => [c, 0],
          ),
        ),
        parse_errors: 0,
        workers: 0,
        summed_time: 0,
      });
      const rows = Object.entries(metadata).map(([key, value]) => ({ run_id: id, key, value }));
      if (rows.length > 0) await db.knex('run_metadata').insert(rows);
    }
    await db.orm.migrator.up();
  });
  afterAll(async () => {
    await db?.close();
    await handle?.drop();
  });

  it('fills the key columns of existing runs from their metadata', async () => {
    const rows = await db
      .knex('runs')
      .select('uuid', 'change_number', 'patchset', 'build_uuid', 'project', 'pipeline', 'branch')
      .orderBy('uuid');
    expect(rows).toEqual([
      {
        uuid: 'aaaa0000-0000-4000-8000-000000000001',
        change_number: 912345,
        patchset: 3,
        build_uuid: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
        project: 'openstack/nova',
        pipeline: 'gate',
        branch: 'master',
      },
      // Not numbers (or too large for an int): null here, still in the metadata.
      { uuid: 'aaaa0000-0000-4000-8000-000000000002', ...NO_KEYS },
      { uuid: 'aaaa0000-0000-4000-8000-000000000003', ...NO_KEYS },
    ]);
    const kept = await db.knex('run_metadata').where('key', 'build_change').pluck('value');
    expect(kept.sort()).toEqual(['912345', 'I8d1c5e…']);
  });

  it('compares the job names of existing runs case-sensitively', async () => {
    expect(await db.knex('runs').where('build_name', 'gate-nova').pluck('uuid')).toEqual([
      'aaaa0000-0000-4000-8000-000000000002',
    ]);
    expect(await db.knex('run_metadata').where({ key: 'BUILD_NAME' }).count({ n: '*' })).toEqual([
      { n: 0 },
    ]);
  });
});
