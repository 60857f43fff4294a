/**
 * The shared insight history ingests as its manifest says, on every backend: each stream
 * becomes a run with its metadata's keys, and exactly the manifest's tests failed in it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/databases.js';
import {
  ingestInsightHistory,
  insightHistory,
  insightTests,
  type StoredInsightRun,
} from '../helpers/insight-history.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe.each(backends)('the insight history on $name', (backend) => {
  let server: TestServer;
  let stored: StoredInsightRun[];

  beforeAll(async () => {
    server = await startServer(backend);
    stored = await ingestInsightHistory(server);
  });

  it('stores every stream as a run, in the order of the history', async () => {
    const runs = await server.app.services.db
      .knex('runs')
      .select('uuid', 'build_name', 'project', 'branch', 'pipeline', 'change_number', 'patchset')
      .orderBy('run_at');
    expect(runs.map((r) => r.uuid)).toEqual(stored.map((r) => r.uuid));
    expect(runs).toEqual(
      insightHistory.map((run, i) => ({
        uuid: stored[i]!.uuid,
        build_name: run.metadata.build_name,
        project: run.metadata.project,
        branch: run.metadata.build_branch,
        pipeline: run.metadata.build_queue,
        change_number: Number(run.metadata.build_change),
        patchset: Number(run.metadata.build_patchset),
      })),
    );
  });

  it('fails exactly the tests the manifest lists, each stream running the whole suite', async () => {
    const rows = await server.app.services.db
      .knex('test_results')
      .join('runs', 'runs.id', 'test_results.run_id')
      .join('tests', 'tests.id', 'test_results.test_id')
      .select('runs.uuid', 'tests.test_id', 'test_results.status');
    for (const run of stored) {
      const ofRun = rows.filter((r) => r.uuid === run.uuid);
      expect(ofRun.map((r) => r.test_id).sort()).toEqual(Object.values(insightTests).sort());
      const failed = ofRun.filter((r) => r.status === 'fail').map((r) => r.test_id);
      expect(failed.sort()).toEqual([...run.failedTests].sort());
    }
    expect(stored.filter((r) => r.failed.length > 0)).toHaveLength(13);
  });
});
