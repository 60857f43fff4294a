/**
 * A run whose worker died mid-test (an incomplete result) or whose stream has a damaged
 * packet is FAILED, as stestr fails it, in every place a run's status shows: the run, the
 * status filter, job and group totals, the time series and the job rollup.
 */
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../server/tokens/token.service.js';
import { encodeEvent } from '../../workers/subunit/encode.js';
import type { SubunitEvent } from '../../workers/subunit/types.js';
import { backends } from '../helpers/databases.js';
import { startServer, type TestServer } from '../helpers/server.js';

const AT = Date.parse('2026-11-30T10:00:00Z');
const JOB = 'status-job';

/** One event of a test, `seconds` after AT. */
function event(testId: string, status: SubunitEvent['status'], seconds: number): Buffer[] {
  const ms = AT + seconds * 1000;
  return encodeEvent({
    testId,
    status,
    timestamp: { seconds: Math.floor(ms / 1000), nanos: 0 },
    tags: ['worker-0'],
    runnable: true,
  });
}

/** A test that started and ended with `status`. */
const ended = (testId: string, status: SubunitEvent['status'], at: number) => [
  ...event(testId, 'inprogress', at),
  ...event(testId, status, at + 1),
];

/** A packet with a bad checksum: the parser skips it and counts a parse error. */
function damaged(): Buffer {
  const packet = Buffer.concat(event('pkg.test_damaged', 'success', 30));
  packet[packet.length - 1]! ^= 0xff;
  return packet;
}

const STREAMS: Record<string, Buffer> = {
  clean: Buffer.concat([
    ...ended('pkg.test_a', 'success', 0),
    ...ended('pkg.test_b', 'success', 2),
  ]),
  // The worker died in test_b: it started and never ended.
  deadWorker: Buffer.concat([
    ...ended('pkg.test_a', 'success', 0),
    ...event('pkg.test_b', 'inprogress', 2),
  ]),
  damaged: Buffer.concat([...ended('pkg.test_a', 'success', 0), damaged()]),
  // Nothing passed, nothing failed, but a test never ended: failed, not skipped.
  skippedDead: Buffer.concat([
    ...ended('pkg.test_a', 'skip', 0),
    ...event('pkg.test_b', 'inprogress', 2),
  ]),
  skipped: Buffer.concat(ended('pkg.test_a', 'skip', 0)),
};

describe.each(backends)('run status on $name', (backend) => {
  let server: TestServer;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startServer(backend);
    for (const [name, bytes] of Object.entries(STREAMS)) {
      const summary = await server.app.services.ingest.ingest({
        name: `${name}.subunit`,
        source: Readable.from([bytes]),
        metadata: { build_name: JOB, project: 'openstack/nova' },
      });
      ids[name] = summary.run;
    }
  });

  async function data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const { body } = await server.query<T>(query, variables);
    expect(body.errors).toBeUndefined();
    return body.data!;
  }

  it('answers FAILED for a run with an incomplete result or a parse error', async () => {
    type One = { run: { status: string; incomplete: number; parseErrors: number } };
    const statusOf = async (name: string) =>
      (
        await data<One>(`query ($id: ID!) { run(id: $id) { status incomplete parseErrors } }`, {
          id: ids[name],
        })
      ).run;
    expect(await statusOf('clean')).toEqual({ status: 'PASSED', incomplete: 0, parseErrors: 0 });
    expect(await statusOf('deadWorker')).toEqual({
      status: 'FAILED',
      incomplete: 1,
      parseErrors: 0,
    });
    expect(await statusOf('damaged')).toEqual({ status: 'FAILED', incomplete: 0, parseErrors: 1 });
    expect(await statusOf('skippedDead')).toMatchObject({ status: 'FAILED', incomplete: 1 });
    expect(await statusOf('skipped')).toMatchObject({ status: 'SKIPPED' });
  });

  it('filters runs by that status', async () => {
    type List = { runs: { nodes: { id: string }[] } };
    const withStatus = async (status: string) =>
      (
        await data<List>(
          `query ($status: RunStatus) { runs(filter: { status: $status }) { nodes { id } } }`,
          { status },
        )
      ).runs.nodes
        .map((n) => n.id)
        .sort();
    expect(await withStatus('PASSED')).toEqual([ids.clean]);
    expect(await withStatus('FAILED')).toEqual(
      [ids.deadWorker, ids.damaged, ids.skippedDead].sort(),
    );
    expect(await withStatus('SKIPPED')).toEqual([ids.skipped]);
  });

  it('counts such runs failed in job and group totals and in the series', async () => {
    const totals = { runCount: 5, passedRuns: 1, failedRuns: 3, failureRate: 0.75 };
    const { job } = await data<{ job: Record<string, number> }>(
      `{ job(name: "${JOB}") { runCount passedRuns failedRuns skippedRuns failureRate } }`,
    );
    expect(job).toEqual({ ...totals, skippedRuns: 1 });
    const { groups } = await data<{ groups: { nodes: Record<string, unknown>[] } }>(
      `{ groups(key: "project") { nodes { value runCount passedRuns failedRuns failureRate } } }`,
    );
    expect(groups.nodes).toEqual([{ value: 'openstack/nova', ...totals }]);
    const { runSeries } = await data<{ runSeries: { buckets: Record<string, number>[] }[] }>(
      `{ runSeries(resolution: DAY) { buckets { runs passedRuns failedRuns skippedRuns } } }`,
    );
    expect(runSeries.flatMap((s) => s.buckets)).toEqual([
      { runs: 5, passedRuns: 1, failedRuns: 3, skippedRuns: 1 },
    ]);
  });

  it('counts them failed in the job rollup, and deleting them takes out what they added', async () => {
    const knex = server.app.services.db.knex;
    const rollup = async () =>
      (await knex('job_daily').where('build_name', JOB).select('*')).map(
        (row: Record<string, unknown>) =>
          ['runs', 'passed_runs', 'failed_runs', 'skipped_runs'].map((c) => Number(row[c])),
      );
    expect(await rollup()).toEqual([[5, 1, 3, 1]]);
    const { secret } = await createToken(server.app.services.db, 'status-test');
    for (const name of ['deadWorker', 'damaged', 'skippedDead']) {
      const { body } = await server.query(
        `mutation ($id: ID!) { deleteRun(id: $id) }`,
        { id: ids[name] },
        { authorization: `Bearer ${secret}` },
      );
      expect(body.errors).toBeUndefined();
    }
    expect(await rollup()).toEqual([[2, 1, 0, 1]]);
  });
});
