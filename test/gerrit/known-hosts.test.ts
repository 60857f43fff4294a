/** known_hosts parsing and host key verdicts; fingerprints as ssh-keygen prints them. */
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, describe, expect, it } from 'vitest';
import {
  fingerprint,
  hostName,
  loadKnownHosts,
  parseKnownHosts,
  verifyHostKey,
} from '../../server/gerrit/known-hosts.js';
import { sshKeyPair } from '../helpers/gerrit-standin.js';

const { utils } = ssh2;

function newKey(): { line: string; blob: Buffer } {
  const { public: line } = sshKeyPair();
  const parsed = utils.parseKey(line);
  if (parsed instanceof Error) throw parsed;
  return { line: line.trim(), blob: parsed.getPublicSSH() };
}

function hashed(name: string): string {
  const salt = randomBytes(20);
  const hash = createHmac('sha1', salt).update(name).digest('base64');
  return `|1|${salt.toString('base64')}|${hash}`;
}

const dir = mkdtempSync(join(tmpdir(), 'known-hosts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('known_hosts', () => {
  const gerrit = newKey();
  const other = newKey();
  const hashedHost = newKey();
  const revoked = newKey();
  const text = [
    '# Gerrit servers',
    '',
    `review.example.org,[review.example.org]:29418,203.0.113.7 ${gerrit.line}`,
    `${hashed('[hidden.example.org]:29418')} ${hashedHost.line}`,
    `*.example.net,!evil.example.net ${other.line}`,
    `@revoked * ${revoked.line}`,
    `@cert-authority *.example.org ${other.line}`,
    'broken-line-without-key',
    `bad.example.org ssh-rsa ${gerrit.line.split(' ')[1]}`,
  ].join('\n');
  const known = parseKnownHosts(text, '/etc/ssh/ssh_known_hosts');

  it('reads plain, bracketed, comma-listed, hashed and revoked entries; names unreadable lines', () => {
    expect(known.entries.map((e) => [e.line, e.revoked, e.hosts.length])).toEqual([
      [3, false, 3],
      [4, false, 1],
      [5, false, 2],
      [6, true, 1],
    ]);
    expect(known.skipped).toEqual([
      'line 8: expected "hosts key-type base64-key"',
      'line 9: the key is not a ssh-rsa key in base64',
    ]);
  });

  it('names hosts as OpenSSH does', () => {
    expect(hostName('review.example.org', 22)).toBe('review.example.org');
    expect(hostName('review.example.org', 29418)).toBe('[review.example.org]:29418');
  });

  it('accepts the known key of a plain, bracketed, hashed or wildcard host', () => {
    expect(verifyHostKey(known, 'review.example.org', 29418, gerrit.blob)).toEqual({ ok: true });
    expect(verifyHostKey(known, 'REVIEW.example.org', 22, gerrit.blob)).toEqual({ ok: true });
    expect(verifyHostKey(known, '203.0.113.7', 22, gerrit.blob)).toEqual({ ok: true });
    expect(verifyHostKey(known, 'hidden.example.org', 29418, hashedHost.blob)).toEqual({
      ok: true,
    });
    expect(verifyHostKey(known, 'ci.example.net', 22, other.blob)).toEqual({ ok: true });
  });

  it('refuses a changed key, showing both fingerprints and the file', () => {
    const verdict = verifyHostKey(known, 'review.example.org', 29418, other.blob);
    expect(verdict).toEqual({
      ok: false,
      reason: 'changed',
      message:
        `the host key of [review.example.org]:29418 has changed: it presents ssh-ed25519 ` +
        `${fingerprint(other.blob)}, /etc/ssh/ssh_known_hosts holds line 3: ssh-ed25519 ` +
        `${fingerprint(gerrit.blob)}. Refused: if the change is expected, replace that line`,
    });
  });

  it('refuses an unknown host, a negated host and a revoked key', () => {
    const unknown = verifyHostKey(known, 'new.example.com', 29418, gerrit.blob);
    expect(unknown).toMatchObject({ ok: false, reason: 'unknown' });
    expect(!unknown.ok && unknown.message).toBe(
      `the host key of [new.example.com]:29418 (ssh-ed25519 ${fingerprint(gerrit.blob)}) is not ` +
        "in /etc/ssh/ssh_known_hosts: refused. If that fingerprint is Gerrit's, add the key " +
        '(ssh-keyscan -p 29418 new.example.com >> /etc/ssh/ssh_known_hosts)',
    );
    expect(verifyHostKey(known, 'evil.example.net', 22, other.blob)).toMatchObject({
      reason: 'unknown',
    });
    expect(verifyHostKey(known, 'anything', 22, revoked.blob)).toMatchObject({
      reason: 'revoked',
    });
  });

  it('prints fingerprints exactly as ssh-keygen -lf does', () => {
    const file = join(dir, 'key.pub');
    writeFileSync(file, `${gerrit.line}\n`);
    const printed = execFileSync('ssh-keygen', ['-lf', file], { encoding: 'utf8' });
    expect(printed.split(' ')[1]).toBe(fingerprint(gerrit.blob));
  });

  it('refuses a missing file with the fix', () => {
    expect(() => loadKnownHosts(join(dir, 'nope'))).toThrow(
      `--known-hosts ${join(dir, 'nope')}: cannot read it (ENOENT)`,
    );
  });
});
