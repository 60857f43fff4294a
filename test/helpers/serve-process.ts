/** A real `gatewatch serve` process (from dist/, built by `npm test` first) on port 0. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { deferred } from './deferred.js';
import { MAIN } from './cli.js';

export interface ServeProcess {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Everything written to stdout so far (the start lines). */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves once stderr holds `times` matches of `pattern`; rejects if the process exits. */
  waitForStderr(pattern: RegExp, times?: number): Promise<void>;
  /** SIGTERM, then the exit status. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash: nothing is cleaned up), resolved once it exited. */
  kill(): Promise<void>;
}

/** Starts `gatewatch serve --port 0 ARGS…` (in `cwd`, else this process's); resolves once it serves. */
export async function spawnServe(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd?: string,
): Promise<ServeProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let exit: Error | undefined;
  const waiters = new Set<{ seen(): boolean; resolve(): void; reject(error: Error): void }>();
  const url = deferred<string>();
  const exited = deferred<number | null>();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const served = /serving .* at (http:\/\/\S+)/.exec(stdout);
    if (served) url.resolve(served[1]!);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of waiters) {
      if (waiter.seen()) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
  });
  child.on('exit', (code, signal) => {
    exit = new Error(`serve exited (${code ?? signal}): ${stderr}`);
    url.reject(exit);
    for (const waiter of waiters) waiter.reject(exit);
    exited.resolve(code);
  });
  const served = await url.promise;
  return {
    url: served,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForStderr(pattern, times = 1) {
      const global = new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`);
      const seen = () => [...stderr.matchAll(global)].length >= times;
      if (seen()) return Promise.resolve();
      if (exit) return Promise.reject(exit);
      const waiter = deferred();
      waiters.add({ seen, resolve: () => waiter.resolve(), reject: waiter.reject });
      return waiter.promise;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited.promise;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited.promise;
    },
  };
}
