/**
 * `ScrapeJob.run` on SQLite and MariaDB: a job of a resolved change whose log URL already has a
 * stored run links that run (the scrape page opens it instead of scraping), the others none.
 */
import { createReadStream } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { openGerritStore } from '../../server/gerrit/store.js';
import { backends } from '../helpers/databases.js';
import { patchSetCreated, reportAdded, T0, ZUUL } from '../helpers/gerrit-events.js';
import { FIXTURES, startServer, type TestServer } from '../helpers/server.js';

const CHANGE = { number: 31, project: 'openstack/stackviz' };
const SCRAPED = 'https://logs.example.org/31/31/1/check/tempest-full/aaa1111/';
const NOT_YET = 'https://logs.example.org/31/31/1/check/pep8/bbb1111/';

describe.each(backends)('ScrapeJob.run on $name', (backend) => {
  let server: TestServer;
  let run: string;

  beforeAll(async () => {
    server = await startServer(backend);
    const summary = await server.app.services.ingest.ingest({
      name: 'run',
      source: createReadStream(`${FIXTURES}subunit/sample-last.subunit`),
      metadata: { build_name: 'tempest-full' },
      artifactsUrl: SCRAPED,
    });
    run = summary.run;
    const store = await openGerritStore(server.app.services, {
      name: 'review',
      url: 'https://review.example.org',
      cis: [],
      upstream: null,
    });
    await store.accept(
      [
        patchSetCreated(CHANGE, 1, T0),
        reportAdded(CHANGE, 1, T0 + 600, ZUUL, true, [
          { job: 'tempest-full', result: 'SUCCESS', url: SCRAPED },
          { job: 'pep8', result: 'SUCCESS', url: NOT_YET },
        ]),
      ],
      'stream',
    );
    await store.close();
  });

  it('links the run stored for a job’s log URL, and nothing for a job not scraped', async () => {
    const { body } = await server.query<{
      resolveChange: { jobs: { name: string; logUrl: string; run: { id: string } | null }[] };
    }>(
      'query($input: String!) { resolveChange(input: $input) { jobs { name logUrl run { id } } } }',
      {
        input: String(CHANGE.number),
      },
    );
    expect(body.errors).toBeUndefined();
    const byName = Object.fromEntries(body.data!.resolveChange.jobs.map((j) => [j.name, j]));
    expect(byName['tempest-full']).toEqual({
      name: 'tempest-full',
      logUrl: SCRAPED,
      run: { id: run },
    });
    expect(byName.pep8).toEqual({ name: 'pep8', logUrl: NOT_YET, run: null });
  });
});
