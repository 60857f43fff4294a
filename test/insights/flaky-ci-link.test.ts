/**
 * The patch set a run tested, known from the CI build it came from when its metadata has no
 * `build_change` / `build_patchset`: a recheck reported by Zuul on Gerrit makes the test flaky.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backends } from '../helpers/databases.js';
import { storeGerritEvents } from '../helpers/gerrit-store.js';
import { patchSetCreated, reportAdded, T0, ZUUL } from '../helpers/gerrit-events.js';
import { INSIGHT_DIR, insightHistory, insightTests as t } from '../helpers/insight-history.js';
import { startServer } from '../helpers/server.js';

const CHANGE = { number: 101, project: 'acme/api' };
const LOGS = [
  'https://logs.example.org/101/1/check/acme-unit/aaa1111',
  'https://logs.example.org/101/1/check/acme-unit/bbb2222/',
];

describe.each(backends)('flaky verdicts from CI builds on $name', (backend) => {
  it("takes a run's patch set from the CI build whose log URL is its artifacts URL", async () => {
    const server = await startServer(backend);
    await storeGerritEvents(
      server.app.services,
      [
        patchSetCreated(CHANGE, 1, T0),
        reportAdded(CHANGE, 1, T0 + 600, ZUUL, false, [
          { job: 'acme-unit', result: 'FAILURE', url: LOGS[0]! },
        ]),
        reportAdded(CHANGE, 1, T0 + 1200, ZUUL, true, [
          { job: 'acme-unit', result: 'SUCCESS', url: LOGS[1]! },
        ]),
      ],
      { source: 'stream' },
    );
    // The first two runs of the history (the failure and its recheck), with no change in their metadata.
    const uuids: string[] = [];
    for (const [i, run] of insightHistory.slice(0, 2).entries()) {
      const summary = await server.app.services.ingest.ingest({
        name: run.file,
        source: createReadStream(join(INSIGHT_DIR, run.file)),
        metadata: { build_name: run.metadata.build_name, project: run.metadata.project },
        artifactsUrl: LOGS[i],
      });
      uuids.push(summary.run);
    }
    const { body } = await server.query<{
      flakyTests: {
        nodes: {
          testId: string;
          reason: string;
          evidence: { runs: { run: string; change: number; patchset: number }[] };
        }[];
      };
    }>(
      `{ flakyTests(filter: { job: "acme-unit" }) { nodes { testId reason evidence { runs { run change patchset } } } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.flakyTests.nodes).toEqual([
      {
        testId: t.createServer,
        reason: 'same-code',
        evidence: { runs: uuids.map((run) => ({ run, change: 101, patchset: 1 })) },
      },
    ]);
  });
});
