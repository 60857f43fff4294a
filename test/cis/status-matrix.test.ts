/** `gatewatch status --matrix PROJECT`: the CI matrix as text and JSON, through the CLI. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/config.js';
import { openGerritStore } from '../../server/gerrit/store.js';
import { openRuntime } from '../../server/runtime.js';
import { gatewatch } from '../helpers/cli.js';
import { backends } from '../helpers/databases.js';
import {
  ACME,
  commentAdded,
  HOUR,
  patchSetCreated,
  reportAdded,
  ZUUL,
} from '../helpers/gerrit-events.js';
import { mergeFailedReport, unstableReport, ZUUL_JOBS } from './health-history.js';

// `--since` counts back from now: the history is placed 10 hours before the test runs.
const BASE = Math.floor(Date.now() / 1000) - 10 * HOUR;
const nova = (number: number) => ({ number, project: 'openstack/nova', subject: `Fix ${number}` });
const [C1, C2, C3] = [nova(1), nova(2), nova(3)];

describe.each(backends)('gatewatch status --matrix on $name', (backend) => {
  let database: Awaited<ReturnType<typeof backend.create>>;
  const status = (...args: string[]) => gatewatch(['status', '--db', database.url, ...args]);

  beforeAll(async () => {
    database = await backend.create();
    const runtime = await openRuntime(loadConfig({ db: database.url }, {}));
    try {
      const store = await openGerritStore(runtime.services, {
        name: 'review',
        url: 'https://r',
        cis: [],
        upstream: null,
      });
      await store.accept(
        [
          patchSetCreated(C1, 1, BASE),
          reportAdded(C1, 1, BASE + 0.5 * HOUR, ZUUL, true, ZUUL_JOBS),
          commentAdded(
            C1,
            1,
            BASE + 0.6 * HOUR,
            ACME,
            'This change depends on a change that failed to merge.',
          ),
          patchSetCreated(C2, 1, BASE + HOUR),
          reportAdded(C2, 1, BASE + 1.5 * HOUR, ZUUL, false, ZUUL_JOBS),
          unstableReport(C2, 1, BASE + 1.6 * HOUR),
          patchSetCreated(C2, 2, BASE + 2 * HOUR),
          mergeFailedReport(C2, 2, BASE + 2.5 * HOUR),
          patchSetCreated(C3, 1, BASE + 3 * HOUR),
          commentAdded(C3, 1, BASE + 3.5 * HOUR, ACME, 'Zuul encountered a syntax error.'),
        ],
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

  it('draws one line per CI and one column per patch set, newest first', async () => {
    const result = await status('--matrix', 'openstack/nova');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^CI matrix of openstack\/nova on review since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: the newest 4 of 4 patch sets$/,
    );
    // Columns 3/1, 2/2, 2/1, 1/1. zuul: none, MERGE_FAILED, FAILURE, SUCCESS; acme: ERROR,
    // none, UNSTABLE, DEPENDENCY_FAILED.
    expect(lines.slice(1)).toEqual([
      'change                3 2 2 1',
      'patch set             1 2 1 1',
      'Zuul (zuul, upstream) · ⊘ ✗ ✓',
      'ACME CI (acme-ci)     ‼ · ⚠ ↯',
      '✓ SUCCESS  ✗ FAILURE  ⚠ UNSTABLE  ⊘ MERGE_FAILED  ↯ DEPENDENCY_FAILED  ‼ ERROR  ? no verdict  · no report',
    ]);
  });

  it('shows the newest N patch sets with -n', async () => {
    const result = await status('--matrix', 'openstack/nova', '-n', '2');
    const lines = result.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/the newest 2 of 4 patch sets$/);
    expect(lines.slice(1, 5)).toEqual([
      'change                3 2',
      'patch set             1 2',
      'Zuul (zuul, upstream) · ⊘',
      'ACME CI (acme-ci)     ‼ ·',
    ]);
  });

  it('keeps to the window', async () => {
    // The newest patch set is 7 hours old.
    const result = await status('--matrix', 'openstack/nova', '--since', '6h');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^no patch set created in openstack\/nova on review since /);
  });

  it('gives the structured matrix with --json', async () => {
    const result = await status('--matrix', 'openstack/nova', '--server', 'review', '--json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.out);
    expect(json.project).toBe('openstack/nova');
    expect(json.server).toBe('review');
    expect(new Date(json.until).getTime() - new Date(json.since).getTime()).toBe(24 * HOUR * 1000);
    expect(json.cis).toEqual([
      { ci: 'zuul', name: 'Zuul', upstream: true },
      { ci: 'acme-ci', name: 'ACME CI', upstream: false },
    ]);
    const at = (s: number) => new Date(s * 1000).toISOString();
    expect(
      json.patchSets.map((p: { change: number; patchSet: number }) => [p.change, p.patchSet]),
    ).toEqual([
      [3, 1],
      [2, 2],
      [2, 1],
      [1, 1],
    ]);
    expect(json.patchSets[2]).toEqual({
      change: 2,
      patchSet: 1,
      subject: 'Fix 2',
      createdAt: at(BASE + HOUR),
      cells: [
        { ci: 'zuul', reports: 1, verdict: 'FAILURE', vote: -1, at: at(BASE + 1.5 * HOUR) },
        { ci: 'acme-ci', reports: 1, verdict: 'UNSTABLE', vote: null, at: at(BASE + 1.6 * HOUR) },
      ],
    });
  });

  it('exits 2 on bad arguments, naming them', async () => {
    for (const [args, message] of [
      [['--matrix', 'openstack/nope'], 'no project "openstack/nope"'],
      [['--matrix', 'openstack/nova', '-n', '0'], '-n 0: expected a count 1…500'],
      [['--matrix', 'openstack/nova', '--since', '100d'], 'the window is at most 90 days'],
      [['--matrix', 'openstack/nova', '--since', 'soon'], '--since "soon"'],
      [['--matrix', 'openstack/nova', '--project', 'x'], 'leave out --project'],
      [['--matrix', 'openstack/nova', '--server', 'nope'], 'on server "nope"'],
    ] as const) {
      const result = await status(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.out).toBe('');
    }
  });
});
