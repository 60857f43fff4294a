/** `gatewatch status --ci`: one CI's record from the terminal, over the history of record-history.ts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/config.js';
import { openGerritStore } from '../../server/gerrit/store.js';
import { openRuntime } from '../../server/runtime.js';
import { gatewatch } from '../helpers/cli.js';
import { backends } from '../helpers/databases.js';
import {
  acmeAgreement,
  acmeFigures,
  acmeJobs,
  acmeLatency,
  acmeMissed,
  AFTER_WINDOW,
  history,
} from './record-history.js';
import { T0 } from '../helpers/gerrit-events.js';

const SINCE = new Date(T0 * 1000).toISOString();

describe.each(backends)('gatewatch status --ci on $name', (backend) => {
  let database: Awaited<ReturnType<typeof backend.create>>;

  beforeAll(async () => {
    database = await backend.create();
    const runtime = await openRuntime(loadConfig({ db: database.url }, {}));
    try {
      const store = await openGerritStore(runtime.services, {
        name: 'review',
        url: 'https://review.example.org/',
        cis: [],
        upstream: null,
      });
      // The CLI's window ends now: without a7, T0 to now holds what T0 to T0 + 24 h holds.
      await store.accept(
        history.filter((e) => e !== AFTER_WINDOW),
        'replay',
      );
      await store.close();
    } finally {
      await runtime.stop();
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  const status = (...args: string[]) => gatewatch(['status', '--db', database.url, ...args]);

  it('prints the record as JSON', async () => {
    const result = await status('--ci', 'acme-ci', '--since', SINCE, '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual({
      ci: 'acme-ci',
      name: 'ACME CI',
      server: 'review',
      upstream: false,
      since: SINCE,
      until: expect.any(String),
      figures: { ...acmeFigures, lastReport: new Date((T0 + 13 * 3600) * 1000).toISOString() },
      latency: acmeLatency,
      agreement: { upstream: 'zuul', ...acmeAgreement },
      jobs: acmeJobs,
      missed: acmeMissed.map((m) => ({
        project: 'openstack/nova',
        ...m,
        url: `https://review.example.org/c/${m.change}/${m.patchSet}`,
      })),
    });
  });

  it('prints the record as text: figures, latency, agreement, jobs, missed links', async () => {
    const result = await status('--ci', 'acme-ci', '--since', SINCE);
    expect(result.code).toBe(0);
    const out = result.out;
    expect(out).toContain('latency over 4 patch sets: median 15m 00s, p95 2h 00m');
    expect(out).toContain('agreement with zuul on 4 patch sets: both passed 1');
    expect(out).toContain('disagreement 50.0%');
    const lines = out.split('\n');
    const header = lines.findIndex((l) => l.startsWith('JOB'));
    expect(lines[header]!.split(/\s{2,}/)).toEqual([
      'JOB',
      'BUILDS',
      'FAILURES',
      'FAILURE RATE',
      'FLIPS',
      'LAST RESULT',
      'LAST BUILD',
    ]);
    expect(lines.slice(header + 1, header + 5).map((l) => l.split(/\s{2,}/))).toEqual(
      acmeJobs.map((j) => [
        j.job,
        String(j.builds),
        String(j.failures),
        `${(j.failureRate * 100).toFixed(1)}%`,
        String(j.flips),
        j.lastResult,
        j.lastAt.slice(0, 19).replace('T', ' '),
      ]),
    );
    expect(out).toContain('missed patch sets (the newest 3 of 3):');
    for (const m of acmeMissed) {
      expect(out).toContain(`https://review.example.org/c/${m.change}/${m.patchSet}`);
    }
  });

  it('says so for the upstream CI, which has nothing to agree with', async () => {
    const result = await status('--ci', 'zuul', '--since', SINCE, '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ ci: 'zuul', upstream: true, agreement: null });
  });

  it('exits 1 for an unknown CI and 2 for bad arguments', async () => {
    const unknown = await status('--ci', 'nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no CI has the account nobody');
    for (const [args, message] of [
      [['--ci', ''], '--ci: a name of 1–255 characters'],
      [['--ci', 'zuul', '--project', 'openstack/nova'], '--project does not go with --ci'],
      [['--server', 'review'], '--server goes with --ci'],
      [['--ci', 'zuul', '--since', 'soon'], '--since "soon"'],
    ] as const) {
      const result = await status(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain(message);
    }
  });
});
