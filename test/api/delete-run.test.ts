/**
 * The `deleteRun` mutation: only with a token, and it takes the run back out of every
 * aggregate, so the rollups are what they were before the run came in.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createToken, revokeToken } from '../../server/tokens/token.service.js';
import { backends } from '../helpers/databases.js';
import { rollupsOf } from '../helpers/rollups.js';
import { startServer, type TestServer } from '../helpers/server.js';

const DELETE = `mutation ($id: ID!) { deleteRun(id: $id) }`;

describe.each(backends)('deleteRun on $name', (backend) => {
  let server: TestServer;
  let auth: Record<string, string>;

  beforeAll(async () => {
    server = await startServer(backend);
    auth = { authorization: `Bearer ${(await createToken(server.app.services.db, 'ci')).secret}` };
  });

  const rollups = () => rollupsOf(server.app.services.db.knex);

  async function rowsOf(run: string): Promise<number> {
    const knex = server.app.services.db.knex;
    const [row] = await knex('test_results')
      .join('runs', 'runs.id', 'test_results.run_id')
      .where('runs.uuid', run)
      .count({ n: '*' });
    return Number(row!.n);
  }

  it('needs a live token', async () => {
    const { run } = await server.ingest('subunit/stestr-all_skips.subunit', { build_name: 'j' });
    const anonymous = await server.query(DELETE, { id: run });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(anonymous.body.data).toBeNull();

    const { secret } = await createToken(server.app.services.db, 'short-lived');
    await revokeToken(server.app.services.db, 'short-lived');
    const revoked = await server.query(DELETE, { id: run }, { authorization: `Bearer ${secret}` });
    expect(revoked.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const still = await server.query<{ run: { id: string } | null }>(
      `query ($id: ID!) { run(id: $id) { id } }`,
      { id: run },
    );
    expect(still.body.data!.run).toEqual({ id: run });
  });

  it('deletes runs and takes them out of tests, test_daily and job_daily', async () => {
    await server.ingest('subunit/stestr-failure.subunit', { build_name: 'rollup-job' });
    const before = await rollups();
    // The same stream again (same tests, day and job: the same rows) and another one.
    const again = await server.ingest('subunit/stestr-failure.subunit', {
      build_name: 'rollup-job',
      attempt: '2',
    });
    const other = await server.ingest('subunit/stestr-successful.subunit', {
      build_name: 'rollup-job',
    });
    expect(await rollups()).not.toEqual(before);
    expect(await rowsOf(again.run)).toBe(again.tests);

    for (const run of [again.run, other.run]) {
      const { body } = await server.query<{ deleteRun: string }>(DELETE, { id: run }, auth);
      expect(body.errors).toBeUndefined();
      expect(body.data!.deleteRun).toBe(run);
      expect(await rowsOf(run)).toBe(0);
    }
    expect(await rollups()).toEqual(before);

    const gone = await server.query<{ runs: { nodes: { id: string }[] } }>(
      `{ runs(filter: { job: "rollup-job" }) { nodes { id } } }`,
    );
    expect(gone.body.data!.runs.nodes.map((r) => r.id)).not.toContain(again.run);
    expect(gone.body.data!.runs.nodes).toHaveLength(1);

    const twice = await server.query(DELETE, { id: again.run }, auth);
    expect(twice.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('removes what a run alone had, and ingesting it again restores every aggregate exactly', async () => {
    const empty = await rollups();
    const first = await server.ingest('subunit/sample-last.subunit', { build_name: 'solo-job' });
    const added = await rollups();
    expect(Object.keys(added).length).toBeGreaterThan(Object.keys(empty).length);
    const { body } = await server.query(DELETE, { id: first.run }, auth);
    expect(body.errors).toBeUndefined();
    // No zero-count test, test_daily or job_daily row is left behind.
    expect(await rollups()).toEqual(empty);

    await server.ingest('subunit/sample-last.subunit', { build_name: 'solo-job', attempt: '2' });
    const again = await rollups();
    // Same sums bit for bit; test rows were registered anew, so only their ids differ.
    const withoutIds = (rows: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(rows).map(([key, value]) => [
          key,
          key.startsWith('tests ') ? JSON.stringify(JSON.parse(value).slice(1)) : value,
        ]),
      );
    expect(withoutIds(again)).toEqual(withoutIds(added));
    expect(
      Object.keys(again).filter(
        (key) => key.startsWith('test_daily ') && key.includes(' solo-job '),
      ).length,
    ).toBe(first.tests);
  });
});
