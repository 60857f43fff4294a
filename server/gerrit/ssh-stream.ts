/**
 * `gerrit stream-events` over SSH, kept alive: one ssh2 client at a time, its host key
 * verified against `known_hosts`, its output split into lines. A connection that drops, fails
 * its keepalives or stays silent past the stall time is replaced, after an exponential
 * backoff with full jitter that resets once a connection has been healthy for a while.
 */
import { EventEmitter } from 'node:events';
import ssh2, { type ClientChannel } from 'ssh2';
import { verifyHostKey, type KnownHosts } from './known-hosts.js';

const { Client } = ssh2;

/** Where to connect: `ssh://USER@HOST[:PORT]`, parsed. */
export interface SshTarget {
  readonly user: string;
  readonly host: string;
  readonly port: number;
}

export interface SshStreamOptions {
  readonly target: SshTarget;
  /** An OpenSSH private key without passphrase (its text). */
  readonly privateKey: string;
  readonly knownHosts: KnownHosts;
  /** The remote command. Default `gerrit stream-events`. */
  readonly command?: string;
  /** Longest line kept; a longer one is skipped with a counted warning. Default 1 MiB. */
  readonly maxEventBytes?: number;
  /** SSH keepalive period, ms. Default 15 s. */
  readonly keepaliveIntervalMs?: number;
  /** Unanswered keepalives before the connection is dropped. Default 3. */
  readonly keepaliveCountMax?: number;
  /**
   * Silence (no byte from the stream) after which the connection is replaced, ms. Gerrit
   * sends nothing on a quiet server, so this is long. Default 10 min.
   */
  readonly stallMs?: number;
  /** Connecting and authenticating, ms. Default 20 s. */
  readonly readyTimeoutMs?: number;
  /** The first reconnect's ceiling, ms; doubled each time. Default 1 s. */
  readonly backoffMs?: number;
  /** The largest reconnect delay, ms. Default 60 s. */
  readonly maxBackoffMs?: number;
  /** Connected this long, the backoff starts again from the first step, ms. Default 60 s. */
  readonly healthyMs?: number;
  /** 0 ≤ x < 1, for the jitter. Default `Math.random`. */
  readonly random?: () => number;
}

export interface SshStreamEvents {
  /** The remote command runs: lines follow. */
  connected: [];
  /** One line of output, without its newline (never longer than `maxEventBytes`). */
  line: [line: string];
  /** The connection ended or could not be made; a new one follows after the backoff. */
  disconnected: [reason: string];
  /** A line longer than `maxEventBytes` was skipped. */
  tooLong: [bytes: number];
}

export interface SshStream extends EventEmitter<SshStreamEvents> {
  /** Lines skipped as too long, so far. */
  readonly tooLong: number;
  /** Stops reading (the SSH window fills and Gerrit waits); `resume()` reads again. */
  pause(): void;
  resume(): void;
  /** Ends the connection and stops reconnecting. */
  close(): Promise<void>;
}

const DEFAULTS = {
  command: 'gerrit stream-events',
  maxEventBytes: 1 << 20,
  keepaliveIntervalMs: 15_000,
  keepaliveCountMax: 3,
  stallMs: 10 * 60_000,
  readyTimeoutMs: 20_000,
  backoffMs: 1_000,
  maxBackoffMs: 60_000,
  healthyMs: 60_000,
  random: Math.random,
};

/** One SSH connection and, once the command runs, its channel. */
interface Connection {
  readonly client: InstanceType<typeof Client>;
  channel: ClientChannel | null;
  /** Authenticated (the handshake is over). */
  ready: boolean;
}

/** Connects at once and keeps a stream running until `close()`. */
export function startSshStream(options: SshStreamOptions): SshStream {
  const settings = { ...DEFAULTS, ...options };
  const emitter = new EventEmitter<SshStreamEvents>();
  let closed = false;
  let paused = false;
  let attempt = 0;
  let tooLong = 0;
  let current: Connection | null = null;
  let retryTimer: NodeJS.Timeout | undefined;
  let closing: Promise<void> | undefined;

  const connect = () => {
    const client = new Client();
    const connection: Connection = { client, channel: null, ready: false };
    current = connection;
    let reason: string | null = null;
    let connectedAt: number | null = null;
    let stall: NodeJS.Timeout | undefined;
    const armStall = () => {
      clearTimeout(stall);
      stall = setTimeout(() => {
        reason ??= `no data for ${settings.stallMs} ms: the connection is stalled, replacing it`;
        client.destroy();
      }, settings.stallMs);
    };
    const splitter = lineSplitter(settings.maxEventBytes, {
      line: (line) => emitter.emit('line', line),
      tooLong: (bytes) => {
        tooLong += 1;
        emitter.emit('tooLong', bytes);
      },
    });

    client.on('ready', () => {
      connection.ready = true;
      client.exec(settings.command, (error, channel) => {
        if (error) {
          reason ??= `${settings.command} could not start: ${error.message}`;
          client.end();
          return;
        }
        connection.channel = channel;
        if (paused) channel.pause();
        connectedAt = Date.now();
        armStall();
        emitter.emit('connected');
        let stderr = '';
        channel.on('data', (chunk: Buffer) => {
          armStall();
          splitter.push(chunk);
        });
        channel.stderr.on('data', (chunk: Buffer) => {
          stderr = (stderr + chunk.toString('utf8')).slice(-500);
        });
        channel.on('exit', (code: number | null, signal?: string) => {
          const how = code === null ? `was killed (${signal ?? 'no signal'})` : `exited ${code}`;
          reason ??= `${settings.command} ${how}${stderr.trim() ? `: ${stderr.trim()}` : ''}`;
        });
        channel.on('close', () => client.end());
      });
    });
    client.on('error', (error) => {
      reason ??= describeError(error);
    });
    client.on('close', () => {
      clearTimeout(stall);
      if (current === connection) current = null;
      if (connectedAt !== null && Date.now() - connectedAt >= settings.healthyMs) attempt = 0;
      const why = closed ? 'closed' : (reason ?? 'the server closed the connection');
      emitter.emit('disconnected', why);
      if (!closed) scheduleReconnect();
    });
    client.connect({
      host: settings.target.host,
      port: settings.target.port,
      username: settings.target.user,
      privateKey: settings.privateKey,
      readyTimeout: settings.readyTimeoutMs,
      keepaliveInterval: settings.keepaliveIntervalMs,
      keepaliveCountMax: settings.keepaliveCountMax,
      hostVerifier: (key: Buffer) => {
        const verdict = verifyHostKey(
          settings.knownHosts,
          settings.target.host,
          settings.target.port,
          key,
        );
        if (!verdict.ok) reason = verdict.message;
        return verdict.ok;
      },
    });
  };

  const scheduleReconnect = () => {
    const ceiling = Math.min(settings.maxBackoffMs, settings.backoffMs * 2 ** attempt);
    attempt += 1;
    retryTimer = setTimeout(connect, ceiling * settings.random());
  };

  connect();

  // defineProperty, not Object.assign: assign would copy the getter's value once.
  Object.defineProperty(emitter, 'tooLong', { get: () => tooLong, enumerable: true });
  return Object.assign(emitter as EventEmitter<SshStreamEvents> & { readonly tooLong: number }, {
    pause() {
      paused = true;
      current?.channel?.pause();
    },
    resume() {
      paused = false;
      current?.channel?.resume();
    },
    close() {
      closing ??= (async () => {
        closed = true;
        clearTimeout(retryTimer);
        const open = current;
        if (open === null) return;
        await new Promise<void>((resolve) => {
          open.client.once('close', () => resolve());
          // A connection still in its handshake may never answer a polite end: cut it.
          if (open.ready) open.client.end();
          else open.client.destroy();
        });
      })();
      return closing;
    },
  });
}

/** Parses `ssh://USER@HOST[:PORT]` (port 29418 by default); `null` when it is not one. */
export function parseSshUrl(url: string): SshTarget | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'ssh:' || parsed.username === '' || parsed.hostname === '') return null;
  if (parsed.password !== '' || (parsed.pathname !== '' && parsed.pathname !== '/')) return null;
  return {
    user: decodeURIComponent(parsed.username),
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? 29418 : Number(parsed.port),
  };
}

interface LineSink {
  line(line: string): void;
  tooLong(bytes: number): void;
}

/** Splits chunks into lines, skipping (and counting) lines longer than `max` bytes. */
function lineSplitter(max: number, sink: LineSink): { push(chunk: Buffer): void } {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = false;
  let skipped = 0;
  return {
    push(chunk) {
      let start = 0;
      for (let newline = chunk.indexOf(10, start); ; newline = chunk.indexOf(10, start)) {
        const end = newline === -1 ? chunk.length : newline;
        const piece = chunk.subarray(start, end);
        if (skipping) {
          skipped += piece.length;
        } else if (pendingBytes + piece.length > max) {
          skipping = true;
          skipped = pendingBytes + piece.length;
          pending = [];
          pendingBytes = 0;
        } else if (piece.length > 0) {
          pending.push(piece);
          pendingBytes += piece.length;
        }
        if (newline === -1) return;
        if (skipping) {
          sink.tooLong(skipped);
          skipping = false;
        } else {
          const line = Buffer.concat(pending).toString('utf8').replace(/\r$/, '');
          if (line.trim() !== '') sink.line(line);
        }
        pending = [];
        pendingBytes = 0;
        start = newline + 1;
      }
    },
  };
}

function describeError(error: Error & { level?: string }): string {
  if (error.level === 'client-authentication') {
    return `the server refused the key (${error.message}): is its public key in the account's SSH keys?`;
  }
  if (error.level === 'client-timeout') return `no SSH answer in time (${error.message})`;
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code} (${error.message})` : error.message;
}
