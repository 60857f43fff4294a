/**
 * `gatewatch serve` as a user starts it (the built command, a real process): a busy port is
 * one line naming the setting to change, the start line names the database file it resolved,
 * and a database that cannot be opened ends it at once with DB_UNAVAILABLE.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCatalogue } from '../../server/errors.js';
import { spawnGatewatch } from '../helpers/cli.js';
import { spawnServe, type ServeProcess } from '../helpers/serve-process.js';

const running: ServeProcess[] = [];
const held: Server[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((serve) => serve.stop()));
  await Promise.all(held.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A port this test holds open, as another program would. */
async function busyPort(): Promise<number> {
  const server = createServer();
  held.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'gatewatch-serve-'));

describe('gatewatch serve', () => {
  it('says in one line that the port is taken and which setting changes it', async () => {
    const port = await busyPort();
    const db = `sqlite:${join(tempDir(), 'gatewatch.db')}`;
    const line =
      `gatewatch serve: port ${port} on 127.0.0.1 is in use by another process: ` +
      'choose another with --port PORT or GATEWATCH_PORT (0: any free port)\n';
    for (const [args, env] of [
      [['serve', '--port', String(port), '--db', db], {}],
      [['serve', '--db', db], { GATEWATCH_PORT: String(port) }],
    ] as const) {
      const result = await spawnGatewatch([...args], { env });
      expect(result).toMatchObject({ code: errorCatalogue.CANNOT_LISTEN.exit, out: '' });
      expect(result.stderr).toBe(line);
    }
  });

  it('resolves a relative SQLite path once, against the folder it starts in', async () => {
    const dir = tempDir();
    const serve = await spawnServe(['--db', 'sqlite:data/gatewatch.db'], {}, dir);
    running.push(serve);
    expect(serve.stdout()).toContain(`serving sqlite:${join(dir, 'data', 'gatewatch.db')} at `);
  });

  it('ends at once with DB_UNAVAILABLE when the database cannot be opened', async () => {
    const dir = tempDir();
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'a text file, not a database\n');
    for (const [db, why] of [
      [`sqlite:${file}`, 'not a SQLite database'],
      ['mysql://root@127.0.0.1:1/gatewatch', 'ECONNREFUSED'],
    ]) {
      const result = await spawnGatewatch(['serve', '--port', '0', '--db', db!]);
      expect(result.code, db).toBe(errorCatalogue.DB_UNAVAILABLE.exit);
      expect(result.out).toBe('');
      expect(result.stderr.split('\n'), db).toEqual([
        expect.stringMatching(new RegExp(`^gatewatch serve: cannot open .*${why}`)),
        '',
      ]);
    }
  });
});
