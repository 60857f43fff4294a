/**
 * A MariaDB server of a test's own (the Debian mariadb-server binaries), which the test can
 * stop and start again: for what the server does when its database goes away. It starts in
 * about a second; root has no password and listens on 127.0.0.1 only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deferred } from './deferred.js';

export interface PrivateMariaDb {
  /** `mysql://root@127.0.0.1:PORT/NAME`: what `--db` takes. */
  url(dbName: string): string;
  /** Starts the server (again); resolves when it accepts connections. */
  start(): Promise<void>;
  /** Stops the server; resolves when it has exited. */
  stop(): Promise<void>;
  /** Stops the server and removes its data. */
  destroy(): Promise<void>;
}

/** Creates the data directory and starts the server. */
export async function startPrivateMariaDb(): Promise<PrivateMariaDb> {
  const dir = mkdtempSync(join(tmpdir(), 'gatewatch-mariadb-'));
  const port = await freePort();
  let server: ChildProcess | undefined;
  try {
    await run('mariadb-install-db', [
      '--no-defaults',
      '--user=root',
      `--datadir=${dir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const db: PrivateMariaDb = {
    url: (dbName) => `mysql://root@127.0.0.1:${port}/${dbName}`,
    async start() {
      const child = spawn(
        'mariadbd',
        [
          '--no-defaults',
          '--user=root',
          `--datadir=${dir}`,
          `--socket=${join(dir, 'sock')}`,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          '--skip-name-resolve',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      server = child;
      const ready = deferred();
      let log = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('ready for connections')) ready.resolve();
      });
      child.once('exit', (code) => ready.reject(new Error(`mariadbd exited (${code}): ${log}`)));
      await ready.promise;
    },
    async stop() {
      const child = server;
      server = undefined;
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
    async destroy() {
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await db.start();
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited ${code}: ${stderr}`)),
    );
  });
}

/** A port nothing listens on now (the OS's choice for port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
