/**
 * The CIs a signature touched: those whose builds link to its runs (`ci_builds.run_id`, set
 * when a run's artifacts URL is a reported build's log URL), on a real server over a replayed
 * Gerrit history, on both backends.
 */
import { createReadStream } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { history, logOf } from '../cis/record-history.js';
import { backends } from '../helpers/databases.js';
import { storeGerritEvents } from '../helpers/gerrit-store.js';
import { FIXTURES, startServer, type TestServer } from '../helpers/server.js';
import { failuresOf, signaturesOf } from '../helpers/signature-oracle.js';

describe.each(backends)('signature CIs on $name', (backend) => {
  let server: TestServer;
  let linked: string;

  beforeAll(async () => {
    server = await startServer(backend);
    await storeGerritEvents(server.app.services, history);
    const ingest = (artifactsUrl?: string) =>
      server.app.services.ingest.ingest({
        name: 'sample-last.subunit',
        source: createReadStream(`${FIXTURES}subunit/sample-last.subunit`),
        metadata: artifactsUrl === undefined ? { attempt: 'unlinked' } : {},
        ...(artifactsUrl === undefined ? {} : { artifactsUrl }),
      });
    linked = (await ingest(logOf('unit', 'a5'))).run;
    await ingest();
  });

  it('counts each failure once per CI whose build ran it; runs of no build count for none', async () => {
    const run = await server.query<{ run: { ci: { name: string } | null } }>(
      `query ($id: ID!) { run(id: $id) { ci { name } } }`,
      { id: linked },
    );
    const ci = run.body.data!.run.ci;
    expect(ci).not.toBeNull();
    const expected = signaturesOf(failuresOf([{ file: 'subunit/sample-last.subunit', job: '' }]));
    for (const s of expected.values()) {
      const answer = await server.query<{
        signature: { runs: number; cis: { name: string; failures: number }[] };
      }>(`query ($fp: ID!) { signature(fingerprint: $fp) { runs cis { name failures } } }`, {
        fp: s.fingerprint,
      });
      // Two runs of the same stream: one linked to the CI's build, one to none.
      expect(answer.body.data!.signature).toEqual({
        runs: 2,
        cis: [{ name: ci!.name, failures: s.failures }],
      });
    }
  });
});
