/**
 * `CiReport.message` through the real server on SQLite and MariaDB: each report gives back the
 * comment it was parsed from as Gerrit sent it, and a comment longer than what is kept comes
 * back cut to its first 64 KiB.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES } from '../../server/gerrit/store-sql.js';
import { openGerritStore } from '../../server/gerrit/store.js';
import { backends } from '../helpers/databases.js';
import {
  ACME,
  commentAdded,
  HOUR,
  patchSetCreated,
  T0,
  ZUUL,
  zuulReport,
} from '../helpers/gerrit-events.js';
import { startServer, type TestServer } from '../helpers/server.js';

const CHANGE = { number: 4711, project: 'openstack/nova' };
const jobs = [{ job: 'unit', result: 'SUCCESS', url: 'https://logs.example.org/u' }];
const short = zuulReport(1, true, jobs);
// ASCII only: a byte is a character, so the kept part is the first MAX_MESSAGE_BYTES of them.
const long = `${zuulReport(1, false, [{ ...jobs[0]!, result: 'FAILURE' }])}\n\n${'x'.repeat(
  MAX_MESSAGE_BYTES + 5000,
)}`;

describe.each(backends)('CiReport.message on $name', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(backend);
    const store = await openGerritStore(server.app.services, {
      name: 'review',
      url: 'https://review.example.org',
      cis: [],
      upstream: null,
    });
    await store.accept(
      [
        patchSetCreated(CHANGE, 1, T0),
        commentAdded(CHANGE, 1, T0 + HOUR, ZUUL, short, [{ label: 'Verified', value: 1 }]),
        commentAdded(CHANGE, 1, T0 + 2 * HOUR, ACME, long, [{ label: 'Verified', value: -1 }]),
      ],
      'replay',
    );
    await store.close();
  });

  it('gives each report its comment, the long one cut to what is kept', async () => {
    const { body } = await server.query<{
      ciReports: { nodes: { ci: { ci: string }; verdict: string; message: string }[] };
    }>(
      '{ ciReports(filter: { project: "openstack/nova" }) { nodes { ci { ci } verdict message } } }',
    );
    expect(body.errors).toBeUndefined();
    const byCi = new Map(body.data!.ciReports.nodes.map((n) => [n.ci.ci, n]));
    expect(byCi.get('zuul')).toEqual({ ci: { ci: 'zuul' }, verdict: 'SUCCESS', message: short });
    const acme = byCi.get('acme-ci')!;
    expect(acme.verdict).toBe('FAILURE');
    expect(acme.message).toBe(long.slice(0, MAX_MESSAGE_BYTES));
    expect(long.length).toBeGreaterThan(MAX_MESSAGE_BYTES);
  });
});
