/**
 * A Gerrit stand-in the tests start on 127.0.0.1, port 0: a real SSH server (ssh2's server
 * side) answering `gerrit stream-events`, and an HTTP server for `GET [/a]/changes/` and
 * `GET [/a]/changes/N/detail` whose ChangeInfos are derived from the same events. Its key files live in a temp directory.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type Connection, type ServerChannel } from 'ssh2';
import { fingerprint } from '../../server/gerrit/known-hosts.js';
import { deriveChanges, parseQuery, selectChanges, type RawEvent } from './gerrit-changes.js';

export type { RawEvent } from './gerrit-changes.js';

const { Server, utils } = ssh2;

export interface StandinOptions {
  /** The history it starts with. */
  readonly events?: readonly RawEvent[];
  /** The most changes one REST page holds, whatever `n` asks. Default 3. */
  readonly pageSize?: number;
  /** The SSH user and the HTTP user. Default `gatewatch`. */
  readonly user?: string;
  /** The HTTP password that `/a/` requires. Default `http-secret`. */
  readonly httpPassword?: string;
  /** The first `count` REST requests are answered `status` (as `failRest` from the start). */
  readonly restFailures?: { readonly count: number; readonly status: number };
}

export interface GerritStandin {
  /** `ssh://USER@127.0.0.1:PORT`. */
  readonly sshUrl: string;
  readonly sshPort: number;
  /** `http://127.0.0.1:PORT` (the REST base URL). */
  readonly restUrl: string;
  readonly user: string;
  readonly httpPassword: string;
  /** A `known_hosts` file holding its host key for `[127.0.0.1]:PORT`. */
  readonly knownHosts: string;
  /** The client's private key file (OpenSSH format, no passphrase); its public key is accepted. */
  readonly clientKey: string;
  /** The host key's `SHA256:…` fingerprint. */
  readonly hostFingerprint: string;
  /** Its temp directory (deleted on close). */
  readonly dir: string;
  /** Every event so far, raw. */
  readonly events: readonly RawEvent[];
  /** Every `GET …/changes/` request's query string, in order. */
  readonly restRequests: readonly URLSearchParams[];
  /** Streams open now, and exec'd so far. */
  streams(): number;
  readonly execs: number;
  /** Appends an event and sends it to the connected streams (unless paused). */
  emit(event: RawEvent): void;
  /** Sends a raw line to the connected streams (unless paused); not part of the history. */
  emitLine(line: string): void;
  /** Drops every SSH connection. */
  cut(): void;
  /** Stops sending on the streams without dropping them (a stall); `resume()` sends again. */
  pause(): void;
  resume(): void;
  /** The next `count` REST requests are answered `status`. */
  failRest(count: number, status: number): void;
  /** Resolves once `count` streams are open (polling, never sleeping a fixed time). */
  waitForStreams(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startGerritStandin(options: StandinOptions = {}): Promise<GerritStandin> {
  const user = options.user ?? 'gatewatch';
  const httpPassword = options.httpPassword ?? 'http-secret';
  const pageSize = options.pageSize ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'gerrit-standin-'));
  const host = sshKeyPair();
  const client = sshKeyPair();
  const allowed = utils.parseKey(client.public) as ssh2.ParsedKey;
  const clientKey = join(dir, 'id_ed25519');
  writeFileSync(clientKey, client.private, { mode: 0o600 });

  const events: RawEvent[] = [...(options.events ?? [])];
  const restRequests: URLSearchParams[] = [];
  const connections = new Set<Connection>();
  const streams = new Set<ServerChannel>();
  let execs = 0;
  let paused = false;
  let failures = options.restFailures ?? { count: 0, status: 500 };

  const send = (line: string) => {
    if (paused) return;
    for (const stream of streams) stream.write(`${line}\n`);
  };

  const ssh = new Server({ hostKeys: [host.private] }, (connection) => {
    connections.add(connection);
    const own = new Set<ServerChannel>();
    const gone = () => {
      connections.delete(connection);
      for (const stream of own) streams.delete(stream);
    };
    connection.on('close', gone);
    connection.on('error', gone);
    connection.on('authentication', (ctx) => {
      const good =
        ctx.method === 'publickey' &&
        ctx.username === user &&
        ctx.key.data.equals(allowed.getPublicSSH()) &&
        (!ctx.signature || allowed.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true);
      if (good) ctx.accept();
      else ctx.reject(['publickey']);
    });
    connection.on('ready', () => {
      connection.on('session', (accept) => {
        accept().on('exec', (acceptExec, _reject, info) => {
          const stream = acceptExec();
          if (info.command.trim() !== 'gerrit stream-events') {
            stream.stderr.write(`fatal: "${info.command}" is not a command the stand-in knows\n`);
            stream.exit(1);
            stream.end();
            return;
          }
          execs += 1;
          streams.add(stream);
          own.add(stream);
          stream.on('close', () => streams.delete(stream));
        });
      });
    });
  });
  await new Promise<void>((resolve) => ssh.listen(0, '127.0.0.1', resolve));
  const sshPort = (ssh.address() as AddressInfo).port;
  const hostPublic = utils.parseKey(host.public) as ssh2.ParsedKey;
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${sshPort} ${host.public}\n`);

  const answer = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://standin');
    const authenticated = url.pathname.startsWith('/a/');
    if (authenticated) {
      const expected = `Basic ${Buffer.from(`${user}:${httpPassword}`).toString('base64')}`;
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="Gerrit Code Review"' });
        res.end('Unauthorized');
        return;
      }
    }
    const path = authenticated ? url.pathname.slice(2) : url.pathname;
    const detail = /^\/changes\/(\d+)\/detail$/.exec(path);
    if (detail) {
      const info = deriveChanges(events).find((c) => c._number === Number(detail[1]));
      if (info === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`Not found: ${detail[1]}`);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(`)]}'\n${JSON.stringify(info)}\n`);
      return;
    }
    if (path !== '/changes/') {
      res.writeHead(404).end('Not found');
      return;
    }
    restRequests.push(url.searchParams);
    if (failures.count > 0) {
      failures = { ...failures, count: failures.count - 1 };
      res.writeHead(failures.status).end('stand-in failure');
      return;
    }
    let query;
    try {
      query = parseQuery(url.searchParams.get('q') ?? '', Date.now() / 1000);
    } catch (error) {
      res.writeHead(400).end(String(error));
      return;
    }
    const asked = Number(url.searchParams.get('n') ?? pageSize);
    const limit = Math.min(asked, pageSize);
    const start = Number(url.searchParams.get('S') ?? 0);
    const selected = selectChanges(deriveChanges(events), query);
    const page = selected.slice(start, start + limit);
    if (start + limit < selected.length && page.length > 0) page.at(-1)!._more_changes = true;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(`)]}'\n${JSON.stringify(page)}\n`);
  };
  const http = createServer(answer);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const restUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  return {
    sshUrl: `ssh://${user}@127.0.0.1:${sshPort}`,
    sshPort,
    restUrl,
    user,
    httpPassword,
    knownHosts,
    clientKey,
    hostFingerprint: fingerprint(hostPublic.getPublicSSH()),
    dir,
    events,
    restRequests,
    streams: () => streams.size,
    get execs() {
      return execs;
    },
    emit(event) {
      events.push(event);
      send(JSON.stringify(event));
    },
    emitLine: send,
    cut() {
      for (const connection of connections) connection.end();
      streams.clear();
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
    },
    failRest(count, status) {
      failures = { count, status };
    },
    async waitForStreams(count) {
      while (streams.size < count) await new Promise((resolve) => setTimeout(resolve, 10));
    },
    async close() {
      for (const connection of connections) connection.end();
      http.closeAllConnections();
      await Promise.all([
        new Promise((resolve) => ssh.close(resolve)),
        new Promise((resolve) => http.close(resolve)),
      ]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh ed25519 key pair in OpenSSH format. ssh2 1.17 drops a leading zero byte of the
 * public key about once in 250 pairs, which it then cannot parse itself: such pairs are
 * generated again.
 */
export function sshKeyPair(): { public: string; private: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    const readable = [pair.public, pair.private].every(
      (k) => !(utils.parseKey(k) instanceof Error),
    );
    if (readable) return pair;
  }
}
