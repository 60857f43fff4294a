/**
 * The insight history (test/fixtures/insights/, made by make-insight-fixtures.sh): 24 real
 * stestr streams of two jobs over a few changes, rechecks and patch sets, each with the
 * metadata it is ingested with and the tests that failed in it. `ingestInsightHistory`
 * stores them in order through the server's own ingest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, type TestServer } from './server.js';

export interface InsightRun {
  /** Under test/fixtures/insights/. */
  file: string;
  /** Place in the history: the streams' timestamps follow it. */
  order: number;
  /** Test ids that failed, as in the stream (with tempest-style `[attrs]`). */
  failed: string[];
  metadata: {
    build_name: string;
    project: string;
    build_branch: string;
    build_queue: string;
    build_change: string;
    build_patchset: string;
  };
}

/** An insight run once stored: its uuid beside its description. */
export interface StoredInsightRun extends InsightRun {
  uuid: string;
  /** `failed` as gatewatch stores test ids: a trailing `[attrs]` group is kept apart. */
  failedTests: string[];
}

export const INSIGHT_DIR = join(FIXTURES, 'insights');

/** Every run of the history, oldest first. */
export const insightHistory: readonly InsightRun[] = (
  JSON.parse(readFileSync(join(INSIGHT_DIR, 'manifest.json'), 'utf8')) as InsightRun[]
).sort((a, b) => a.order - b.order);

/** The suite's test ids as gatewatch stores them (what every stream runs). */
export const insightTests = {
  createServer: 'insight.tests.test_service.ServiceTest.test_create_server',
  deleteVolume: 'insight.tests.test_service.ServiceTest.test_delete_volume',
  networkWait: 'insight.tests.test_service.ServiceTest.test_network_wait',
  parseConfig: 'insight.tests.test_service.ServiceTest.test_parse_config',
  lockRelease: 'insight.tests.test_service.ServiceTest.test_lock_release',
  listServers: 'insight.tests.test_service.ServiceTest.test_list_servers',
  showServer: 'insight.tests.test_service.ServiceTest.test_show_server',
  resizeServer: 'insight.tests.test_service.ServiceTest.test_resize_server',
  login: 'insight.tests.test_auth.AuthTest.test_login',
} as const;

/** Stores `runs` (default: the whole history) in order through the server's ingest. */
export async function ingestInsightHistory(
  server: TestServer,
  runs: readonly InsightRun[] = insightHistory,
): Promise<StoredInsightRun[]> {
  const stored: StoredInsightRun[] = [];
  for (const run of runs) {
    const summary = await server.ingest(join('insights', run.file), run.metadata);
    const failedTests = run.failed.map((id) => id.replace(/\[[^\]]*\]$/, ''));
    stored.push({ ...run, uuid: summary.run, failedTests });
  }
  return stored;
}
