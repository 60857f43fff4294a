/**
 * `gatewatch signatures` and `gatewatch rules add|list|remove` as a user runs them: the
 * compiled command against the database of a real server that ingested insight streams.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnGatewatch } from '../helpers/cli.js';
import { backends, dbUrlOf } from '../helpers/databases.js';
import { insightHistory } from '../helpers/insight-history.js';
import { startServer } from '../helpers/server.js';
import { failuresOf, signaturesOf } from '../helpers/signature-oracle.js';

const RUNS = insightHistory.slice(0, 9);

/** What the listing and the oracle must agree on, in fingerprint order. */
function counted(
  signatures: { fingerprint: string; failures: number; runs: number; summary: string }[],
) {
  return signatures
    .map(({ fingerprint, failures, runs, summary }) => ({ fingerprint, failures, runs, summary }))
    .sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1));
}

describe.each(backends)('gatewatch signatures and rules on $name', (backend) => {
  let db: string;
  const expected = signaturesOf(
    failuresOf(RUNS.map((r) => ({ file: `insights/${r.file}`, job: r.metadata.build_name }))),
  );

  beforeAll(async () => {
    const server = await startServer(backend);
    for (const run of RUNS) await server.ingest(`insights/${run.file}`, run.metadata);
    db = dbUrlOf(server.app.services.config.database.target);
  });

  it('lists the signatures as JSON and as a table', async () => {
    const json = await spawnGatewatch(['signatures', '--db', db, '--json']);
    expect(json.code).toBe(0);
    const listed = JSON.parse(json.out) as {
      fingerprint: string;
      failures: number;
      runs: number;
      summary: string;
    }[];
    expect(counted(listed)).toEqual(counted([...expected.values()]));
    const table = await spawnGatewatch(['signatures', '--db', db, '--job', 'acme-functional']);
    expect(table.code).toBe(0);
    const lines = table.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^FINGERPRINT\s+FAILURES\s+RUNS\s+FIRST SEEN\s+LAST SEEN\s+SUMMARY$/);
    const functional = [...expected.values()].filter((s) =>
      s.jobs.some((j) => j.name === 'acme-functional'),
    );
    expect(lines.length - 1).toBe(functional.length);
    const future = await spawnGatewatch(['signatures', '--db', db, '--since', '2999-01-01']);
    expect(future.out).toBe('no failure signatures\n');
  });

  it('adds, lists and removes rules; refuses bad ones with the reason', async () => {
    const timeouts = [...expected.values()]
      .filter((s) => s.summary.startsWith('TimeoutError'))
      .reduce((n, s) => n + s.failures, 0);
    expect(timeouts).toBeGreaterThan(0);
    const added = await spawnGatewatch([
      'rules',
      'add',
      '--db',
      db,
      '--pattern',
      '^TimeoutError',
      '--field',
      'message',
      '--bug',
      'https://bugs.example/1',
      '--title',
      'rabbit unreachable',
    ]);
    expect(added.code).toBe(0);
    expect(added.out).toBe(`added rule 1: ${timeouts} past failures match\n`);
    const fingerprint = [...expected.keys()][0]!;
    const byFingerprint = await spawnGatewatch([
      'rules',
      'add',
      '--db',
      db,
      '--fingerprint',
      fingerprint,
      '--bug',
      'https://bugs.example/2',
      '--title',
      'two',
    ]);
    expect(byFingerprint.out).toBe(
      `added rule 2: ${expected.get(fingerprint)!.failures} past failures match\n`,
    );

    const bad = await spawnGatewatch([
      'rules',
      'add',
      '--db',
      db,
      '--pattern',
      'a'.repeat(501),
      '--bug',
      'https://bugs.example/3',
      '--title',
      't',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('the pattern is 501 characters long; 1 to 500 are allowed');
    const badUrl = await spawnGatewatch([
      'rules',
      'add',
      '--db',
      db,
      '--pattern',
      'x',
      '--bug',
      'bugs',
      '--title',
      't',
    ]);
    expect(badUrl.stderr).toContain('bug URL "bugs" is not an http(s) URL');

    const list = await spawnGatewatch(['rules', 'list', '--db', db, '--json']);
    const rules = JSON.parse(list.out) as {
      id: number;
      hits: number;
      pattern: string;
      imprecise: boolean;
    }[];
    expect(rules.map(({ id, hits, imprecise }) => ({ id, hits, imprecise }))).toEqual([
      { id: 1, hits: timeouts, imprecise: false },
      { id: 2, hits: expected.get(fingerprint)!.failures, imprecise: false },
    ]);
    const table = await spawnGatewatch(['rules', 'list', '--db', db]);
    expect(table.out.split('\n')[0]).toMatch(
      /^ID\s+FIELD\s+PATTERN\s+HITS\s+PASSED\s+LAST HIT\s+FLAGS\s+BUG$/,
    );

    expect((await spawnGatewatch(['rules', 'remove', '--db', db, '1'])).out).toBe(
      'removed rule 1\n',
    );
    const missing = await spawnGatewatch(['rules', 'remove', '--db', db, '1']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no known-issue rule with id 1');
  });
});
