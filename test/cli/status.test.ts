/** `gatewatch status`: the figures per CI as a table or JSON; read-only. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/config.js';
import { openGerritStore } from '../../server/gerrit/store.js';
import { openRuntime } from '../../server/runtime.js';
import { gatewatch } from '../helpers/cli.js';
import { backends } from '../helpers/databases.js';
import { byHandWithout } from '../helpers/redis.js';
import {
  ACME,
  commentAdded,
  HOUR,
  patchSetCreated,
  reportAdded,
  T0,
  ZUUL,
} from '../helpers/gerrit-events.js';

const NOVA = { number: 7, project: 'openstack/nova' };
const NEUTRON = { number: 8, project: 'openstack/neutron' };
const jobs = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    job: `job-${i}`,
    result: 'SUCCESS',
    url: `https://logs.example.org/${i}`,
  }));
const SINCE = new Date(T0 * 1000).toISOString();

describe.each(backends)('gatewatch status on $name', (backend) => {
  let database: Awaited<ReturnType<typeof backend.create>>;

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
      // nova 7/1 is superseded after 1 h (not eligible), 7/2 is eligible; neutron 8/1 eligible.
      await store.accept(
        [
          patchSetCreated(NOVA, 1, T0 + HOUR),
          reportAdded(NOVA, 1, T0 + 1.5 * HOUR, ZUUL, true, jobs(2)),
          patchSetCreated(NOVA, 2, T0 + 2 * HOUR),
          reportAdded(NOVA, 2, T0 + 2.5 * HOUR, ZUUL, false, jobs(2)),
          patchSetCreated(NEUTRON, 1, T0 + 3 * HOUR),
          reportAdded(NOVA, 1, T0 + 1.2 * HOUR, ACME, true, jobs(1)),
          commentAdded(NOVA, 2, T0 + 4 * HOUR, ACME, 'ACME CI is taking a break.'),
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

  it('prints every CI as JSON', async () => {
    const result = await gatewatch(['status', '--db', database.url, '--since', SINCE, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual([
      // Covers nova only: eligible 7/2, reported on it.
      {
        ci: 'zuul',
        name: 'Zuul',
        server: 'review',
        upstream: true,
        reports: 2,
        builds: 4,
        unparsed: 0,
        successRate: 0.5,
        eligible: 1,
        coverage: 1,
        missed: 0,
        lastReport: new Date((T0 + 2.5 * HOUR) * 1000).toISOString(),
      },
      // Covers nova: eligible 7/2, not reported on it.
      {
        ci: 'acme-ci',
        name: 'ACME CI',
        server: 'review',
        upstream: false,
        reports: 1,
        builds: 1,
        unparsed: 1,
        successRate: 1,
        eligible: 1,
        coverage: 0,
        missed: 1,
        lastReport: new Date((T0 + 1.2 * HOUR) * 1000).toISOString(),
      },
    ]);
  });

  it('prints a table, one row per CI', async () => {
    const result = await gatewatch(['status', '--db', database.url, '--since', SINCE]);
    expect(result.code).toBe(0);
    const lines = result.out.trimEnd().split('\n');
    expect(lines[0]).toBe(`CI health since ${SINCE.slice(0, 19)}Z`);
    expect(lines[1]!.split(/\s{2,}/)).toEqual([
      'CI',
      'NAME',
      'REPORTS',
      'BUILDS',
      'UNPARSED',
      'SUCCESS',
      'COVERAGE',
      'MISSED',
      'LAST REPORT',
    ]);
    expect(lines[2]!.split(/\s{2,}/)).toEqual([
      'zuul (upstream)',
      'Zuul',
      '2',
      '4',
      '0',
      '50.0%',
      '100.0%',
      '0',
      `${new Date((T0 + 2.5 * HOUR) * 1000).toISOString().slice(0, 19)}Z`,
    ]);
    expect(lines[3]!.split(/\s{2,}/).slice(0, 8)).toEqual([
      'acme-ci',
      'ACME CI',
      '1',
      '1',
      '1',
      '100.0%',
      '0.0%',
      '1',
    ]);
    expect(lines).toHaveLength(4);
  });

  it('keeps to one project', async () => {
    const result = await gatewatch([
      'status',
      '--db',
      database.url,
      '--since',
      SINCE,
      '--project',
      'openstack/neutron',
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual([]);
    const table = await gatewatch([
      'status',
      '--db',
      database.url,
      '--since',
      SINCE,
      '--project',
      'openstack/neutron',
    ]);
    expect(table.out).toContain('no CI has reported on openstack/neutron');
  });

  it('refuses a window it cannot read, naming it', async () => {
    for (const since of ['yesterday', '2026-13-45', '9999d', '2099-01-01']) {
      const result = await gatewatch(['status', '--db', database.url, '--since', since]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--since "${since}"`);
    }
  });
});

describe('gatewatch status on a database that does not exist', () => {
  it('creates no SQLite file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatewatch-status-'));
    try {
      const path = join(dir, 'missing.db');
      const result = await gatewatch(['status', '--db', `sqlite:${path}`]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('no such file (a command that only reads creates none');
      expect(existsSync(path)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(byHandWithout(!backends.some((b) => b.name === 'mariadb')))(
    'creates no MariaDB database',
    async () => {
      const mariadb = backends.find((b) => b.name === 'mariadb')!;
      const handle = await mariadb.create();
      const result = await gatewatch(['status', '--db', handle.url]);
      expect(result.code).toBe(1);
      const target = handle.target as {
        host: string;
        port: number;
        user: string;
        password?: string;
        dbName: string;
      };
      const connection = await createConnection({
        host: target.host,
        port: target.port,
        user: target.user,
        password: target.password,
      });
      try {
        const [rows] = await connection.query('show databases like ?', [target.dbName]);
        expect(rows).toEqual([]);
      } finally {
        await connection.end();
        await handle.drop();
      }
    },
  );
});
