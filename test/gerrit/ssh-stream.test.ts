/** stream-events over SSH against the Gerrit stand-in: lines, host keys, stalls, cuts. */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fingerprint, loadKnownHosts } from '../../server/gerrit/known-hosts.js';
import {
  parseSshUrl,
  startSshStream,
  type SshStream,
  type SshStreamOptions,
} from '../../server/gerrit/ssh-stream.js';
import { sshKeyPair, startGerritStandin, type GerritStandin } from '../helpers/gerrit-standin.js';

let standin: GerritStandin;
const opened: SshStream[] = [];

beforeEach(async () => {
  standin = await startGerritStandin();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await standin.close();
});

function open(overrides: Partial<SshStreamOptions> = {}): {
  stream: SshStream;
  lines: string[];
  reasons: string[];
} {
  const stream = startSshStream({
    target: parseSshUrl(standin.sshUrl)!,
    privateKey: readFileSync(standin.clientKey, 'utf8'),
    knownHosts: loadKnownHosts(standin.knownHosts),
    backoffMs: 10,
    maxBackoffMs: 50,
    ...overrides,
  });
  opened.push(stream);
  const lines: string[] = [];
  const reasons: string[] = [];
  stream.on('line', (line) => lines.push(line));
  stream.on('disconnected', (reason) => reasons.push(reason));
  return { stream, lines, reasons };
}

/** Polls `check` until it holds (never a fixed sleep). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('parseSshUrl', () => {
  it('reads ssh://USER@HOST[:PORT], 29418 by default, and refuses anything else', () => {
    expect(parseSshUrl('ssh://ci@review.example.org')).toEqual({
      user: 'ci',
      host: 'review.example.org',
      port: 29418,
    });
    expect(parseSshUrl('ssh://ci@[::1]:2222')).toEqual({ user: 'ci', host: '::1', port: 2222 });
    expect(parseSshUrl('ssh://review.example.org')).toBeNull();
    expect(parseSshUrl('https://ci@review.example.org')).toBeNull();
    expect(parseSshUrl('ssh://ci:pw@review.example.org')).toBeNull();
  });
});

describe('startSshStream', () => {
  it('delivers each line of stream-events in order', async () => {
    const { stream, lines } = open();
    await standin.waitForStreams(1);
    standin.emit({ type: 'patchset-created', eventCreatedOn: 1 });
    standin.emitLine('not json at all');
    standin.emit({ type: 'comment-added', comment: 'ünïcode ✓', eventCreatedOn: 2 });
    await until(() => lines.length === 3);
    expect(lines).toEqual([
      '{"type":"patchset-created","eventCreatedOn":1}',
      'not json at all',
      '{"type":"comment-added","comment":"ünïcode ✓","eventCreatedOn":2}',
    ]);
    expect(stream.tooLong).toBe(0);
  });

  it('skips and counts a line longer than maxEventBytes, keeping the next ones', async () => {
    const { stream, lines } = open({ maxEventBytes: 1000 });
    const skipped: number[] = [];
    stream.on('tooLong', (bytes) => skipped.push(bytes));
    await standin.waitForStreams(1);
    standin.emitLine('x'.repeat(5000));
    standin.emitLine('{"after":true}');
    await until(() => lines.length === 1);
    expect(lines).toEqual(['{"after":true}']);
    expect(skipped).toEqual([5000]);
    expect(stream.tooLong).toBe(1);
  });

  it('refuses a host key known_hosts does not hold, with its fingerprint and the file', async () => {
    const stranger = sshKeyPair();
    const file = join(standin.dir, 'other_known_hosts');
    writeFileSync(file, `[127.0.0.1]:${standin.sshPort} ${stranger.public}\n`);
    const { reasons } = open({ knownHosts: loadKnownHosts(file) });
    await until(() => reasons.length > 0);
    const parsed = ssh2.utils.parseKey(stranger.public);
    if (parsed instanceof Error) throw parsed;
    expect(reasons[0]).toBe(
      `the host key of [127.0.0.1]:${standin.sshPort} has changed: it presents ssh-ed25519 ` +
        `${standin.hostFingerprint}, ${file} holds line 1: ssh-ed25519 ` +
        `${fingerprint(parsed.getPublicSSH())}. Refused: if the change is expected, replace that line`,
    );
    expect(standin.execs).toBe(0);
  });

  it('refuses a host missing from known_hosts', async () => {
    const file = join(standin.dir, 'empty_known_hosts');
    writeFileSync(file, '# nothing yet\n');
    const { reasons } = open({ knownHosts: loadKnownHosts(file) });
    await until(() => reasons.length > 0);
    expect(reasons[0]).toContain(`(ssh-ed25519 ${standin.hostFingerprint}) is not in ${file}`);
    expect(standin.execs).toBe(0);
  });

  it('names a key the server refuses', async () => {
    const wrong = sshKeyPair();
    const { reasons } = open({ privateKey: wrong.private });
    await until(() => reasons.length > 0);
    expect(reasons[0]).toMatch(/^the server refused the key .*SSH keys\?$/);
  });

  it('reconnects after a cut and streams again', async () => {
    const { lines, reasons, stream } = open();
    let connects = 0;
    stream.on('connected', () => (connects += 1));
    await standin.waitForStreams(1);
    standin.emit({ n: 1 });
    await until(() => lines.length === 1);
    standin.cut();
    await until(() => reasons.length === 1 && standin.streams() === 1);
    standin.emit({ n: 2 });
    await until(() => lines.length === 2);
    expect(lines).toEqual(['{"n":1}', '{"n":2}']);
    expect(connects).toBe(2);
    expect(standin.execs).toBe(2);
  });

  it('replaces a connection that stalls', async () => {
    const { lines, reasons } = open({ stallMs: 200 });
    await standin.waitForStreams(1);
    standin.pause();
    standin.emit({ lost: true });
    await until(() => reasons.length === 1);
    expect(reasons[0]).toBe('no data for 200 ms: the connection is stalled, replacing it');
    standin.resume();
    await until(() => standin.execs === 2 && standin.streams() === 1);
    standin.emit({ after: true });
    await until(() => lines.length === 1);
    expect(lines).toEqual(['{"after":true}']);
  });

  it('closes cleanly and stops reconnecting', async () => {
    const { stream, reasons } = open();
    await standin.waitForStreams(1);
    await stream.close();
    expect(reasons).toEqual(['closed']);
    await until(() => standin.streams() === 0);
    expect(standin.execs).toBe(1);
  });

  it('closes a connection stuck before its handshake', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    let accepted = false;
    silent.on('connection', () => (accepted = true));
    const { stream, reasons } = open({ target: { user: 'ci', host: '127.0.0.1', port } });
    await until(() => accepted);
    await stream.close();
    expect(reasons).toEqual(['closed']);
    silent.close();
  });
});
