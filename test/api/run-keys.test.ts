/** A run's change, patch set, CI build, project, pipeline and branch, from its metadata. */
import { beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/databases.js';
import { startServer, type TestServer } from '../helpers/server.js';

const RUN = `query ($id: ID!) { run(id: $id) { change patchset buildUuid project pipeline branch } }`;

describe.each(backends)('run keys on $name', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(backend);
  });

  async function keysOf(metadata: Record<string, string>) {
    const { run } = await server.ingest('subunit/stestr-successful.subunit', metadata);
    const { body } = await server.query(RUN, { id: run });
    expect(body.errors).toBeUndefined();
    return body.data!.run;
  }

  it('are read from the metadata at ingest', async () => {
    expect(
      await keysOf({
        build_name: 'tempest-full',
        build_change: '912345',
        build_patchset: '3',
        build_uuid: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
        project: 'openstack/nova',
        build_queue: 'gate',
        build_branch: 'stable/2026.2',
      }),
    ).toEqual({
      change: 912345,
      patchset: 3,
      buildUuid: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      project: 'openstack/nova',
      pipeline: 'gate',
      branch: 'stable/2026.2',
    });
  });

  it('are null when absent, and change and patch set when not an int', async () => {
    expect(
      await keysOf({ build_change: 'I8d1c5e', build_patchset: '2147483648', project: 'x' }),
    ).toEqual({
      change: null,
      patchset: null,
      buildUuid: null,
      project: 'x',
      pipeline: null,
      branch: null,
    });
  });
});
