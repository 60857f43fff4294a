/**
 * `gatewatch flaky` as users run it (the built command) over the insight history: the table,
 * the JSON, and an exclude list that Debian's `stestr run --exclude-list` really applies to the
 * fixture project, leaving out exactly the flaky tests.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnGatewatch } from '../helpers/cli.js';
import { backends, dbUrlOf } from '../helpers/databases.js';
import { STESTR, stestrMissing } from '../helpers/oracle.js';
import { ingestInsightHistory, insightTests as t } from '../helpers/insight-history.js';
import { FIXTURES, startServer, type TestServer } from '../helpers/server.js';

const FLAKY_TESTS = [t.createServer, t.lockRelease, t.login, t.networkWait];

describe.each(backends)('gatewatch flaky on $name', (backend) => {
  let server: TestServer;
  let db: string;
  const dir = mkdtempSync(join(tmpdir(), 'gatewatch-flaky-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    server = await startServer(backend);
    await ingestInsightHistory(server);
    db = dbUrlOf(server.app.services.config.database.target);
  });

  it('prints a table of the verdicts with their evidence', async () => {
    const { code, out } = await spawnGatewatch(['flaky', '--db', db, '--job', 'acme-functional']);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(
      /^TEST\s+SCOPE\s+VERDICT\s+WHY\s+RUNS\s+FAIL\s+LAST FAILED \(UTC\)\s+EVIDENCE$/,
    );
    expect(lines.slice(1)).toHaveLength(1);
    expect(lines[1]).toMatch(
      new RegExp(
        `^${t.networkWait.replace(/\./g, '\\.')}\\s+job:acme-functional\\s+flaky\\s+transitions\\s+11\\s+4\\s+\\S+ \\S+\\s+8 transitions$`,
      ),
    );
  });

  it('prints the verdicts as JSON', async () => {
    const { code, out } = await spawnGatewatch([
      'flaky',
      '--db',
      db,
      '--project',
      'acme/web',
      '--json',
    ]);
    expect(code).toBe(0);
    const verdicts = JSON.parse(out) as Record<string, unknown>[];
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatchObject({
      testId: t.login,
      scope: 'project:acme/web',
      verdict: 'flaky',
      reason: 'same-code',
      runs: 4,
      failures: 1,
      evidence: {
        patchSets: [{ change: 201, patchset: 2, passes: 1, failures: 1 }],
        transitions: 2,
      },
    });
    expect(Date.parse(verdicts[0]!.firstSeen as string)).toBe(
      Date.parse(verdicts[0]!.lastSeen as string),
    );
    const all = JSON.parse((await spawnGatewatch(['flaky', '--db', db, '--json'])).out) as {
      verdict: string;
    }[];
    expect(all.map((v) => v.verdict).sort()).toEqual(
      [...Array(16).fill('flaky'), ...Array(4).fill('broken')].sort(),
    );
  });

  it.skipIf(stestrMissing)(
    "writes an exclude list that stestr applies: exactly the flaky tests don't run",
    async () => {
      const { code, out } = await spawnGatewatch(['flaky', '--db', db, '--exclude-list']);
      expect(code).toBe(0);
      expect(out.trim().split('\n')).toHaveLength(FLAKY_TESTS.length);
      const list = join(dir, 'exclude.txt');
      writeFileSync(list, out);
      const project = join(dir, 'project');
      cpSync(join(FIXTURES, 'sources/insight-project'), project, { recursive: true });
      const env = { ...process.env, PYTHON: '/usr/bin/python3', INSIGHT_FAIL: '' };
      const stestr = (...args: string[]) => execFileSync(STESTR, args, { cwd: project, env });
      stestr('init');
      stestr('run', '--concurrency', '1', '--exclude-list', list);
      const ran = execFileSync('subunit-ls', { input: stestr('last', '--subunit') })
        .toString()
        .trim()
        .split('\n');
      expect(ran.sort()).toEqual(
        Object.values(t)
          .filter((id) => !FLAKY_TESTS.includes(id as (typeof FLAKY_TESTS)[number]))
          .sort(),
      );
    },
  );

  it('keeps the verdicts on a branch or a queue, and on any of several scopes', async () => {
    const scopesOf = async (...flags: string[]) => {
      const { code, out } = await spawnGatewatch(['flaky', '--db', db, '--json', ...flags]);
      expect(code).toBe(0);
      return new Set((JSON.parse(out) as { scope: string }[]).map((v) => v.scope));
    };
    expect(await scopesOf('--branch', 'master')).toEqual(new Set(['branch:master']));
    expect(await scopesOf('--queue', 'check')).toEqual(new Set(['queue:check']));
    expect(await scopesOf('--branch', 'master', '--queue', 'check')).toEqual(
      new Set(['branch:master', 'queue:check']),
    );
  });

  it('refuses a bad --since, naming it', async () => {
    const { code, stderr } = await spawnGatewatch(['flaky', '--db', db, '--since', 'soon']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--since soon: expected a UTC date/);
  });
});
