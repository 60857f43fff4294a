/**
 * OpenSSH `known_hosts`: parsing, and the verdict on a host key an SSH server presents. The
 * collector never connects to a Gerrit whose key it cannot find here (no trust on first use).
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GatewatchError } from '../errors.js';

/** One key line of a `known_hosts` file. */
export interface KnownHost {
  /** 1-based line in the file, for messages. */
  readonly line: number;
  /** `@revoked`: this key is refused wherever it is presented. */
  readonly revoked: boolean;
  /** The host patterns (plain, `[host]:port`, wildcards, `!negated`) or hashed `|1|salt|hash`. */
  readonly hosts: readonly string[];
  readonly keyType: string;
  /** The key in SSH wire format (the base64 field decoded). */
  readonly key: Buffer;
}

export interface KnownHosts {
  /** The file consulted, named in every refusal. */
  readonly file: string;
  readonly entries: readonly KnownHost[];
  /** Lines skipped as unreadable (line number and why). */
  readonly skipped: readonly string[];
}

/** Parses a `known_hosts` text; `@cert-authority` lines are skipped (host certificates are not used). */
export function parseKnownHosts(text: string, file: string): KnownHosts {
  const entries: KnownHost[] = [];
  const skipped: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) return;
    const fields = content.split(/\s+/);
    let marker: string | null = null;
    if (fields[0]!.startsWith('@')) marker = fields.shift()!;
    if (marker === '@cert-authority') return;
    if (marker !== null && marker !== '@revoked') {
      skipped.push(`line ${line}: unknown marker ${marker}`);
      return;
    }
    const [hosts, keyType, encoded] = fields;
    if (hosts === undefined || keyType === undefined || encoded === undefined) {
      skipped.push(`line ${line}: expected "hosts key-type base64-key"`);
      return;
    }
    const key = Buffer.from(encoded, 'base64');
    if (key.length === 0 || blobType(key) !== keyType) {
      skipped.push(`line ${line}: the key is not a ${keyType} key in base64`);
      return;
    }
    entries.push({ line, revoked: marker === '@revoked', hosts: hosts.split(','), keyType, key });
  });
  return { file, entries, skipped };
}

/**
 * Reads and parses a `known_hosts` file; a missing or unreadable one is a `BAD_CONFIG` error
 * that names `setting` (how the user gave the file).
 */
export function loadKnownHosts(file: string, setting = `--known-hosts ${file}`): KnownHosts {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new GatewatchError(
      'BAD_CONFIG',
      `${setting}: cannot read it (${why}); add Gerrit's key with ` +
        'ssh-keyscan -p PORT HOST >> FILE (and check its fingerprint), or name another file',
    );
  }
  return parseKnownHosts(text, file);
}

/** How OpenSSH names a host in `known_hosts`: `host` on port 22, `[host]:port` otherwise. */
export function hostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** A key's fingerprint as `ssh-keygen -l` prints it: `SHA256:` and unpadded base64. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

export type HostKeyVerdict =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'unknown' | 'changed' | 'revoked';
      readonly message: string;
    };

/** Whether `key` (SSH wire format) is the known key of `host:port`. */
export function verifyHostKey(
  known: KnownHosts,
  host: string,
  port: number,
  key: Buffer,
): HostKeyVerdict {
  const name = hostName(host, port);
  const presented = `${blobType(key) ?? 'unknown-type'} ${fingerprint(key)}`;
  if (known.entries.some((entry) => entry.revoked && entry.key.equals(key))) {
    return {
      ok: false,
      reason: 'revoked',
      message: `the host key of ${name} (${presented}) is marked @revoked in ${known.file}: refused`,
    };
  }
  const forHost = known.entries.filter((entry) => !entry.revoked && matchesHost(entry.hosts, name));
  if (forHost.some((entry) => entry.key.equals(key))) return { ok: true };
  if (forHost.length > 0) {
    const held = forHost.map((e) => `line ${e.line}: ${e.keyType} ${fingerprint(e.key)}`);
    return {
      ok: false,
      reason: 'changed',
      message:
        `the host key of ${name} has changed: it presents ${presented}, ${known.file} holds ` +
        `${held.join('; ')}. Refused: if the change is expected, replace that line`,
    };
  }
  return {
    ok: false,
    reason: 'unknown',
    message:
      `the host key of ${name} (${presented}) is not in ${known.file}: refused. If that ` +
      `fingerprint is Gerrit's, add the key (ssh-keyscan -p ${port} ${host} >> ${known.file})`,
  };
}

/** A host list matches when some pattern does and no negated one does. */
function matchesHost(patterns: readonly string[], name: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('|1|')) {
      if (hashedMatches(pattern, name)) matched = true;
    } else if (pattern.startsWith('!')) {
      if (globMatches(pattern.slice(1), name)) return false;
    } else if (globMatches(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}

/** `|1|salt|hash`: base64 HMAC-SHA1 of the host name keyed by the salt. */
function hashedMatches(pattern: string, name: string): boolean {
  const [, , salt, hash] = pattern.split('|');
  if (salt === undefined || hash === undefined) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return digest === hash;
}

/** OpenSSH host patterns: `*` any run, `?` one character, case-insensitive. */
function globMatches(pattern: string, name: string): boolean {
  const regex = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${regex}$`, 'i').test(name);
}

/** The key type named inside an SSH wire-format key (its first string). */
function blobType(key: Buffer): string | null {
  if (key.length < 4) return null;
  const length = key.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > key.length) return null;
  return key.toString('latin1', 4, 4 + length);
}
