/** `runIngested` over graphql-ws: uploads reach the subscribers whose filter they match. */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../server/tokens/token.service.js';
import { backends } from '../helpers/databases.js';
import { FIXTURES, firstEvent, startServer, type TestServer } from '../helpers/server.js';

const SUBSCRIPTION = `subscription ($filter: RunFilter) {
  runIngested(filter: $filter) { id buildName status tests metadata { key value } }
}`;

interface Event {
  runIngested: {
    id: string;
    buildName: string | null;
    status: string;
    tests: number;
    metadata: { key: string; value: string }[];
  };
}

describe.each(backends)('runIngested on $name', (backend) => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startServer(backend);
    token = (await createToken(server.app.services.db, 'ci')).secret;
  });

  async function upload(fixture: string, metadata: Record<string, string>) {
    const url = new URL('/api/runs', server.url);
    for (const [key, value] of Object.entries(metadata)) url.searchParams.set(key, value);
    const response = await fetch(url, {
      method: 'POST',
      body: readFileSync(`${FIXTURES}subunit/${fixture}`),
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { run: string; tests: number };
  }

  it('delivers an uploaded run to a subscriber', async () => {
    const client = server.ws();
    const { next, ready } = firstEvent<Event>(client, SUBSCRIPTION);
    await ready;
    const uploaded = await upload('stestr-failure.subunit', {
      build_name: 'live-job',
      project: 'openstack/nova',
    });
    const event = await next;
    expect(event.errors).toBeUndefined();
    expect(event.data!.runIngested).toEqual({
      id: uploaded.run,
      buildName: 'live-job',
      status: 'FAILED',
      tests: uploaded.tests,
      metadata: [
        { key: 'build_name', value: 'live-job' },
        { key: 'project', value: 'openstack/nova' },
      ],
    });
  });

  it('leaves out runs its filter does not match', async () => {
    const client = server.ws();
    const byJob = firstEvent<Event>(client, SUBSCRIPTION, { filter: { job: 'wanted-job' } });
    const byMetadata = firstEvent<Event>(client, SUBSCRIPTION, {
      filter: { metadata: [{ key: 'project', value: 'openstack/neutron' }], status: 'PASSED' },
    });
    await Promise.all([byJob.ready, byMetadata.ready]);
    // Published first: a filter that let it through would deliver it first.
    await upload('stestr-successful.subunit', {
      build_name: 'other-job',
      project: 'openstack/swift',
    });
    await upload('stestr-failure.subunit', {
      build_name: 'other-job',
      project: 'openstack/neutron',
    });
    const wanted = await upload('stestr-successful.subunit', {
      build_name: 'wanted-job',
      project: 'openstack/neutron',
    });
    expect((await byJob.next).data!.runIngested.id).toBe(wanted.run);
    expect((await byMetadata.next).data!.runIngested.id).toBe(wanted.run);
  });
});
