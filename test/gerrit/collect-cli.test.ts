/** `gatewatch collect`: option validation (every mistake named with the fix) and --replay. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewatch } from '../helpers/cli.js';
import { generateSequence } from '../helpers/gerrit-sequence.js';
import { sshKeyPair } from '../helpers/gerrit-standin.js';

const dir = mkdtempSync(join(tmpdir(), 'collect-cli-'));
const db = `sqlite:${join(dir, 'gatewatch.db')}`;
const key = join(dir, 'id_ed25519');
const knownHosts = join(dir, 'known_hosts');
const encrypted = join(dir, 'encrypted');

beforeAll(() => {
  writeFileSync(key, sshKeyPair().private, { mode: 0o600 });
  writeFileSync(knownHosts, '# empty\n');
  writeFileSync(encrypted, 'not a key at all\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function refused(args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await gatewatch(['collect', '--db', db, ...args], { env: { HOME: dir, ...env } });
  expect(result.code, result.stderr).toBe(2);
  return result.stderr;
}

describe('gatewatch collect options', () => {
  it('refuses a bad ssh:// URL', async () => {
    expect(await refused(['--ssh', 'review.example.org:29418'])).toBe(
      'gatewatch collect: --ssh review.example.org:29418: not an SSH URL: expected ' +
        'ssh://USER@HOST[:PORT] (port 29418 by default; the key goes in --ssh-key)\n',
    );
    expect(await refused([], { GATEWATCH_GERRIT_SSH: 'http://x' })).toMatch(
      /^gatewatch collect: GATEWATCH_GERRIT_SSH=http:\/\/x: not an SSH URL/,
    );
  });

  it('asks for a key, and refuses one it cannot read or use', async () => {
    expect(await refused(['--ssh', 'ssh://ci@127.0.0.1'])).toBe(
      'gatewatch collect: --ssh ssh://ci@127.0.0.1 needs a private key: --ssh-key FILE or ' +
        'GATEWATCH_GERRIT_SSH_KEY\n',
    );
    const missing = join(dir, 'nope');
    expect(await refused(['--ssh', 'ssh://ci@127.0.0.1', '--ssh-key', missing])).toBe(
      `gatewatch collect: --ssh-key ${missing}: cannot read it (ENOENT)\n`,
    );
    expect(await refused(['--ssh', 'ssh://ci@127.0.0.1', '--ssh-key', encrypted])).toMatch(
      new RegExp(
        `^gatewatch collect: --ssh-key ${encrypted}: not an OpenSSH private key without ` +
          'passphrase \\(.*\\); make one with ssh-keygen -t ed25519 -N "" -f FILE\\n$',
      ),
    );
  });

  it('refuses a missing known_hosts, the default one included', async () => {
    const args = ['--ssh', 'ssh://ci@127.0.0.1', '--ssh-key', key];
    expect(await refused(args)).toMatch(
      new RegExp(
        `^gatewatch collect: --known-hosts ~/.ssh/known_hosts \\(the default\\): cannot read it ` +
          `\\(ENOENT\\); add Gerrit's key with ssh-keyscan`,
      ),
    );
    const missing = join(dir, 'missing_hosts');
    expect(await refused([...args, '--known-hosts', missing])).toMatch(
      new RegExp(`^gatewatch collect: --known-hosts ${missing}: cannot read it \\(ENOENT\\)`),
    );
  });

  it('wants ssh or rest, somewhere', async () => {
    expect(await refused([])).toBe(
      'gatewatch collect: no Gerrit to collect from: give --ssh ssh://USER@HOST[:PORT] and/or ' +
        '--rest URL, or list servers in the config file (gerrit: [{ssh: …, rest: …}], --config FILE)\n',
    );
  });

  it('refuses bad durations, URLs and a REST user without a password', async () => {
    const rest = ['--rest', 'https://review.example.org'];
    expect(await refused([...rest, '--poll', 'soon'])).toBe(
      'gatewatch collect: --poll soon: not a duration: expected a number with s, m, h, d or w (30s, 5m, 1d)\n',
    );
    expect(await refused([...rest, '--since', 'yesterday'])).toBe(
      'gatewatch collect: --since yesterday: neither a duration (1d, 12h) nor a date (2026-11-30[ 12:00:00])\n',
    );
    expect(await refused(['--rest', 'ftp://review.example.org'])).toMatch(
      /^gatewatch collect: --rest ftp:\/\/review.example.org: not a URL/,
    );
    expect(await refused([...rest, '--rest-user', 'ci'])).toBe(
      'gatewatch collect: --rest-user ci needs its HTTP password in GATEWATCH_GERRIT_HTTP_PASSWORD ' +
        '(Gerrit: Settings → HTTP Credentials); without a user, REST is read anonymously\n',
    );
    expect(await refused([...rest, '--project', '^(unclosed'])).toMatch(
      /^gatewatch collect: --project \^\(unclosed: not a regular expression/,
    );
  });

  it("names mistakes in the config file's gerrit list by entry", async () => {
    const notList = file('not-list.yaml', 'gerrit:\n  ssh: ssh://ci@x\n');
    expect(await refused(['--config', notList])).toBe(
      `gatewatch collect: gerrit in ${notList}: expected a list of servers (- ssh: …), got {"ssh":"ssh://ci@x"}\n`,
    );
    const unknownKey = file('key.yaml', 'gerrit:\n  - rest: https://a.example\n    pole: 5m\n');
    expect(await refused(['--config', unknownKey])).toMatch(
      new RegExp(
        `^gatewatch collect: gerrit\\[0\\]\\.pole in ${unknownKey}: unknown setting \\(expected name, ssh,`,
      ),
    );
    const bad = file('bad.yaml', 'gerrit:\n  - rest: https://a.example\n  - ssh: nope\n');
    expect(await refused(['--config', bad])).toBe(
      `gatewatch collect: gerrit[1].ssh in ${bad}: "nope" is not an SSH URL: expected ` +
        'ssh://USER@HOST[:PORT] (port 29418 by default; the key goes in --ssh-key)\n',
    );
    const twice = file(
      'twice.yaml',
      'gerrit:\n  - rest: https://a.example\n  - rest: https://a.example/r\n',
    );
    expect(await refused(['--config', twice])).toBe(
      `gatewatch collect: gerrit in ${twice}: two servers are named a.example: give each its own name (name: …)\n`,
    );
    const empty = file('empty-entry.yaml', 'gerrit:\n  - name: lonely\n');
    expect(await refused(['--config', empty])).toBe(
      `gatewatch collect: gerrit[0] in ${empty}: neither ssh nor rest: give ssh://USER@HOST[:PORT] ` +
        "(stream-events) and/or Gerrit's base URL (REST)\n",
    );
  });
});

describe('gatewatch collect --replay', () => {
  const history = generateSequence({ changes: 5, start: 1_700_000_000 });

  it('stores a JSON array and exits', async () => {
    const path = file('events.json', JSON.stringify(history));
    const result = await gatewatch(['collect', '--db', db, '--replay', path]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(new RegExp(`^${path}: 10 events read, 10 stored, `));
  });

  it('stores JSON lines, reporting what it skipped', async () => {
    const lines = [...history.map((e) => JSON.stringify(e)), '{oops'].join('\n');
    const path = file('events.jsonl', `${lines}\n`);
    const result = await gatewatch([
      'collect',
      '--db',
      db,
      '--replay',
      path,
      '--project',
      'other/*',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      new RegExp(`^gatewatch collect: ${path}: line 11: skipped: invalid JSON`),
    );
    expect(result.out).toMatch(/skipped 1 invalid, 0 too long, 10 of other projects\n$/);
  });

  it('derives the CI reports again from the kept comments with --reparse', async () => {
    const result = await gatewatch(['collect', '--db', db, '--reparse']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The five CI comments the array replayed; the parser has not changed since.
    expect(result.out).toMatch(
      /^gatewatch collect --reparse: 5 comments read: 5 CI reports with \d+ builds, 0 unparsed, 0 classified differently than before\n$/,
    );
    expect(await refused(['--reparse', '--replay', join(dir, 'events.json')])).toBe(
      'gatewatch collect: --replay and --reparse: give one of them\n',
    );
  });

  it('names a replay file it cannot read', async () => {
    const result = await gatewatch(['collect', '--db', db, '--replay', join(dir, 'absent.json')]);
    expect(result).toMatchObject({
      code: 1,
      stderr: `gatewatch collect: --replay ${join(dir, 'absent.json')}: cannot read it (ENOENT)\n`,
    });
  });
});
