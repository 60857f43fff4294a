/**
 * What the change view reads beyond patch sets: a change's rechecks and the runs ingested for
 * it, through GraphQL on a real server, batched.
 */
import { createReadStream } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { openGerritStore } from '../../server/gerrit/store.js';
import { backends } from '../helpers/databases.js';
import { FIXTURES, startServer, type TestServer } from '../helpers/server.js';
import { change1Rechecks, history, logOf } from './record-history.js';

describe.each(backends)('the change view on $name', (backend) => {
  let server: TestServer;
  /** Run uuids by the name given below. */
  const runs = new Map<string, { id: string; runAt: string }>();
  let statements = 0;

  beforeAll(async () => {
    server = await startServer(backend);
    const store = await openGerritStore(server.app.services, {
      name: 'review',
      url: 'https://review.example.org',
      cis: [],
      upstream: null,
    });
    await store.accept(history, 'replay');
    await store.close();
    const ingest = async (
      name: string,
      fixture: string,
      metadata: Record<string, string>,
      artifactsUrl?: string,
    ) => {
      const summary = await server.app.services.ingest.ingest({
        name,
        source: createReadStream(`${FIXTURES}subunit/${fixture}`),
        metadata,
        ...(artifactsUrl === undefined ? {} : { artifactsUrl }),
      });
      const { body } = await server.query<{ run: { runAt: string } }>(
        `query ($id: ID!) { run(id: $id) { runAt } }`,
        { id: summary.run },
      );
      runs.set(name, { id: summary.run, runAt: body.data!.run.runAt });
    };
    // Change 1: `linked` through a5's unit build, `named` by its metadata, `both` either way;
    // `elsewhere` names change 1 of another project; `change2` names change 2.
    const nova1 = { build_change: '1', project: 'openstack/nova' };
    await ingest('linked', 'sample-last.subunit', {}, logOf('unit', 'a5'));
    await ingest('named', 'stestr-failure.subunit', nova1);
    await ingest('both', 'stestr-successful.subunit', nova1, `${logOf('unit', 'a2')}/`);
    await ingest('elsewhere', 'sample-retry.subunit', {
      build_change: '1',
      project: 'openstack/neutron',
    });
    await ingest('change2', 'stestr-all_skips.subunit', {
      build_change: '2',
      project: 'openstack/nova',
    });
    server.app.services.db.knex.on('query', () => statements++);
  });

  const ok = async <T>(query: string, variables?: Record<string, unknown>) => {
    const { body } = await server.query<T>(query, variables);
    expect(body.errors).toBeUndefined();
    return body.data!;
  };
  /** Newest first: by run time, then the later ingest first. */
  const newestFirst = (names: string[]) =>
    names
      .map((name, order) => ({ ...runs.get(name)!, order }))
      .sort((a, b) => Date.parse(b.runAt) - Date.parse(a.runAt) || b.order - a.order)
      .map((r) => ({ id: r.id }));

  it('lists its rechecks oldest first, with reason and target', async () => {
    const { change } = await ok<{ change: unknown }>(`{ change(number: 1) {
      recheckCount rechecks { patchSet author { username } createdAt reason ci } } }`);
    expect(change).toEqual({ recheckCount: change1Rechecks.length, rechecks: change1Rechecks });
  });

  it('lists the runs ingested for it once each, newest first', async () => {
    const { change } = await ok<{ change: { runs: unknown[] } }>(
      `{ change(number: 1) { runs { id } } }`,
    );
    // In ingest order: linked, named, both.
    expect(change.runs).toEqual(newestFirst(['linked', 'named', 'both']));
    const { change: two } = await ok<{ change: { runs: unknown[] } }>(
      `{ change(number: 2) { runs { id } } }`,
    );
    expect(two.runs).toEqual([{ id: runs.get('change2')!.id }]);
  });

  it('reaches a run from its patch sets, reports and builds', async () => {
    const { change } = await ok<{
      change: {
        patchSets: { reports: { builds: { job: string; run: { id: string } | null }[] }[] }[];
      };
    }>(`{ change(number: 1) { patchSets { reports { builds { job run { id } } } } } }`);
    const linked = change.patchSets
      .flatMap((ps) => ps.reports)
      .flatMap((r) => r.builds)
      .filter((b) => b.run !== null)
      .map((b) => b.run!.id)
      .sort();
    expect(linked).toEqual([runs.get('linked')!.id, runs.get('both')!.id].sort());
  });

  it('costs the same number of statements for one change as for many', async () => {
    const page = `query ($first: Int!) { changes(first: $first) { nodes {
      number recheckCount rechecks { author { username } } runs { id build { job } } } } }`;
    const count = async (first: number) => {
      const before = statements;
      await ok(page, { first });
      return statements - before;
    };
    expect(await count(8)).toBe(await count(1));
  });
});
