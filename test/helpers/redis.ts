/**
 * Redis for the event-bus tests: the machine's server at $GATEWATCH_TEST_REDIS (set by
 * .ci/run; default redis://127.0.0.1:6379), never stopped, shared through a random channel
 * prefix; and a private `redis-server` a test may kill and start again. Under CI=true an
 * unreachable Redis fails the run; by hand its tests are skipped with a note.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { deferred } from './deferred.js';
import { freePort } from './private-mariadb.js';

export const testRedisUrl = process.env.GATEWATCH_TEST_REDIS ?? 'redis://127.0.0.1:6379';

/** A channel prefix no other test run uses. */
export function randomPrefix(): string {
  return `gw-test-${randomBytes(6).toString('hex')}`;
}

/** How many connections are subscribed to a channel. */
export async function subscriberCount(url: string, channel: string): Promise<number> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    const reply = (await client.pubsub('NUMSUB', channel)) as [string, number];
    return Number(reply[1]);
  } finally {
    client.disconnect();
  }
}

/** Polls until `count` connections are subscribed to a channel (Redis acknowledges late). */
export async function untilSubscribed(url: string, channel: string, count = 1): Promise<void> {
  while ((await subscriberCount(url, channel)) < count) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function redisReachable(): Promise<boolean> {
  const client = new Redis(testRedisUrl, { lazyConnect: true, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(`CI: Redis at ${testRedisUrl} is required and unreachable: ${String(error)}`);
    }
    console.warn(`Redis at ${testRedisUrl} unreachable; its tests are skipped: ${String(error)}`);
    return false;
  } finally {
    client.disconnect();
  }
}

/** Whether the Redis tests run, decided once per test file. */
export const redisAvailable: boolean = await redisReachable();

/**
 * The condition of a `skipIf` for a missing part: true only when run by hand. Under CI=true
 * nothing skips — a missing part fails the tests that need it.
 */
export function byHandWithout(missing: boolean): boolean {
  return missing && process.env.CI !== 'true';
}

export interface PrivateRedis {
  /** `redis://127.0.0.1:PORT`; the port stays the same across restarts. */
  readonly url: string;
  /** Starts the server (again); resolves when it accepts connections. */
  start(): Promise<void>;
  /** Kills the server, as a crash would; resolves when it has exited. */
  kill(): Promise<void>;
}

/** A private Redis (Debian's redis-server) on a free port, not started yet, persisting nothing. */
export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let server: ChildProcess | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
      server = child;
      const ready = deferred();
      let log = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('Ready to accept connections')) ready.resolve();
      });
      child.once('error', ready.reject);
      child.once('exit', (code) =>
        ready.reject(new Error(`redis-server exited (${code}): ${log}`)),
      );
      await ready.promise;
    },
    async kill() {
      const child = server;
      server = undefined;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
