/**
 * `gatewatch collect` as a process (dist/): connects to the stand-in, catches up, streams,
 * and exits 0 on SIGTERM. What it stored is the store's to test (with the real store merged).
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBuilt, MAIN } from '../helpers/cli.js';
import { deferred } from '../helpers/deferred.js';
import { generateSequence } from '../helpers/gerrit-sequence.js';
import { startGerritStandin, type GerritStandin } from '../helpers/gerrit-standin.js';
import { spawnServe } from '../helpers/serve-process.js';

let standin: GerritStandin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

describe('gatewatch collect (process)', () => {
  it('streams and catches up from the stand-in, then stops on SIGTERM with exit 0', async () => {
    checkBuilt();
    const start = Math.floor(Date.now() / 1000) - 3600;
    standin = await startGerritStandin({ events: generateSequence({ changes: 4, start }) });
    const child = spawn(
      process.execPath,
      [
        MAIN,
        'collect',
        '--db',
        'sqlite::memory:',
        '--ssh',
        standin.sshUrl,
        '--ssh-key',
        standin.clientKey,
        '--known-hosts',
        standin.knownHosts,
        '--rest',
        standin.restUrl,
        '--rest-user',
        standin.user,
      ],
      {
        env: { ...process.env, GATEWATCH_GERRIT_HTTP_PASSWORD: standin.httpPassword },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    const exited = deferred<number | null>();
    child.on('exit', (code) => exited.resolve(code));
    const seen = deferred();
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/stream-events connected/.test(stderr) && /caught up from .*: 4 changes/.test(stderr)) {
        seen.resolve();
      }
    });
    await Promise.race([seen.promise, exited.promise.then(() => seen.reject(new Error(stderr)))]);
    expect(stdout).toBe('gatewatch collect: collecting 127.0.0.1 into sqlite::memory:\n');
    expect(standin.execs).toBe(1);
    expect(standin.restRequests.length).toBeGreaterThan(0);
    child.kill('SIGTERM');
    expect(await exited.promise).toBe(0);
    expect(stdout).toContain('gatewatch collect: SIGTERM: writing what is pending and closing\n');
  });

  it('serve --collect collects inside the server and stops with it', async () => {
    checkBuilt();
    const start = Math.floor(Date.now() / 1000) - 3600;
    standin = await startGerritStandin({ events: generateSequence({ changes: 2, start }) });
    const server = await spawnServe([
      '--db',
      'sqlite::memory:',
      '--collect',
      '--rest',
      standin.restUrl,
      '--poll',
      '1h',
    ]);
    await server.waitForStderr(/gerrit 127\.0\.0\.1: caught up from .*: 2 changes/);
    expect(await server.stop()).toBe(0);
  });
});
