/**
 * The command line itself: help, version, global options, exit statuses and messages, and
 * that `--help`/`--version` load none of the server stack. In-process but for the spawned
 * cases that need the real entry.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkBuilt, gatewatch, MAIN, spawnGatewatch } from '../helpers/cli.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
const COMMANDS = [
  'serve',
  'ingest',
  'runs',
  'show',
  'failing',
  'export',
  'token',
  'migrate',
  'schema',
];

describe('gatewatch help and version', () => {
  it('lists every command with --help, and exits 2 with the list when none is named', async () => {
    const help = await gatewatch(['--help']);
    expect(help.code).toBe(0);
    for (const name of COMMANDS) expect(help.out).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    expect(help.out).toContain('--db <URL>');
    expect(help.out).toMatch(/\(default:\s+sqlite:gatewatch\.db; env: GATEWATCH_DB\)/);

    const none = await gatewatch([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: gatewatch [options] [command]');
  });

  it('prints a command help, each option with its default and environment variable', async () => {
    const viaHelp = await gatewatch(['help', 'serve']);
    const viaFlag = await gatewatch(['serve', '--help']);
    expect(viaHelp.code).toBe(0);
    expect(viaFlag).toEqual(viaHelp);
    expect(viaHelp.out).toMatch(/^Usage: gatewatch serve \[options\]/);
    expect(viaHelp.out).toMatch(
      /--port <PORT> +listen port \(0: any free port\) \(default: 4000; env:\s+GATEWATCH_PORT\)/,
    );
    expect(viaHelp.out).toMatch(
      /--max-upload <SIZE>.*\(default: 512MiB;\s+env: GATEWATCH_MAX_UPLOAD\)/s,
    );
    // The global options are shown too.
    expect(viaHelp.out).toContain('--config <FILE>');

    const sub = await gatewatch(['help', 'token']);
    expect(sub.out).toMatch(/create <NAME>/);
  });

  it('prints the version of package.json', async () => {
    expect(await gatewatch(['--version'])).toMatchObject({ code: 0, out: `${VERSION}\n` });
  });
});

describe('gatewatch arguments', () => {
  it('exits 2 for every bad argument, with one "gatewatch CMD:" prefix', async () => {
    const cases: [string[], string][] = [
      [['serve', '--port', 'abc'], 'gatewatch serve: --port abc: not a port 0…65535'],
      [['serve', '--port', '70000'], 'gatewatch serve: --port 70000: not a port 0…65535'],
      [
        ['serve', '--max-upload', '5x'],
        'gatewatch serve: --max-upload 5x: not a size: expected bytes, or a number with k, KiB, MB, MiB, GB or GiB',
      ],
      [
        ['serve', '--redis', 'http://x'],
        'gatewatch serve: --redis http://x: not a Redis URL: expected redis://host:port or rediss://host:port',
      ],
      [
        ['show', '--db', 'mysql://u:secret@h/', 'abcd'],
        'gatewatch show: --db mysql://u:***@h/: not a database URL: it names no database (…/DBNAME)',
      ],
      [
        ['show', '--bogus', 'abcd'],
        "gatewatch show: unknown option '--bogus' (see gatewatch show --help)",
      ],
      [['show'], "gatewatch show: missing required argument 'RUN' (see gatewatch show --help)"],
      [['show', 'a', 'b'], 'gatewatch show: too many arguments'],
      [['ingest', '--dstat'], "gatewatch ingest: option '--dstat <FILE>' argument missing"],
      [['nope'], "gatewatch: unknown command 'nope' (see gatewatch --help)"],
      [['token', 'create', 'has space'], 'gatewatch token create: '],
    ];
    for (const [args, message] of cases) {
      const result = await gatewatch(args, { env: { GATEWATCH_DB: 'sqlite::memory:' } });
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr.startsWith(message), `${args.join(' ')}: ${result.stderr}`).toBe(true);
      expect(result.stderr).not.toMatch(/gatewatch (\w+)( \w+)?: \1:/);
      expect(result.out).toBe('');
    }
  });

  it('takes the global options before or after the command', async () => {
    const before = await gatewatch(['--db', 'sqlite:', 'show', 'abcd']);
    const after = await gatewatch(['show', 'abcd', '--db', 'sqlite:']);
    expect(before.code).toBe(2);
    expect(before.stderr).toBe(
      'gatewatch show: --db sqlite:: not a database URL: it names no file (use sqlite:PATH or sqlite::memory:)\n',
    );
    expect(after).toEqual(before);

    const dir = mkdtempSync(join(tmpdir(), 'gatewatch-cli-'));
    const db = `sqlite:${join(dir, 'g.db')}`;
    const migrated = await gatewatch(['--db', db, 'migrate']);
    expect(migrated.code).toBe(0);
    expect(migrated.out).toMatch(/is up to date \(\d+ migrations\)/);
    const missing = await gatewatch(['--db', db, 'show', '0000aaaa']);
    expect(missing).toMatchObject({ code: 1, stderr: 'gatewatch show: no run with id 0000aaaa\n' });
  });
});

describe('the built command', () => {
  it('runs through its shebang entry with the exit status of a bad argument', async () => {
    expect(readFileSync(MAIN, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(await spawnGatewatch(['--version'])).toMatchObject({ code: 0, out: `${VERSION}\n` });
    const bad = await spawnGatewatch(['serve', '--port', 'abc']);
    expect(bad).toMatchObject({
      code: 2,
      stderr: 'gatewatch serve: --port abc: not a port 0…65535\n',
    });
  });

  it('loads none of the server stack for --help and --version', async () => {
    checkBuilt();
    const hook = fileURLToPath(new URL('./log-resolved.mjs', import.meta.url));
    for (const flag of ['--help', '--version']) {
      const log = join(mkdtempSync(join(tmpdir(), 'gatewatch-resolved-')), 'urls');
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', hook, MAIN, flag], {
          env: { ...process.env, GATEWATCH_TEST_RESOLVED_LOG: log },
          stdio: 'ignore',
        });
        child.on('error', reject);
        child.on('exit', resolve);
      });
      expect(code).toBe(0);
      const urls = readFileSync(log, 'utf8').trim().split('\n');
      // The hook saw the command load: the absence below means something.
      expect(urls.some((url) => url.endsWith('/dist/server/main.js'))).toBe(true);
      expect(urls.some((url) => url.includes('/node_modules/commander/'))).toBe(true);
      const heavy = urls.filter((url) =>
        /\/node_modules\/(@apollo|@mikro-orm|express|type-graphql|graphql|piscina)\//.test(url),
      );
      expect({ flag, heavy }).toEqual({ flag, heavy: [] });
    }
  });
});
