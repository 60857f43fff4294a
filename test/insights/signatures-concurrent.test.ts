/**
 * Ingests sharing signatures at once (MySQL writes up to `database.maxIngests` runs in
 * parallel, SQLite one at a time): every count holds and each signature is new exactly once.
 */
import { describe, expect, it } from 'vitest';
import { backends } from '../helpers/databases.js';
import { insightHistory } from '../helpers/insight-history.js';
import { startServer } from '../helpers/server.js';
import { failuresOf, signaturesOf } from '../helpers/signature-oracle.js';

// The runs failing with the signatures most runs share (network waits, volumes, config).
const RUNS = insightHistory.filter((r) => r.failed.length > 0).slice(2);

describe.each(backends)('concurrent ingests on $name', (backend) => {
  it('keep every signature count and mark each signature new once', async () => {
    const server = await startServer(backend);
    await Promise.all(RUNS.map((run) => server.ingest(`insights/${run.file}`, run.metadata)));
    const expected = signaturesOf(
      failuresOf(RUNS.map((r) => ({ file: `insights/${r.file}`, job: r.metadata.build_name }))),
    );
    const knex = server.app.services.db.knex;
    const stored = (await knex('signatures').select('fingerprint', 'failures', 'runs')) as {
      fingerprint: string;
      failures: number;
      runs: number;
    }[];
    expect(
      stored
        .map((s) => ({
          fingerprint: s.fingerprint,
          failures: Number(s.failures),
          runs: Number(s.runs),
        }))
        .sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1)),
    ).toEqual(
      [...expected.values()]
        .map(({ fingerprint, failures, runs }) => ({ fingerprint, failures, runs }))
        .sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1)),
    );
    const newOnes = (await knex('result_signatures as r')
      .join('signatures as s', 's.id', 'r.signature_id')
      .where('r.is_new', 1)
      .select('s.fingerprint')) as { fingerprint: string }[];
    // Each signature's failures of its first run are new (a run may fail it more than once).
    expect(new Set(newOnes.map((n) => n.fingerprint)).size).toBe(expected.size);
    const events = await knex('insight_events').where('kind', 'signature.new').count({ n: '*' });
    expect(Number(events[0]!.n)).toBe(expected.size);
  });
});
